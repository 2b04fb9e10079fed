package dev.isthmus.robustness;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.Compilation;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child JVM of {@link LazyCompilationCrashTest}: what could kill a JVM in code compiled when first called, in
 * one compilation mode and tier-up budget. Prints one {@code outcome} line per scenario, then {@code DONE}.
 *
 * <ul>
 *   <li>{@code chain L}: endless recursion through a cycle of 1,500 functions with L locals each (about a stack per
 *       lap), so the stack runs out during the first lap, while calls still go through lazy stubs and compile,
 *       at different depths for different L; twice, then a call that must still work;</li>
 *   <li>{@code leaf}: an exported bounded leaf (entered through a critical downcall) called before it has code;</li>
 *   <li>{@code interrupt}: an endless loop in a function compiled on its first call, interrupted.</li>
 * </ul>
 */
final class LazyCompilationChild {
    private LazyCompilationChild() {
    }

    static final String OUTCOME = "outcome ";
    static final String DONE = "DONE";
    static final int[] LOCALS = {30, 61, 97, 130};
    static final int FUNCTIONS = 1500;

    public static void main(String[] args) throws Throwable {
        Compilation mode = Compilation.parse(args[0]);
        int budget = Integer.parseInt(args[1]);
        Isthmus engine = Isthmus.builder().compilation(mode).tierUpBudget(budget).build();
        for (int locals : LOCALS) {
            CompiledModule module = engine.compile(chain(locals).getBytes(StandardCharsets.UTF_8));
            try (Instance instance = module.instantiate()) {
                for (int i = 0; i < 2; i++) System.out.println(OUTCOME + "chain " + locals + " " + outcome(instance));
                if ((int) instance.call("ping", 41)[0] != 42) throw new AssertionError("ping is wrong afterwards");
            }
            module.close();
        }
        CompiledModule leaves = engine.compile("""
                (module (func (export "leaf") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
                        (func (export "spin") (loop $l (br $l))))
                """.getBytes(StandardCharsets.UTF_8));
        try (Instance instance = leaves.instantiate()) {
            MethodHandle leaf = instance.function("leaf");
            System.out.println(OUTCOME + "leaf " + (int) leaf.invokeExact(40, 2));
            AtomicReference<String> spun = new AtomicReference<>();
            Thread spinner = Thread.ofPlatform().start(() -> spun.set(outcome(() -> instance.call("spin"))));
            while (spinner.isAlive()) {
                instance.interrupt();
                spinner.join(10);
            }
            System.out.println(OUTCOME + "interrupt " + spun.get());
        }
        System.out.println(DONE);
    }

    /** A cycle of FUNCTIONS functions, each with {@code locals} i64 locals it touches, calling the next. */
    static String chain(int locals) {
        StringBuilder wat = new StringBuilder("(module\n");
        for (int i = 0; i < FUNCTIONS; i++) {
            wat.append("(func $f").append(i).append(" (param i64) (result i64)");
            for (int k = 0; k < locals; k++) wat.append(" (local i64)");
            wat.append(" (local.set ").append(locals).append(" (local.get 0))");
            wat.append(" (i64.add (call $f").append((i + 1) % FUNCTIONS).append(" (i64.add (local.get 0) (i64.const 1)))");
            wat.append(" (local.get ").append(locals).append(")))\n");
        }
        wat.append("(func (export \"run\") (result i64) (call $f0 (i64.const 0)))\n");
        wat.append("(func (export \"ping\") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))");
        return wat.toString();
    }

    private static String outcome(Instance instance) {
        return outcome(() -> instance.call("run"));
    }

    private static String outcome(Runnable call) {
        try {
            call.run();
            return "returned";
        } catch (WasmTrap trap) {
            return "trap:" + trap.kind();
        } catch (Throwable t) {
            return "threw:" + t;
        }
    }
}
