package dev.isthmus.robustness;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.Tier;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fuel scenarios of {@link FuelRobustnessTest}, run in a child JVM (the out-of-fuel stub saves registers and
 * upcalls from any check: a mistake there would kill the JVM). {@code main(scenario)} prints {@code ok <what>} for
 * every check that passed and exits 1 with the reason on the first that failed.
 */
public final class FuelChild {
    private FuelChild() {
    }

    private static final String WAT = """
            (module
              (func $r (export "recurse") (call $r))
              (func (export "loop") (loop $l (br $l)))
              (func $fib (export "fib") (param i32) (result i32)
                (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
                  (then (local.get 0))
                  (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                 (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
            """;

    public static void main(String[] args) throws Exception {
        try {
            for (Tier tier : Tier.values()) {
                CompiledModule module = Isthmus.builder().tier(tier).consumeFuel(true).build()
                        .compile(WAT.getBytes(StandardCharsets.UTF_8));
                switch (args[0]) {
                    case "errors" -> errors(module, tier);
                    case "deep" -> deep(module, tier);
                    case "interrupt" -> interrupt(module, tier);
                    case "threads" -> threads(module, tier);
                    default -> throw new IllegalArgumentException(args[0]);
                }
            }
        } catch (Throwable t) {
            System.out.println("FAILED " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
        System.out.flush();
    }

    private static void check(boolean condition, String what) {
        if (!condition) throw new AssertionError(what);
        System.out.println("ok " + what);
    }

    /** Errors thrown by the handler come out of the call; the instance stays usable. */
    private static void errors(CompiledModule module, Tier tier) {
        try (Instance instance = module.instantiate()) {
            instance.setFuelHandler(i -> {
                throw new StackOverflowError("from the handler");
            });
            instance.setFuel(100);
            try {
                instance.call("fib", 25);
                check(false, tier + ": StackOverflowError in the handler traps");
            } catch (WasmTrap t) {
                check(t.kind() == TrapKind.CALL_STACK_EXHAUSTED, tier + ": StackOverflowError in the handler is "
                        + "call stack exhausted (" + t.kind() + ")");
            }
            OutOfMemoryError oom = new OutOfMemoryError("from the handler");
            instance.setFuelHandler(i -> {
                throw oom;
            });
            instance.setFuel(100);
            try {
                instance.call("fib", 25);
                check(false, tier + ": an Error in the handler ends the call");
            } catch (OutOfMemoryError e) {
                check(e == oom, tier + ": an Error in the handler comes out unchanged");
            }
            instance.setFuelHandler(i -> {
                System.gc();                                    // a GC with wasm frames on the stack
                byte[][] garbage = new byte[1000][];
                for (int k = 0; k < garbage.length; k++) garbage[k] = new byte[1024];
                return 10;
            });
            instance.setFuel(0);
            // fib(12): ~150 refills, each with a full GC (fib(18)'s ~8,000 took minutes on a loaded machine)
            check((int) instance.call("fib", 12)[0] == 144, tier + ": a GC in the handler at every refill");
        }
    }

    /** A handler asked at every function entry of an endless recursion: the stack runs out, as a trap. */
    private static void deep(CompiledModule module, Tier tier) {
        try (Instance instance = module.instantiate()) {
            AtomicInteger asked = new AtomicInteger();
            instance.setFuelHandler(i -> {
                asked.incrementAndGet();
                return 1;
            });
            instance.setFuel(0);
            try {
                instance.call("recurse");
                check(false, tier + ": endless recursion traps");
            } catch (WasmTrap t) {
                check(t.kind() == TrapKind.CALL_STACK_EXHAUSTED, tier + ": endless recursion refilled at every "
                        + "entry ends with call stack exhausted (" + t.kind() + ", " + asked.get() + " refills)");
            }
            instance.setFuelHandler(null);
            instance.setFuel(1_000_000);
            check((int) instance.call("fib", 15)[0] == 610, tier + ": usable afterwards");
        }
    }

    /** An endless loop kept alive by its handler is stopped by Instance.interrupt(). */
    private static void interrupt(CompiledModule module, Tier tier) throws InterruptedException {
        try (Instance instance = module.instantiate()) {
            instance.setFuelHandler(i -> 1000);
            instance.setFuel(0);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    instance.call("loop");
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            thread.start();
            Thread.sleep(200);
            instance.interrupt();
            thread.join(10_000);
            check(outcome.get() instanceof WasmTrap t && t.kind() == TrapKind.INTERRUPTED,
                    tier + ": a refilled endless loop is interrupted (" + outcome.get() + ")");
        }
    }

    /** Calls on several threads into one instance share its fuel; nothing breaks, the results are right. */
    private static void threads(CompiledModule module, Tier tier) throws InterruptedException {
        try (Instance instance = module.instantiate()) {
            instance.setFuelHandler(i -> 50);
            instance.setFuel(0);
            List<Thread> threads = new ArrayList<>();
            AtomicInteger right = new AtomicInteger();
            for (int k = 0; k < 4; k++) {
                Thread t = new Thread(() -> {
                    for (int j = 0; j < 20; j++) {
                        if ((int) instance.call("fib", 15)[0] == 610) right.incrementAndGet();
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join(60_000);
            check(right.get() == 80, tier + ": 4 threads x 20 calls refilled concurrently, all right");
        }
    }
}
