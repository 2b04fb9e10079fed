package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.CodeAlignment;
import dev.isthmus.options.StackCheck;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * The wasm side of the prologue comparison: each {@link Workload} compiled by Isthmus (optimizing tier) under every
 * prologue variant and code layout, called through its export's MethodHandle. Run in ONE JMH invocation with
 * {@link NativeBenchmark} so every ratio to native comes from the same run:
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar 'PrologueBenchmark|NativeBenchmark' -rf json -rff prologue.json
 * </pre>
 *
 * <p>{@link #variant} is {@code STACK-CHECK/fp} or {@code STACK-CHECK/nofp} ({@link StackCheck#flag()}, frame
 * pointer kept or omitted). {@link #alignment} is a {@link CodeAlignment#parse} spec: the function-entry residue
 * modulo 64 and the loop-head alignment ({@code default}: the engine's default policy), so every variant is measured at several controlled layouts and the
 * results report the spread over layouts rather than one lucky placement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xss8m"})
public class PrologueBenchmark {
    @Param({"ackermann", "ackermann-wat", "fib", "calls", "deep"})
    String workload;

    @Param({"guard-page/nofp", "guard-page/fp", "probe/nofp", "probe/fp", "explicit-pinned/nofp",
            "explicit-pinned/fp", "explicit/nofp", "explicit/fp"})
    String variant;

    @Param({"64+0:1", "64+16:1", "64+32:1", "64+48:1", "64+0:32", "64+16:32", "64+32:32", "64+48:32"})
    String alignment;

    private MethodHandle isthmus;
    /** Kept reachable for its handle's sake. */
    private Instance instance;

    /** The engine for a variant name and an alignment spec. */
    static Isthmus engine(String variant, String alignment) {
        String[] parts = variant.split("/", -1);
        if (parts.length != 2 || !parts[1].matches("fp|nofp")) {
            throw new IllegalArgumentException("variant must be STACK-CHECK/fp or STACK-CHECK/nofp: " + variant);
        }
        return Isthmus.builder()
                .stackCheck(StackCheck.parse(parts[0]))
                .framePointer(parts[1].equals("fp"))
                .codeAlignment(alignment.equals("default") ? CodeAlignment.DEFAULT : CodeAlignment.parse(alignment))
                .build();
    }

    @Setup
    public void load() throws Throwable {
        Workload w = Workload.of(workload);
        instance = engine(variant, alignment).compile(BenchInputs.bytes(w.wasm)).instantiate();
        isthmus = w.bind(instance.function(w.function));
        w.check("isthmus " + variant + " " + alignment, (int) isthmus.invokeExact());
    }

    @TearDown
    public void close() {
        instance.close();
    }

    @Benchmark
    public int isthmus() throws Throwable {
        return (int) isthmus.invokeExact();
    }
}
