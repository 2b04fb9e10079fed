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

    /**
     * The side measured: a parameter rather than three methods, so JMH runs a kernel's three sides one after the other
     * (JMH orders runs by method, then by parameters with the last one varying fastest): on a shared machine, a
     * kernel's ratios then come from minutes closer together than a method-per-side order would give.
     */
    @Param({"gcc", "clang", "isthmus"})
    String side;

    private MethodHandle handle;
    private Instance instance;

    @Setup(Level.Trial)
    public void load() throws Throwable {
        Kernel k = Kernel.of(kernel);
        if (side.equals("isthmus")) {
            instance = k.instantiate(Isthmus.create());
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
