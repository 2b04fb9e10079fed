package dev.isthmus.robustness;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.runtime.signal.FaultTables;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The child JVM of {@link LifetimeCrashTest}: one lifetime scenario per run ({@code args[0]}), which could end the
 * process if instances or modules freed native state under running code. Prints {@code result ...} lines and
 * {@link #DONE} when every check held; a failed check throws (exit status 1), a crash ends the JVM.
 */
public final class LifetimeChild {
    static final String DONE = "lifetime child done";

    private static final String SPIN = """
            (module
              (global $g (mut i32) (i32.const 0))
              (memory (export "memory") 1)
              (func (export "spinGlobals") (param $n i32) (result i32)
                (loop $l
                  (global.set $g (i32.add (global.get $g) (i32.const 1)))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $l (local.get $n)))
                (global.get $g))
              (func (export "spinMemory") (param $n i32) (result i32)
                (loop $l
                  (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $l (local.get $n)))
                (i32.load (i32.const 16)))
              (func (export "bumpMemory") (param $n i32) (result i32)
                ;; a bounded leaf (no loop, no call): entered through a critical downcall
                (i32.store (i32.const 32) (i32.add (i32.load (i32.const 32)) (local.get $n)))
                (i32.load (i32.const 32))))
            """;

    private static final String HOST_CLOSE = """
            (module
              (import "env" "cb" (func $cb))
              (global $g (mut i32) (i32.const 0))
              (memory (export "memory") 1)
              (func (export "run") (result i32)
                (call $cb)
                (i32.store (i32.const 8) (i32.const 42))
                (global.set $g (i32.add (global.get $g) (i32.const 5)))
                (i32.add (i32.load (i32.const 8)) (global.get $g))))
            """;

    private static final String EXPORTER = """
            (module
              (memory (export "mem") 1)
              (global (export "g") (mut i32) (i32.const 7))
              (table (export "t") 2 funcref)
              (func $f (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.load (i32.const 0))))
              (elem (i32.const 0) $f))
            """;

    private static final String IMPORTER = """
            (module
              (import "a" "f" (func $f (param i32) (result i32)))
              (import "a" "mem" (memory 1))
              (import "a" "g" (global $g (mut i32)))
              (import "a" "t" (table 2 funcref))
              (type $t (func (param i32) (result i32)))
              (func (export "run") (param i32) (result i32)
                (i32.store (i32.const 0) (i32.const 100))
                (global.set $g (i32.add (global.get $g) (i32.const 1)))
                (i32.add (call $f (local.get 0))
                  (i32.add (global.get $g) (call_indirect (type $t) (local.get 0) (i32.const 0))))))
            """;

    private static final String PEEK = """
            (module
              (import "a" "mem" (memory 1))
              (func (export "peek") (result i32) (i32.load (i32.const 0))))
            """;

    private static final String SMALL = """
            (module
              (memory (export "memory") 1)
              (global $g (mut i32) (i32.const 0))
              (func (export "bump") (result i32)
                (global.set $g (i32.add (global.get $g) (i32.const 1)))
                (i32.store (i32.const 0) (global.get $g))
                (i32.load (i32.const 0))))
            """;

    private LifetimeChild() {
    }

    public static void main(String[] args) throws Throwable {
        switch (args[0]) {
            case "race" -> race(args[1], Integer.parseInt(args[2]));
            case "host-close" -> hostClose();
            case "module-close" -> moduleClose();
            case "import-order" -> importOrder();
            case "no-close" -> noClose(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println(DONE);
    }

    private static CompiledModule compile(String wat) {
        return Isthmus.create().compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    private static void check(boolean condition, String what) {
        if (!condition) throw new AssertionError(what);
    }

    private static void expectClosed(ThrowingRunnable action, String what) throws Throwable {
        try {
            action.run();
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError(what + ": no IllegalStateException");
    }

    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    /**
     * {@code iterations} times: a worker thread calls {@code export} (a loop of 2,000 iterations on a global or on
     * memory) again and again while this thread closes the instance after a random short delay. Every call must
     * return the right value or be refused with IllegalStateException; the worker must then stop.
     */
    private static void race(String export, int iterations) throws Throwable {
        CompiledModule module = compile(SPIN);
        long completed = 0;
        long refused = 0;
        try (ExecutorService worker = Executors.newSingleThreadExecutor()) {
            for (int i = 0; i < iterations; i++) {
                Instance instance = module.instantiate();
                MethodHandle spin = instance.function(export);
                CountDownLatch started = new CountDownLatch(1);
                Future<long[]> calls = worker.submit(() -> {
                    long done = 0;
                    started.countDown();
                    while (true) {
                        int result;
                        try {
                            result = (int) spin.invokeExact(2000);
                        } catch (IllegalStateException closed) {
                            return new long[] {done, 1};
                        } catch (Throwable t) {
                            throw new AssertionError("call " + done + " ended with " + t, t);
                        }
                        done++;
                        // the i32 result wraps: a close delayed past 2^31 / 2000 calls must not look wrong
                        if (result != (int) (2000 * done)) {
                            throw new AssertionError("call " + done + " returned " + result);
                        }
                    }
                });
                started.await();
                long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(60_000);
                while (System.nanoTime() < until) Thread.onSpinWait();
                instance.close();
                long[] outcome = calls.get();
                completed += outcome[0];
                refused += outcome[1];
                expectClosed(() -> instance.call(export, 1), "call after close");
            }
        }
        module.close();
        check(refused == iterations, "every worker stopped on IllegalStateException");
        System.out.println("result race " + export + " iterations=" + iterations + " completed=" + completed
                + " refused=" + refused);
    }

    static Instance self;

    static void closeSelf() {
        self.close();                                       // from inside the call: must not wait, must not free
        try {
            self.call("run");
            throw new AssertionError("a new call into the closed instance was accepted");
        } catch (IllegalStateException expected) {
            // refused before starting
        }
    }

    /** A host function closes the instance whose call it runs in; the call goes on using memory and globals. */
    private static void hostClose() throws Throwable {
        MethodHandle cb = MethodHandles.lookup().findStatic(LifetimeChild.class, "closeSelf",
                MethodType.methodType(void.class));
        CompiledModule module = compile(HOST_CLOSE);
        int ok = 0;
        for (int i = 0; i < 200; i++) {
            self = module.instantiate(Imports.builder().function("env", "cb", cb).build());
            Instance instance = self;
            Object[] result = instance.call("run");
            check((int) result[0] == 47, "run returned " + result[0]);
            expectClosed(() -> instance.call("run"), "call after close from a host function");
            expectClosed(() -> instance.memory("memory"), "memory after close");
            ok++;
        }
        module.close();
        System.out.println("result host-close calls=" + ok);
    }

    /** CompiledModule.close() while instances live: they keep working; the code goes when the last one is freed. */
    private static void moduleClose() throws Throwable {
        int rounds = 200;
        for (int i = 0; i < rounds; i++) {
            CompiledModule module = compile(SMALL);
            Instance a = module.instantiate();
            Instance b = module.instantiate();
            check((int) a.call("bump")[0] == 1, "a before");
            module.close();
            expectClosed(module::instantiate, "instantiate a closed module");
            check((int) a.call("bump")[0] == 2, "a after module close");
            check((int) b.call("bump")[0] == 1, "b after module close");
            a.close();
            check((int) b.call("bump")[0] == 2, "b after a closed");
            b.close();
            expectClosed(() -> b.call("bump"), "b after close");
        }
        // and racing: a worker calls while this thread closes the module and then the instance
        try (ExecutorService worker = Executors.newSingleThreadExecutor()) {
            for (int i = 0; i < 300; i++) {
                CompiledModule module = compile(SPIN);
                Instance instance = module.instantiate();
                MethodHandle spin = instance.function("spinMemory");
                Future<Long> calls = worker.submit(() -> {
                    long done = 0;
                    while (true) {
                        try {
                            int ignored = (int) spin.invokeExact(1000);
                        } catch (IllegalStateException closed) {
                            return done;
                        } catch (Throwable t) {
                            throw new AssertionError(t);
                        }
                        done++;
                    }
                });
                module.close();
                Thread.sleep(0, 50_000);
                instance.close();
                calls.get();
            }
        }
        System.out.println("result module-close rounds=" + rounds + " racing=300");
    }

    /** Closing an exporter while an importer lives: the importer keeps using its functions, memory, globals, tables. */
    private static void importOrder() throws Throwable {
        CompiledModule exporterModule = compile(EXPORTER);
        CompiledModule importerModule = compile(IMPORTER);
        CompiledModule peekModule = compile(PEEK);
        int rounds = 300;
        for (int i = 0; i < rounds; i++) {
            Instance a = exporterModule.instantiate();
            Instance b = importerModule.instantiate(Imports.builder().instance("a", a).build());
            Instance d = peekModule.instantiate(Imports.builder().memory("a", "mem", a.memory("mem")).build());
            a.close();                                   // returns: no call in flight; b and d still hold its state
            expectClosed(() -> a.call("f", 1), "call into the closed exporter");
            expectClosed(() -> importerModule.instantiate(Imports.builder().instance("a", a).build()),
                    "importing from a closed instance");
            check((int) b.call("run", 1)[0] == 210, "importer after the exporter closed");
            check((int) b.call("run", 1)[0] == 211, "importer, second call");
            check((int) d.call("peek")[0] == 100, "memory importer after the exporter closed");
            if (i % 2 == 0) {
                b.close();
                check((int) d.call("peek")[0] == 100, "memory importer after the other importer closed");
                d.close();
            } else {
                d.close();
                check((int) b.call("run", 1)[0] == 212, "importer after the memory importer closed");
                b.close();
            }
            expectClosed(() -> b.call("run", 1), "importer after close");
        }
        System.out.println("result import-order rounds=" + rounds);
    }

    /** {@code count} instances with a guard-page memory each, never closed. */
    private static void noClose(int count) throws Throwable {
        CompiledModule module = compile(SMALL);
        int peak = 0;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Instance instance = module.instantiate();
            check((int) instance.call("bump")[0] == 1, "instance " + i);
            peak = Math.max(peak, FaultTables.faultRegions().size());
        }
        System.out.println("result no-close instances=" + count + " peak-live-fault-regions=" + peak + " ms="
                + (System.nanoTime() - start) / 1_000_000);
    }
}
