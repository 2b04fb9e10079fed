package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.os.LinuxConstants;
import dev.isthmus.os.MemoryMapping;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The shim reads the fault tables while Java rewrites them: traps keep being classified correctly while other
 * threads register and remove code, stacks (threads coming and going) and fault regions.
 */
class ConcurrentRegistrationTest {
    private final TestFunctions functions = TestFunctions.get();

    @Test
    void trapsStayCorrectWhileTablesChurn() throws Exception {
        long size = 1L << 16;
        long reservation = MemoryMapping.mmap(0, size, LinuxConstants.PROT_NONE,
                LinuxConstants.MAP_PRIVATE | LinuxConstants.MAP_ANONYMOUS | LinuxConstants.MAP_NORESERVE, -1, 0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Registration region = FaultTables.registerFaultRegion(reservation, reservation + size,
                TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 300 && failure.get() == null; i++) {
                            TrapException oob = assertThrows(TrapException.class,
                                    () -> WasmCall.invoke(functions.load, reservation + 64, 0, 0, 0));
                            assertEquals(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS, oob.kind());
                            TrapException exhausted = assertThrows(TrapException.class,
                                    () -> WasmCall.invoke(functions.recurseForever));
                            assertEquals(TrapCode.CALL_STACK_EXHAUSTED, exhausted.kind());
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            Thread churn = Thread.ofPlatform().start(() -> {
                long fake = 0x10_0000_0000L;
                try {
                    while (!stop.get()) {
                        try (Registration code = FaultTables.registerCode(fake, fake + 4096);
                                Registration fault = FaultTables.registerFaultRegion(fake + 8192, fake + 12288,
                                        TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS)) {
                            assertTrue(code.end() > code.start() && fault.end() > fault.start());
                        }
                        // a thread that attaches (stack registered) and ends (stack deregistered when reaped)
                        Thread shortLived = Thread.ofPlatform().start(
                                () -> assertEquals(1, WasmCall.invoke(functions.weightedSum, 1, 0, 0, 0)));
                        shortLived.join();
                        ThreadContexts.reapExited();
                        fake += 0x10000;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            for (Thread thread : threads) {
                thread.join();
            }
            stop.set(true);
            churn.join();
        } finally {
            MemoryMapping.munmap(reservation, size);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void contextsOfEndedThreadsDoNotAccumulate() throws Exception {
        for (int i = 0; i < 40; i++) {
            Thread thread = Thread.ofPlatform().start(
                    () -> assertEquals(2, WasmCall.invoke(functions.weightedSum, 2, 0, 0, 0)));
            thread.join();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        ThreadContexts.reapExited();
        while (ThreadContexts.attachedCount() > 20 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            ThreadContexts.reapExited();
        }
        // Other test classes' threads (pool workers, this thread) may still be attached; the 40 ended ones are not.
        assertTrue(ThreadContexts.attachedCount() <= 20, "attached: " + ThreadContexts.attachedCount());
    }
}
