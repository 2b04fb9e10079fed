package dev.isthmus.robustness;

import dev.isthmus.CompiledModule;
import dev.isthmus.Global;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.UninstantiableException;
import dev.isthmus.WasmTrap;
import dev.isthmus.model.FuncType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The interruption scenarios of {@link InterruptTest}, run in a child JVM (an interrupt is a fault turned into a
 * trap by the signal shim: a mistake there would kill the JVM). {@code main(scenario)} prints {@code ok <what>} for
 * every check that passed and exits 1 with the reason on the first that failed.
 */
public final class InterruptChild {
    private InterruptChild() {
    }

    private static final long WAIT_MS = 3_000;

    public static void main(String[] args) throws Exception {
        try {
            switch (args[0]) {
                case "variants" -> variants();
                case "host" -> insideHostFunction();
                case "thread" -> threadInterrupt();
                case "timeout" -> timeout();
                case "isolation" -> isolation();
                case "cycles" -> cycles();
                default -> throw new IllegalArgumentException(args[0]);
            }
        } catch (Throwable t) {
            System.out.println("FAILED " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
        System.out.flush();
    }

    /** A host "tick" the test can swap per instance. */
    private static final class Tick {
        volatile Runnable action = () -> { };
    }

    private static Instance instantiate(CompiledModule module, Tick tick) {
        return module.instantiate(Imports.builder().function("env", "tick", new FuncType(List.of(), List.of()),
                args -> {
                    tick.action.run();
                    return new Object[0];
                }).build());
    }

    private static CompiledModule compile(Isthmus engine) {
        return engine.compile(RecursionModule.resource("interrupt.wat"));
    }

    /** Runs {@code export(args)} on a new thread; what it threw (or null) lands in the returned reference. */
    private static Thread start(Instance instance, AtomicReference<Throwable> outcome, String export, Object... args) {
        Thread thread = new Thread(() -> {
            try {
                instance.call(export, args);
                outcome.set(new AssertionError(export + " returned"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "wasm-" + export);
        thread.start();
        return thread;
    }

    /** Waits for {@code thread} and asserts that its call trapped "interrupted" in one of {@code functions}. */
    private static WasmTrap expectInterrupted(Thread thread, AtomicReference<Throwable> outcome, Set<String> functions)
            throws InterruptedException {
        thread.join(WAIT_MS);
        if (thread.isAlive()) throw new AssertionError(thread.getName() + " still runs after the interrupt");
        return assertInterrupted(outcome.get(), functions);
    }

    private static WasmTrap assertInterrupted(Throwable thrown, Set<String> functions) {
        if (!(thrown instanceof WasmTrap trap)) throw new AssertionError("expected a trap, got " + thrown, thrown);
        if (trap.kind() != TrapKind.INTERRUPTED) throw new AssertionError("wrong kind: " + trap.describe());
        if (!trap.getMessage().contains("interrupted")) throw new AssertionError("message: " + trap.getMessage());
        if (trap.backtrace().isEmpty()) throw new AssertionError("no backtrace: " + trap.describe());
        String top = trap.backtrace().getFirst().name().orElse("?");
        if (!functions.contains(top)) throw new AssertionError("top frame " + top + ": " + trap.describe());
        if (trap.backtrace().getFirst().codeOffset() <= 0) {
            throw new AssertionError("no instruction offset for the poll: " + trap.describe());
        }
        return trap;
    }

    private static void assertWorks(Instance instance) {
        Object[] out = instance.call("sum", 1000);
        if (!out[0].equals(500_500L)) throw new AssertionError("sum(1000) = " + out[0]);
    }

    /** Interrupts {@code export} running on another thread once it has started (after a few ms). */
    private static WasmTrap interruptRunning(Instance instance, String export, Set<String> functions, Object... args)
            throws InterruptedException {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread thread = start(instance, outcome, export, args);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        Thread.sleep(5);
        while (!instance.interrupt()) {                       // false until the call is in flight
            if (System.nanoTime() > end) throw new AssertionError(export + " never started");
            Thread.sleep(1);
        }
        return expectInterrupted(thread, outcome, functions);
    }

    /** Every prologue variant: a loop, a recursion, a tail recursion, a loop calling the host. */
    static void variants() throws Exception {
        for (PrologueVariant variant : PrologueVariant.all()) {
            CompiledModule module = compile(variant.engine());
            try (Instance instance = instantiate(module, new Tick())) {
                interruptRunning(instance, "spin", Set.of("spin"));
                assertWorks(instance);
                interruptRunning(instance, "fib", Set.of("fib"), 60);
                assertWorks(instance);
                interruptRunning(instance, "fibLoop", Set.of("fibLoop"), 60);
                assertWorks(instance);
                interruptRunning(instance, "tail", Set.of("tail"), 0);
                assertWorks(instance);
                interruptRunning(instance, "countedSpin", Set.of("countedSpin"));
                assertWorks(instance);
                interruptRunning(instance, "spinHost", Set.of("spinHost"));
                assertWorks(instance);
            } finally {
                module.close();
            }
            // clang's fib (examples/fib): the loop whose self-call's entry poll replaces the loop head's
            CompiledModule clang = variant.engine().compile(Files.readAllBytes(Path.of("examples/fib/fib.wasm")));
            try (Instance instance = clang.instantiate()) {
                interruptRunning(instance, "fib", Set.of("fib"), 60);
                Object[] out = instance.call("fib", 20);
                if (!out[0].equals(6765)) throw new AssertionError("fib(20) = " + out[0]);
            } finally {
                clang.close();
            }
            System.out.println("ok " + variant);
        }
    }

    /** Interrupted while inside the host function: the poll traps when wasm resumes. */
    static void insideHostFunction() throws Exception {
        CompiledModule module = compile(Isthmus.create());
        Tick tick = new Tick();
        try (Instance instance = instantiate(module, tick)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            tick.action = () -> {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread thread = start(instance, outcome, "spinHost");
            if (!entered.await(WAIT_MS, TimeUnit.MILLISECONDS)) throw new AssertionError("tick never called");
            if (!instance.interrupt()) throw new AssertionError("interrupt() saw no call in flight");
            Thread.sleep(20);
            if (!thread.isAlive()) throw new AssertionError("the host function was cut short");
            release.countDown();
            expectInterrupted(thread, outcome, Set.of("spinHost"));
            tick.action = () -> { };
            assertWorks(instance);
            System.out.println("ok interrupted inside a host function, trapped when wasm resumed");
            if (instance.interrupt()) throw new AssertionError("interrupt() with no call in flight did something");
            assertWorks(instance);
            System.out.println("ok interrupt with no call in flight does nothing");
        } finally {
            module.close();
        }
    }

    /** Thread.interrupt() of a thread running wasm; and the opt-out. */
    static void threadInterrupt() throws Exception {
        CompiledModule module = compile(Isthmus.create());
        try (Instance instance = instantiate(module, new Tick())) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    instance.call("spin");
                    outcome.set(new AssertionError("spin returned"));
                } catch (Throwable t) {
                    outcome.set(t);
                }
                stillInterrupted.set(Thread.interrupted());       // clears it, so the next call runs
                try {
                    assertWorks(instance);
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            thread.start();
            Thread.sleep(20);
            thread.interrupt();
            expectInterrupted(thread, outcome, Set.of("spin"));
            if (!Boolean.TRUE.equals(stillInterrupted.get())) throw new AssertionError("interrupt status cleared");
            System.out.println("ok Thread.interrupt() stops the call");
        } finally {
            module.close();
        }
        CompiledModule optOut = compile(Isthmus.builder().threadInterrupts(false).build());
        try (Instance instance = instantiate(optOut, new Tick())) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread thread = start(instance, outcome, "spin");
            Thread.sleep(20);
            thread.interrupt();
            Thread.sleep(100);
            if (!thread.isAlive()) throw new AssertionError("threadInterrupts(false) but stopped: " + outcome.get());
            instance.interrupt();
            expectInterrupted(thread, outcome, Set.of("spin"));
            System.out.println("ok threadInterrupts(false) ignores Thread.interrupt()");
        } finally {
            optOut.close();
        }
    }

    /** A per-call timeout. */
    static void timeout() throws Exception {
        CompiledModule module = compile(Isthmus.builder().callTimeout(Duration.ofMillis(50)).build());
        try (Instance instance = instantiate(module, new Tick())) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                try {
                    instance.call("spin");
                    throw new AssertionError("spin returned");
                } catch (WasmTrap trap) {
                    assertInterrupted(trap, Set.of("spin"));
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms < 50 || ms > 2_000) throw new AssertionError("timed out after " + ms + " ms");
                assertWorks(instance);                        // a short call is not cut short
                System.out.println("ok timeout after " + ms + " ms");
            }
        } finally {
            module.close();
        }
        // the start function runs under the same timeout: instantiation fails with the interrupted trap
        CompiledModule looping = Isthmus.builder().callTimeout(Duration.ofMillis(50)).build()
                .compile("(module (func $loop (loop br 0)) (start $loop))".getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        try {
            looping.instantiate().close();
            throw new AssertionError("the start function returned");
        } catch (UninstantiableException e) {
            if (e.trap() == null || e.trap().kind() != TrapKind.INTERRUPTED) throw new AssertionError(e);
        } finally {
            looping.close();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (ms < 50 || ms > 2_000) throw new AssertionError("start function timed out after " + ms + " ms");
        System.out.println("ok start function timeout after " + ms + " ms");
    }

    /** Two instances of one module on two threads: interrupting one leaves the other running. */
    static void isolation() throws Exception {
        CompiledModule module = compile(Isthmus.create());
        try (Instance a = instantiate(module, new Tick()); Instance b = instantiate(module, new Tick())) {
            AtomicReference<Throwable> outcomeA = new AtomicReference<>();
            AtomicReference<Object> resultB = new AtomicReference<>();
            Thread threadA = start(a, outcomeA, "spin");
            Thread threadB = new Thread(() -> {
                try {
                    resultB.set(b.call("spinUntilStop")[0]);
                } catch (Throwable t) {
                    resultB.set(t);
                }
            });
            threadB.start();
            // interrupt a once its call is in flight (a fixed sleep raced a loaded machine: the assertion then left
            // both calls running, and closing their instances waited for them for ever: a child JVM that hung)
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (!a.interrupt()) {
                if (System.nanoTime() > end) throw new AssertionError("a's call never started");
                Thread.sleep(1);
            }
            expectInterrupted(threadA, outcomeA, Set.of("spin"));
            Thread.sleep(50);
            if (!threadB.isAlive()) throw new AssertionError("b stopped: " + resultB.get());
            Global stop = b.global("stop");
            stop.set(1);
            threadB.join(WAIT_MS);
            if (!(resultB.get() instanceof Integer n) || n <= 0) throw new AssertionError("b: " + resultB.get());
            System.out.println("ok the other instance kept running and returned " + resultB.get());
            if (module.interrupt() != 0) throw new AssertionError("module.interrupt() with nothing running");
            assertWorks(a);
            assertWorks(b);
        } finally {
            module.close();
        }
    }

    /** 1,000 interrupt/call cycles (self-interrupt from the host), then 100 from another thread: no leak, no crash. */
    static void cycles() throws Exception {
        CompiledModule module = compile(Isthmus.create());
        Tick tick = new Tick();
        try (Instance instance = instantiate(module, tick)) {
            AtomicInteger ticks = new AtomicInteger();
            tick.action = () -> {
                if (ticks.incrementAndGet() == 3) instance.interrupt();
            };
            cycle(instance, ticks, 10);                       // warm up before counting mappings
            long mappings = mappings();
            cycle(instance, ticks, 1_000);
            long grownByCycles = mappings() - mappings;
            // a leak per cycle would add ≥ 1000; the JVM itself maps a few regions meanwhile (code heap, threads)
            if (grownByCycles > 10) throw new AssertionError("1000 cycles grew the mappings by " + grownByCycles);
            System.out.println("ok 1000 interrupt/call cycles on one thread, mappings grew by " + grownByCycles);
            tick.action = () -> { };
            for (int i = 0; i < 100; i++) {
                interruptRunning(instance, i % 2 == 0 ? "spin" : "spinHost", Set.of("spin", "spinHost"));
            }
            assertWorks(instance);
            long grown = mappings() - mappings;
            if (grown > 40) throw new AssertionError("mappings grew by " + grown);
            System.out.println("ok 100 more from other threads (one thread each), mappings grew by " + grown);
        } finally {
            module.close();
        }
        // instances created and interrupted in a loop: their poll pages and fault regions are freed
        CompiledModule fresh = compile(Isthmus.create());
        for (int i = 0; i < 5; i++) instantiate(fresh, new Tick()).close();
        long mappings = mappings();
        for (int i = 0; i < 300; i++) {
            Tick t = new Tick();
            try (Instance instance = instantiate(fresh, t)) {
                t.action = instance::interrupt;
                try {
                    instance.call("spinHost");
                    throw new AssertionError("spinHost returned");
                } catch (WasmTrap trap) {
                    assertInterrupted(trap, Set.of("spinHost"));
                }
            }
        }
        long grown = mappings() - mappings;
        fresh.close();
        if (grown > 20) throw new AssertionError("mappings grew by " + grown + " over 300 instances");
        System.out.println("ok 300 instances interrupted and closed, mappings grew by " + grown);
    }

    private static void cycle(Instance instance, AtomicInteger ticks, int count) {
        for (int i = 0; i < count; i++) {
            ticks.set(0);
            try {
                instance.call("spinHost");
                throw new AssertionError("spinHost returned");
            } catch (WasmTrap trap) {
                assertInterrupted(trap, Set.of("spinHost"));
            }
            assertWorks(instance);
        }
    }

    private static long mappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }
}
