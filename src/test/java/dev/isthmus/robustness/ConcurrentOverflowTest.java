package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.robustness.RecursionModule.Runaway;
import dev.isthmus.WasmTrap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #5, robustness: stack overflows on many threads at once, in every prologue variant, all through one shared
 * instance.
 * <ul>
 *   <li>8 platform threads, fresh in each of several rounds (so each thread's wasm stack and signal stack are set up
 *       and torn down again), overflow together (a phaser lines them up), once per kind of {@link Runaway}; every one traps
 *       and then computes right results;</li>
 *   <li>1,000 virtual threads on the default scheduler (a carrier pool of a few OS threads, so carriers run wasm for
 *       many virtual threads one after another): every fourth overflows, the others compute, yielding between calls
 *       so they move between carriers; every result is right;</li>
 *   <li>200 virtual threads whose wasm calls a host function that sleeps, overflows the stack in a nested call,
 *       yields and returns, with up to 1,000 wasm frames below it: a virtual thread inside wasm stays on its carrier
 *       (the native frames pin it), so no other virtual thread's wasm lands on that carrier's stack meanwhile.</li>
 * </ul>
 */
class ConcurrentOverflowTest {
    static final int PLATFORM_THREADS = 8;
    static final int ROUNDS = 5;
    static final int VIRTUAL_THREADS = 1_000;
    static final int BLOCKING_VIRTUAL_THREADS = 200;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void eightPlatformThreadsOverflowTogether(PrologueVariant variant) throws Exception {
        CompiledModule module = RecursionModule.compile(variant);
        try (Instance instance = module.instantiate()) {
            for (int round = 0; round < ROUNDS; round++) {
                // every thread overflows at the same moment; one that fails deregisters, so the others go on
                Phaser together = new Phaser(PLATFORM_THREADS);
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
                for (int t = 0; t < PLATFORM_THREADS; t++) {
                    int first = t;
                    threads.add(Thread.ofPlatform().name("overflow-" + round + "-" + t).start(() -> {
                        try {
                            Runaway[] kinds = Runaway.values();
                            for (int i = 0; i < kinds.length; i++) {
                                together.arriveAndAwaitAdvance();
                                RecursionModule.assertExhausts(instance, kinds[(first + i) % kinds.length]);
                                RecursionModule.assertStillWorks(instance);
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        } finally {
                            together.arriveAndDeregister();
                        }
                    }));
                }
                for (Thread thread : threads) thread.join();
                if (!failures.isEmpty()) {
                    AssertionError error = new AssertionError(variant + ", round " + round + ": " + failures.size()
                            + " of " + PLATFORM_THREADS + " threads failed", failures.getFirst());
                    failures.stream().skip(1).forEach(error::addSuppressed);
                    throw error;
                }
            }
            RecursionModule.assertStillWorks(instance);
            System.gc();
            RecursionModule.assertStillWorks(instance);
        } finally {
            module.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void thousandVirtualThreads(PrologueVariant variant) throws Exception {
        CompiledModule module = RecursionModule.compile(variant);
        AtomicInteger trapped = new AtomicInteger();
        try (Instance instance = module.instantiate()) {
            List<Future<?>> tasks = new ArrayList<>();
            try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < VIRTUAL_THREADS; t++) {
                    int index = t;
                    tasks.add(virtual.submit(() -> {
                        int n = 10 + index % 10;
                        assertArrayEquals(new Object[] {fib(n)}, instance.call("fib", n), "fib " + n);
                        Thread.yield();
                        if (index % 4 == 0) {
                            RecursionModule.assertExhausts(instance, Runaway.values()[index / 4 % Runaway.values().length]);
                            trapped.incrementAndGet();
                            Thread.yield();
                        }
                        assertArrayEquals(new Object[] {(long) index * (index + 1) / 2}, instance.call("depth", index),
                                "depth " + index);
                        return null;
                    }));
                }
            }
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    throw new AssertionError(variant + ": a virtual thread failed", e.getCause());
                }
            }
            assertEquals(VIRTUAL_THREADS / 4, trapped.get());
            System.gc();
            RecursionModule.assertStillWorks(instance);
        } finally {
            module.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void virtualThreadsBlockingInsideHostCalls(PrologueVariant variant) throws Exception {
        try (HostBoundaryModule m = HostBoundaryModule.instantiate(variant, (instance, argument) -> {
            Thread.sleep(1);
            RecursionModule.assertExhaustion(assertThrows(WasmTrap.class, () -> instance.call("forever", argument)),
                    Set.of("forever"));
            Thread.yield();
            return 5;
        })) {
            List<Future<?>> tasks = new ArrayList<>();
            try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < BLOCKING_VIRTUAL_THREADS; t++) {
                    int depth = t * 7 % 1_000;
                    tasks.add(virtual.submit(() -> {
                        assertEquals(depth + 5, m.call("deepThenReenter", depth), "deepThenReenter " + depth);
                        return null;
                    }));
                }
            }
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    throw new AssertionError(variant + ": a virtual thread failed", e.getCause());
                }
            }
            System.gc();
            assertEquals(6765, m.call("fib", 20));
        }
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
