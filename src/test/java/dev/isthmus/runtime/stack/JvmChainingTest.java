package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.signal.SignalShim;
import dev.isthmus.runtime.trap.TrapException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Faults that are not ours reach HotSpot's handler through the shim — on threads that run wasm (and so have an
 * alternate signal stack, on which the chained JVM handler then runs) and on threads that never do.
 *
 * <p>Not tested in-process, by design: a wild fault in registered code outside every fault region is chained to
 * the JVM too, which then writes an hs_err file and ends the process.
 */
class JvmChainingTest {
    private final TestFunctions functions = TestFunctions.get();

    @Test
    void implicitNullChecksStillThrowAfterTraps() {
        trapAFewTimes();
        long chainedBefore = SignalShim.chainedCount();
        assertEquals(1000, nullPointerExceptionsFromHotCode(1000));
        assertTrue(SignalShim.chainedCount() > chainedBefore,
                "at least one NullPointerException came from a SIGSEGV that the shim passed to HotSpot");
        trapAFewTimes();
        Thread other = Thread.ofPlatform().unstarted(() -> assertEquals(500, nullPointerExceptionsFromHotCode(500)));
        other.start();
        join(other);
    }

    @Test
    void implicitNullChecksOnVirtualThreadsThatRunWasm() throws Exception {
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(virtualThreads.submit(() -> {
                    trapAFewTimes();
                    Thread.yield();
                    return nullPointerExceptionsFromHotCode(100);
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(100, result.get());
            }
        }
    }

    @Test
    void garbageCollectionWorksAfterTraps() {
        trapAFewTimes();
        for (int i = 0; i < 5; i++) {
            byte[][] garbage = new byte[2000][];
            for (int j = 0; j < garbage.length; j++) {
                garbage[j] = new byte[1024];
            }
            System.gc();
            trapAFewTimes();
            assertEquals(1024, garbage[garbage.length - 1].length);
        }
    }

    @Test
    void javaStackOverflowErrorOnAThreadThatRunsWasm() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().stackSize(1 << 20).unstarted(() -> {
            try {
                for (int round = 0; round < 3; round++) {
                    trapAFewTimes();
                    assertThrows(StackOverflowError.class, () -> recurse(0));
                    assertEquals(3, WasmCall.invoke(functions.weightedSum, 3, 0, 0, 0));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        join(thread);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    private void trapAFewTimes() {
        for (int i = 0; i < 3; i++) {
            assertThrows(TrapException.class, () -> WasmCall.invoke(functions.recurseForever));
            assertThrows(TrapException.class, () -> WasmCall.invoke(functions.unreachable));
        }
    }

    /** Warms a field access up until the JIT compiles it with an implicit null check, then feeds it nulls. */
    private static int nullPointerExceptionsFromHotCode(int nulls) {
        Holder holder = new Holder();
        long sum = 0;
        for (int i = 0; i < 300_000; i++) {
            sum += valueOf(holder);
        }
        assertTrue(sum > 0);
        int caught = 0;
        for (int i = 0; i < nulls; i++) {
            try {
                valueOf(null);
            } catch (NullPointerException expected) {
                caught++;
            }
        }
        return caught;
    }

    private static int valueOf(Holder holder) {
        return holder.value;
    }

    private static final class Holder {
        int value = 1;
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
