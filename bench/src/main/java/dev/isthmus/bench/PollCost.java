package dev.isthmus.bench;

import dev.isthmus.Isthmus;

/**
 * What the safepoint polls cost ({@link PairedCost}): every workload compiled by the default engine without the polls
 * ({@code -Disthmus.safepointPolls=false} while compiling, a measurement switch) and with them, timed in alternating
 * slices in one JVM; prints the median ratio with/without of the CPU time per call, and its quartiles.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.PollCost [pairs] [ms] [kernels] [layouts]
 * </pre>
 * Run from the repository root (the workloads' wasm files are read from {@code examples/} and {@code bench/kernels});
 * {@code kernels} is a comma list
 * (default {@link PairedCost#DEFAULT_KERNELS}), {@code layouts} the code layouts per side the ratio is taken over
 * (default 1; {@code PairedCost}).
 */
public final class PollCost {
    private PollCost() {
    }

    public static void main(String[] args) throws Throwable {
        Isthmus engine = Isthmus.create();
        PairedCost.main(args, "with polls / without", new PairedCost.Variant(engine, "isthmus.safepointPolls", "false"),
                new PairedCost.Variant(engine));
    }
}
