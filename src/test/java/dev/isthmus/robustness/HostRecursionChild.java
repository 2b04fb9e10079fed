package dev.isthmus.robustness;

import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import dev.isthmus.WasmTrap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child JVM of {@link HostRecursionCrashTest}: endless recursion that alternates between wasm and a Java host
 * function ({@code throughHost} of {@link HostBoundaryModule}), on platform threads with Java stacks of several
 * sizes, in one prologue variant. Prints one {@code outcome} line per call, then {@code DONE}; a JVM crash shows as
 * the process dying instead.
 *
 * <pre>
 *   java ... HostRecursionChild STACK_CHECK FRAME_POINTER TIER
 *   outcome 256K trap:CALL_STACK_EXHAUSTED
 *   ...
 *   DONE
 * </pre>
 */
final class HostRecursionChild {
    private HostRecursionChild() {
    }

    static final int[] JAVA_STACK_KIB = {256, 512, 1024, 2048, 8192};
    static final int CALLS_PER_STACK = 3;
    static final String OUTCOME = "outcome ";
    static final String DONE = "DONE";

    public static void main(String[] args) throws Exception {
        PrologueVariant variant = new PrologueVariant(StackCheck.parse(args[0]), Boolean.parseBoolean(args[1]),
                Tier.valueOf(args[2]));
        try (HostBoundaryModule m = HostBoundaryModule.instantiate(variant,
                (instance, argument) -> (int) instance.call("throughHost", argument)[0])) {
            for (int kib : JAVA_STACK_KIB) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread thread = Thread.ofPlatform().stackSize((long) kib << 10).start(() -> {
                    try {
                        for (int i = 0; i < CALLS_PER_STACK; i++) {
                            System.out.println(OUTCOME + kib + "K " + outcome(m));
                            if (m.call("fib", 20) != 6765) throw new AssertionError("fib(20) is wrong afterwards");
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                thread.join();
                if (failure.get() != null) throw new AssertionError("Java stack " + kib + "K", failure.get());
                System.gc();
            }
        }
        System.out.println(DONE);
    }

    private static String outcome(HostBoundaryModule m) {
        try {
            return "returned " + m.call("throughHost", 0);
        } catch (WasmTrap trap) {
            return "trap:" + trap.kind();
        } catch (Throwable t) {
            return t.getClass().getName();
        }
    }
}
