package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.CompilerOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * The SIMD kernels of the suite ({@code bench/kernels/}: bytesearch, hash32, matmul4, matmulf, blend, hex, dot16),
 * each measured in one run as: its SIMD wasm build ({@code NAME-simd.wasm}, clang-14 -O3 -msimd128) under Isthmus
 * with AVX and without, its scalar wasm build ({@code NAME.wasm}) under Isthmus, and the same C natively by gcc -O3
 * and clang-14 -O3 at {@code -march=x86-64-v2} and {@code -march=native} ({@code -ffp-contract=off}). Every side's
 * result is checked against the committed checksum. {@code scripts/simd-bench.sh} runs it and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class SimdKernelBenchmark {
    @Param({"bytesearch", "hash32", "matmul4", "matmulf", "blend", "hex", "dot16"})
    String kernel;

    /** The side measured (a parameter, so a kernel's sides run one after the other; see KernelBenchmark). */
    @Param({"gcc-v2", "gcc-native", "clang-v2", "clang-native", "isthmus-simd", "isthmus-simd-noavx",
            "isthmus-scalar"})
    String side;

    private MethodHandle handle;
    private Instance instance;

    @Setup(Level.Trial)
    public void load() throws Throwable {
        Kernel k = Kernel.of(side.startsWith("isthmus-simd") ? kernel + "-simd" : kernel);
        if (side.startsWith("isthmus")) {
            boolean avx = !side.endsWith("-noavx");
            instance = k.instantiate(Isthmus.builder().compilerOptions(CompilerOptions.DEFAULT.withAvx(avx)).build());
            handle = Kernel.bind(instance.function("run"), k.benchSize());
        } else {
            handle = k.nativeHandle(side);
        }
        k.check(side, k.benchSize(), (int) handle.invokeExact());
    }

    @TearDown(Level.Trial)
    public void close() {
        if (instance != null) instance.close();
    }

    @Benchmark
    public int run() throws Throwable {
        return (int) handle.invokeExact();
    }
}
