package dev.isthmus.robustness;

import dev.isthmus.CompiledModule;
import dev.isthmus.HostFunction;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code src/test/resources/robustness/host-boundary.wat} instantiated with Java host functions that may call back
 * into the same instance: wasm and Java calling each other while one of the two stacks overflows.
 *
 * <pre>
 *   deepThenReenter(d)       wasm d deep ──▶ host "reenter" ──▶ (whatever the test's reenter does)
 *   deepThenJavaOverflow(d)  wasm d deep ──▶ host "javaOverflow": Java recursion until StackOverflowError
 *   throughHost(n)           wasm ──▶ reenter ──▶ throughHost(n + 1) ──▶ reenter ──▶ ...  (never ends)
 *   hostEveryLevel(n)        endless wasm recursion calling host "observe" at every level
 *   builtinEveryLevel(n)     endless wasm recursion calling memory.grow and memory.fill at every level
 *   forever(n), fib(n)       plain wasm
 * </pre>
 */
final class HostBoundaryModule implements AutoCloseable {
    private static final FuncType UNARY = new FuncType(List.of(ValType.I32), List.of(ValType.I32));

    /** What the host function {@code reenter} does: gets the instance and its i32 argument, returns its result. */
    interface Reentry {
        int reenter(Instance instance, int argument) throws Throwable;
    }

    private final CompiledModule module;
    private final Instance instance;
    private final AtomicLong observed;

    private HostBoundaryModule(CompiledModule module, Instance instance, AtomicLong observed) {
        this.module = module;
        this.instance = instance;
        this.observed = observed;
    }

    /** The module compiled in {@code variant}, its host function {@code reenter} doing {@code reentry}. */
    static HostBoundaryModule instantiate(PrologueVariant variant, Reentry reentry) {
        Instance[] self = new Instance[1];
        HostFunction reenter = args -> new Object[] {reentry.reenter(self[0], (int) args[0])};
        HostFunction javaOverflow = args -> new Object[] {JavaRecursion.endless((int) args[0])};
        AtomicLong observed = new AtomicLong();
        HostFunction observe = args -> {
            observed.incrementAndGet();
            return new Object[] {args[0]};
        };
        Imports imports = Imports.builder()
                .function("env", "reenter", UNARY, reenter)
                .function("env", "javaOverflow", UNARY, javaOverflow)
                .function("env", "observe", UNARY, observe)
                .build();
        CompiledModule module = variant.engine().compile(RecursionModule.resource("host-boundary.wat"));
        try {
            self[0] = module.instantiate(imports);
        } catch (RuntimeException | Error e) {
            module.close();
            throw e;
        }
        return new HostBoundaryModule(module, self[0], observed);
    }

    Instance instance() {
        return instance;
    }

    /** How many times the host function {@code observe} ran. */
    long observed() {
        return observed.get();
    }

    /** Calls the export {@code name} with one i32 and returns its i32 result. */
    int call(String name, int argument) {
        return (int) instance.call(name, argument)[0];
    }

    @Override
    public void close() {
        instance.close();
        module.close();
    }

    /** Java code that recurses until the Java stack overflows. */
    static final class JavaRecursion {
        private JavaRecursion() {
        }

        static int endless(int depth) {
            return endless(depth + 1) + 1;
        }
    }
}
