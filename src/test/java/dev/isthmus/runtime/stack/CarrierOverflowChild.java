package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The child JVM of {@link VirtualThreadCarriersTest}: many virtual threads on a small carrier pool
 * ({@code -Djdk.virtualThreadScheduler.parallelism}/{@code maxPoolSize}), each overflowing the wasm stack with
 * guard-page-only recursion (which needs the carrier's alternate signal stack) several times, yielding in between.
 * Prints {@code traps N}, {@code contexts N} (wasm contexts attached: one per carrier that ran wasm), then
 * {@code DONE}; a missing alternate stack shows as the process dying.
 */
final class CarrierOverflowChild {
    private CarrierOverflowChild() {
    }

    static final int THREADS = 1000;
    static final int OVERFLOWS_PER_THREAD = 5;

    public static void main(String[] args) throws Exception {
        TestFunctions functions = TestFunctions.get();
        int traps = 0;
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(virtualThreads.submit(() -> {
                    int mine = 0;
                    for (int i = 0; i < OVERFLOWS_PER_THREAD; i++) {
                        try {
                            WasmCall.invoke(functions.recurseForever);
                        } catch (TrapException trap) {
                            if (trap.kind() == TrapCode.CALL_STACK_EXHAUSTED) mine++;
                        }
                        Thread.yield();
                        if (WasmCall.invoke(functions.weightedSum, i, 0, 0, 0) != i) throw new AssertionError();
                    }
                    return mine;
                }));
            }
            for (Future<Integer> result : results) traps += result.get();
        }
        System.out.println("traps " + traps);
        System.out.println("contexts " + ThreadContexts.attachedCount());
        System.out.println("DONE");
    }
}
