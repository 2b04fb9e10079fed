package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.signal.SignalShim;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Infinite recursion on the wasm stack hits the guard; the fault is delivered on the thread's alternate signal
 * stack and becomes "call stack exhausted" — repeatedly, concurrently, and on virtual threads — and the JVM keeps
 * working afterwards (see {@link JvmChainingTest} for what "working" is checked to mean).
 */
class StackExhaustionTest {
    private final TestFunctions functions = TestFunctions.get();

    @Test
    void thousandOverflowsInARowOnOneThread() {
        long trappedBefore = SignalShim.trappedCount();
        for (int i = 0; i < 1000; i++) {
            expectExhausted(functions.recurseForever);
        }
        assertTrue(SignalShim.trappedCount() - trappedBefore >= 1000, "each one went through the signal shim");
        assertEquals(5, WasmCall.invoke(functions.weightedSum, 5, 0, 0, 0));
        System.gc();
    }

    @Test
    void overflowWithPageSizedFrames() {
        for (int i = 0; i < 100; i++) {
            expectExhausted(functions.recurseWithBigFrames);
        }
    }

    @Test
    void eightThreadsOverflowConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(overflowRepeatedly(250)));
            }
            for (Future<Integer> result : results) {
                assertEquals(250, result.get());
            }
        } finally {
            pool.shutdown();
        }
        System.gc();
    }

    @Test
    void virtualThreadsOverflowOnTheirCarriersStacks() throws Exception {
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                results.add(virtualThreads.submit(() -> {
                    int traps = 0;
                    for (int i = 0; i < 20; i++) {
                        expectExhausted(functions.recurseForever);
                        traps++;
                        Thread.yield();                       // invites a move to another carrier
                        assertEquals(i, WasmCall.invoke(functions.weightedSum, i, 0, 0, 0));
                    }
                    return traps;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(20, result.get());
            }
        }
    }

    private Callable<Integer> overflowRepeatedly(int times) {
        return () -> {
            int traps = 0;
            for (int i = 0; i < times; i++) {
                expectExhausted(i % 2 == 0 ? functions.recurseForever : functions.recurseWithBigFrames);
                traps++;
                assertEquals(i, WasmCall.invoke(functions.weightedSum, i, 0, 0, 0));
            }
            return traps;
        };
    }

    private static void expectExhausted(long function) {
        TrapException trap = assertThrows(TrapException.class, () -> WasmCall.invoke(function));
        assertEquals(TrapCode.CALL_STACK_EXHAUSTED, trap.kind());
        assertEquals("call stack exhausted", trap.getMessage());
        EntryRecord record = EntryRecord.current();
        assertTrue(record.faultAddress() != 0);
    }
}
