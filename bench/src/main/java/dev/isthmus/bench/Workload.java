package dev.isthmus.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * The call-stack workloads of the prologue-variants issue: each C source compiled three ways — to wasm32 by
 * clang-14 -O3 ({@code examples/<name>/}), and natively by gcc -O3 and clang-14 -O3 ({@code bench/native/}).
 *
 * <table>
 *   <caption>workloads</caption>
 *   <tr><th>workload</th><th>call</th><th>what it stresses</th></tr>
 *   <tr><td>ackermann</td><td>ackermann(3, 7)</td><td>the seed issue's C, ~2<sup>19</sup> recursive calls</td></tr>
 *   <tr><td>ackermann-wat</td><td>ackermann(3, 7)</td><td>the seed's exact WAT (native side: the same C)</td></tr>
 *   <tr><td>fib</td><td>fib(25)</td><td>two recursive calls per level, ~250,000 calls</td></tr>
 *   <tr><td>calls</td><td>calls(100000)</td><td>four tiny noinline calls per loop iteration</td></tr>
 *   <tr><td>deep</td><td>deep(20000)</td><td>one frame per level 20,000 deep, then unwinding</td></tr>
 * </table>
 *
 * Every handle is adapted to {@code ()int} with its arguments bound, so the benchmark methods of
 * {@link NativeBenchmark} and {@link PrologueBenchmark} are identical but for the handle.
 */
enum Workload {
    ACKERMANN("ackermann", "examples/ackermann/ackermann.wasm", "ackermann", 1021, 3, 7),
    ACKERMANN_WAT("ackermann-wat", "examples/ackermann/ackermann-wat.wasm", "ackermann", 1021, 3, 7),
    FIB("fib", "examples/fib/fib.wasm", "fib", 75025, 25),
    CALLS("calls", "examples/calls/calls.wasm", "calls", Expected.calls(100_000), 100_000),
    DEEP("deep", "examples/deep/deep.wasm", "deep", Expected.deep(20_000), 20_000);

    /** The name used in {@code @Param}. */
    final String param;
    /** The wasm module, relative to the repository root. */
    final String wasm;
    /** The export and native symbol (ackermann-wat's native side is the same C as ackermann's). */
    final String function;
    final int expected;
    final int[] arguments;

    Workload(String param, String wasm, String function, int expected, int... arguments) {
        this.param = param;
        this.wasm = wasm;
        this.function = function;
        this.expected = expected;
        this.arguments = arguments;
    }

    static Workload of(String param) {
        return Arrays.stream(values()).filter(w -> w.param.equals(param)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workload " + param));
    }

    /** The native function compiled by {@code compiler} (gcc or clang), as {@code ()int}. */
    MethodHandle nativeHandle(String compiler) {
        String library = "bench/native/lib" + function + "-" + compiler + ".so";
        SymbolLookup lookup = SymbolLookup.libraryLookup(BenchInputs.file(library), Arena.global());
        ValueLayout[] parameters = new ValueLayout[arguments.length];
        Arrays.fill(parameters, ValueLayout.JAVA_INT);
        return bind(Linker.nativeLinker().downcallHandle(lookup.findOrThrow(function),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, parameters)));
    }

    /** {@code handle} with the workload's arguments bound, as {@code ()int}. */
    MethodHandle bind(MethodHandle handle) {
        Object[] bound = Arrays.stream(arguments).boxed().toArray();
        return MethodHandles.insertArguments(handle, 0, bound).asType(MethodType.methodType(int.class));
    }

    /** Checks a result of this workload computed by {@code side}. */
    void check(String side, int actual) {
        if (actual != expected) {
            throw new IllegalStateException(param + " " + Arrays.toString(arguments) + " should be " + expected
                    + ", " + side + " returned " + actual);
        }
    }

    /** The workloads' results computed in Java (C unsigned arithmetic as int with >>>), to check every side. */
    static final class Expected {
        private Expected() {
        }

        static int calls(int n) {
            int acc = 0;
            for (int i = 0; i < n; i++) {
                int a = acc + 1;
                int b = i << 1;
                int mixed = (a ^ b) + (a >>> 3);
                acc = (i & 1) != 0 ? mixed : acc;
            }
            return acc;
        }

        static int deep(int n) {
            int result = 0;
            for (int level = 1; level <= n; level++) result = (result >> 1) + level;
            return result;
        }
    }
}
