package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The call-stack workloads of the prologue-variants issue, each three ways in ONE run so ratios are comparable:
 * {@code gcc} and {@code clang} (the C source compiled natively with -O3 into {@code bench/native/lib*.so}, called
 * through a Panama downcall) and {@code isthmus} (the C compiled to wasm32 by clang-14 -O3, compiled by Isthmus).
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
 * <p>Every handle is adapted to {@code ()int} with its arguments bound, so the three benchmark methods are
 * identical but for the handle; handles live in instance fields (per workload), which costs each side the same
 * few nanoseconds per call, noise beside calls of tens of microseconds.
 *
 * <p><b>Variant hook.</b> {@link #variant} selects the engine settings ({@link #engineFor(String)}); only
 * {@code "default"} exists today. The prologue variants add their names to the {@code @Param} list and their
 * {@link Isthmus.Builder} settings to {@code engineFor}; the native baselines ignore the variant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xss8m"})
public class PrologueBenchmark {
    /**
     * One workload: its wasm module and export, the native library base name and symbol, its arguments and the
     * expected result.
     */
    enum Workload {
        ACKERMANN("ackermann", "examples/ackermann/ackermann.wasm", "ackermann", 1021, 3, 7),
        ACKERMANN_WAT("ackermann-wat", "examples/ackermann/ackermann-wat.wasm", "ackermann", 1021, 3, 7),
        FIB("fib", "examples/fib/fib.wasm", "fib", 75025, 25),
        CALLS("calls", "examples/calls/calls.wasm", "calls", Expected.calls(100_000), 100_000),
        DEEP("deep", "examples/deep/deep.wasm", "deep", Expected.deep(20_000), 20_000);

        final String param;
        final String wasm;
        final String library;
        final int expected;
        final int[] arguments;

        Workload(String param, String wasm, String library, int expected, int... arguments) {
            this.param = param;
            this.wasm = wasm;
            this.library = library;
            this.expected = expected;
            this.arguments = arguments;
        }

        static Workload of(String param) {
            return Arrays.stream(values()).filter(w -> w.param.equals(param)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown workload " + param));
        }
    }

    /** The workloads' results computed in Java (C unsigned arithmetic as int with >>>), to check all three. */
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

    @Param({"ackermann", "ackermann-wat", "fib", "calls", "deep"})
    String workload;

    /** The engine variant (see the class comment); the native baselines ignore it. */
    @Param("default")
    String variant;

    private MethodHandle gcc;
    private MethodHandle clang;
    private MethodHandle isthmus;
    /** Kept reachable for its handle's sake. */
    private Instance instance;

    /** The engine settings of {@code variant}: the hook where the prologue variants plug in. */
    static Isthmus engineFor(String variant) {
        return switch (variant) {
            case "default" -> Isthmus.builder().build();
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @Setup
    public void load() throws Throwable {
        Workload w = Workload.of(workload);
        gcc = bind(nativeFunction("bench/native/lib" + nativeName(w) + "-gcc.so", w), w);
        clang = bind(nativeFunction("bench/native/lib" + nativeName(w) + "-clang.so", w), w);
        instance = engineFor(variant).compile(BenchInputs.bytes(w.wasm)).instantiate();
        isthmus = bind(instance.function(w.library), w);
        check("gcc", (int) gcc.invokeExact(), w);
        check("clang", (int) clang.invokeExact(), w);
        check("isthmus", (int) isthmus.invokeExact(), w);
    }

    @Benchmark
    public int gcc() throws Throwable {
        return (int) gcc.invokeExact();
    }

    @Benchmark
    public int clang() throws Throwable {
        return (int) clang.invokeExact();
    }

    @Benchmark
    public int isthmus() throws Throwable {
        return (int) isthmus.invokeExact();
    }

    private static String nativeName(Workload w) {
        return w.library;   // ackermann-wat's native side is the same C as ackermann's
    }

    private static MethodHandle nativeFunction(String library, Workload w) {
        SymbolLookup lookup = SymbolLookup.libraryLookup(BenchInputs.file(library), Arena.global());
        ValueLayout[] parameters = new ValueLayout[w.arguments.length];
        Arrays.fill(parameters, ValueLayout.JAVA_INT);
        return Linker.nativeLinker().downcallHandle(lookup.findOrThrow(w.library),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, parameters));
    }

    /** {@code handle} with the workload's arguments bound, as {@code ()int}. */
    private static MethodHandle bind(MethodHandle handle, Workload w) {
        Object[] arguments = Arrays.stream(w.arguments).boxed().toArray();
        return MethodHandles.insertArguments(handle, 0, arguments).asType(MethodType.methodType(int.class));
    }

    private static void check(String side, int actual, Workload w) {
        if (actual != w.expected) {
            throw new IllegalStateException(w.param + " " + Arrays.toString(w.arguments) + " should be " + w.expected
                    + ", " + side + " returned " + actual);
        }
    }
}
