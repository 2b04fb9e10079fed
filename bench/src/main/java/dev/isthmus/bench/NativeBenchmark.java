package dev.isthmus.bench;

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

import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * The native side of the prologue comparison: each {@link Workload}'s C compiled by gcc -O3 and clang-14 -O3 into
 * {@code bench/native/lib*.so}, called through a Panama downcall. Run in the same JMH invocation as
 * {@link PrologueBenchmark} ({@code bench/chart/*.py} pair them by workload), with the same settings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xss8m"})
public class NativeBenchmark {
    @Param({"ackermann", "ackermann-wat", "fib", "calls", "deep"})
    String workload;

    private MethodHandle gcc;
    private MethodHandle clang;

    @Setup
    public void load() throws Throwable {
        Workload w = Workload.of(workload);
        gcc = w.nativeHandle("gcc");
        clang = w.nativeHandle("clang");
        w.check("gcc", (int) gcc.invokeExact());
        w.check("clang", (int) clang.invokeExact());
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
