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
import java.util.concurrent.TimeUnit;

/**
 * ackermann(3, N) from the seed issue, three ways in one run:
 * <ul>
 *   <li>{@code gcc}: {@code bench/native/libackermann-gcc.so} (gcc -O3) through a Panama downcall;</li>
 *   <li>{@code clang}: {@code bench/native/libackermann-clang.so} (clang-14 -O3) through a Panama downcall;</li>
 *   <li>{@code isthmus}: {@code examples/ackermann/ackermann.wasm} (clang-14 -O3 to wasm32) compiled by Isthmus,
 *       its export called with {@code invokeExact}.</li>
 * </ul>
 * All handles are static finals so the JIT treats them as constants. One call recurses about
 * 2<sup>2N+5</sup> times, so the downcall/entry overhead is noise for N ≥ 7. Ratio of interest: isthmus / clang.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AckermannBenchmark {
    private static final int M = 3;
    private static final MethodHandle GCC = nativeAckermann("bench/native/libackermann-gcc.so");
    private static final MethodHandle CLANG = nativeAckermann("bench/native/libackermann-clang.so");
    /** Kept reachable for the handle's sake; null if Isthmus could not compile or instantiate the module. */
    private static final Instance INSTANCE;
    private static final MethodHandle ISTHMUS;

    static {
        Instance instance = null;
        MethodHandle handle;
        try {
            instance = Isthmus.create().compile(BenchInputs.bytes("examples/ackermann/ackermann.wasm")).instantiate();
            handle = instance.function("ackermann");
        } catch (RuntimeException | LinkageError e) {
            // the native baselines still run; the isthmus benchmark reports why it cannot
            handle = MethodHandles.dropArguments(MethodHandles.throwException(int.class, IllegalStateException.class)
                    .bindTo(new IllegalStateException("Isthmus could not load ackermann.wasm", e)), 0,
                    int.class, int.class);
        }
        INSTANCE = instance;
        ISTHMUS = handle;
    }

    @Param({"7", "10"})
    int n;

    @Setup
    public void checkResults() throws Throwable {
        int expected = (1 << (n + 3)) - 3;
        int gcc = (int) GCC.invokeExact(M, n);
        int clang = (int) CLANG.invokeExact(M, n);
        int isthmus = INSTANCE == null ? expected : (int) ISTHMUS.invokeExact(M, n);
        if (gcc != expected || clang != expected || isthmus != expected) {
            throw new IllegalStateException("ackermann(3, " + n + ") should be " + expected + ": gcc " + gcc
                    + ", clang " + clang + ", isthmus " + isthmus);
        }
    }

    @Benchmark
    public int gcc() throws Throwable {
        return (int) GCC.invokeExact(M, n);
    }

    @Benchmark
    public int clang() throws Throwable {
        return (int) CLANG.invokeExact(M, n);
    }

    @Benchmark
    public int isthmus() throws Throwable {
        return (int) ISTHMUS.invokeExact(M, n);
    }

    private static MethodHandle nativeAckermann(String library) {
        SymbolLookup lookup = SymbolLookup.libraryLookup(BenchInputs.file(library), Arena.global());
        return Linker.nativeLinker().downcallHandle(lookup.findOrThrow("ackermann"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
}
