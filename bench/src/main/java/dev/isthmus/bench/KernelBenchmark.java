package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
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
 * The kernel suite ({@code bench/kernels/}): per kernel, its wasm module under Isthmus with the default options, and
 * the same C natively by gcc -O3 and clang-14 -O3 (shared libraries called through Panama downcalls), each called
 * as {@code run(benchSize)} — one JMH run, so every ratio comes from the same run. Every side's result is checked
 * against the committed checksum in setup. {@code scripts/kernel-bench.sh} runs it and prints the ratios
 * ({@code bench/chart/kernel_ratios.py}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class KernelBenchmark {
    @Param({"ackermann", "fib", "sieve", "heapsort", "quicksort", "matmul", "base64", "ctype", "csv", "switch128",
            "switch5000", "memops-small", "memops-large", "memops-small-bulk", "memops-large-bulk", "keccak",
            "chacha20", "field25519", "prng", "hashmap", "brif-loops", "strsearch"})
    String kernel;

    private MethodHandle isthmus;
    private MethodHandle gcc;
    private MethodHandle clang;
    private Instance instance;

    @Setup(Level.Trial)
    public void load() throws Throwable {
        Kernel k = Kernel.of(kernel);
        instance = k.instantiate(Isthmus.create());
        isthmus = Kernel.bind(instance.function("run"), k.benchSize());
        gcc = k.nativeHandle("gcc");
        clang = k.nativeHandle("clang");
        k.check("isthmus", k.benchSize(), (int) isthmus.invokeExact());
        k.check("gcc", k.benchSize(), (int) gcc.invokeExact());
        k.check("clang", k.benchSize(), (int) clang.invokeExact());
    }

    @TearDown(Level.Trial)
    public void close() {
        instance.close();
    }

    @Benchmark
    public int isthmus() throws Throwable {
        return (int) isthmus.invokeExact();
    }

    @Benchmark
    public int gcc() throws Throwable {
        return (int) gcc.invokeExact();
    }

    @Benchmark
    public int clang() throws Throwable {
        return (int) clang.invokeExact();
    }
}
