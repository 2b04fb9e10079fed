package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.trap.TrapException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Contexts are per OS thread and are freed after their thread ends. */
class ThreadContextsTest {
    private final TestFunctions functions = TestFunctions.get();

    @Test
    void eachThreadGetsItsOwnStackAndEndedThreadsAreReaped() throws Exception {
        long mine = ThreadContexts.attachCurrentThread();
        AtomicLong theirs = new AtomicLong();
        AtomicLong theirRsp = new AtomicLong();
        Thread thread = Thread.ofPlatform().start(() -> {
            theirRsp.set(WasmCall.invoke(functions.stackPointer));
            assertThrows(TrapException.class, () -> WasmCall.invoke(functions.recurseForever));
            theirs.set(ThreadContexts.attachCurrentThread());
        });
        thread.join();
        assertNotEquals(mine, theirs.get());
        assertEquals(theirs.get(), FaultTables.stacks().find(theirRsp.get()));

        // The exit hook runs as the thread's last act; wait for the reaper to see it.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (FaultTables.stacks().find(theirRsp.get()) != null && System.nanoTime() < deadline) {
            ThreadContexts.reapExited();
            Thread.sleep(10);
        }
        assertNull(FaultTables.stacks().find(theirRsp.get()), "the ended thread's stack is deregistered");
        assertEquals(mine, ThreadContexts.attachCurrentThread(), "this thread keeps its context");
        assertTrue(ThreadContexts.attachedCount() >= 1);
        assertEquals(7, WasmCall.invoke(functions.weightedSum, 7, 0, 0, 0));
    }
}
