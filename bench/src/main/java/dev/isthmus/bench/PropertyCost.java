package dev.isthmus.bench;

import dev.isthmus.Isthmus;

/**
 * What any compile-time measurement switch changes ({@link PairedCost}): every workload compiled by the default engine
 * with system property {@code PROPERTY} set to {@code OFF} while compiling (side A) and as it is by default (side B),
 * timed in alternating slices in one JVM; prints the median ratio default / OFF of the CPU time per call, and its
 * quartiles. {@link PollCost} and {@link UnrollCost} are this for {@code isthmus.safepointPolls} and
 * {@code isthmus.unroll}; for loop strip mining:
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.PropertyCost \
 *       isthmus.stripMining false [pairs] [ms] [kernels] [layouts]
 * </pre>
 * Run from the repository root; {@code kernels} is a comma list (default {@link PairedCost#DEFAULT_KERNELS});
 * {@code layouts} code layouts per side (default 1: the code as placed normally).
 */
public final class PropertyCost {
    private PropertyCost() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: PropertyCost PROPERTY OFF [pairs] [ms] [kernels] [layouts] [granule]");
            System.exit(2);
        }
        Isthmus engine = Isthmus.create();
        PairedCost.main(java.util.Arrays.copyOfRange(args, 2, args.length), "default / " + args[0] + "=" + args[1],
                new PairedCost.Variant(engine, args[0], args[1]), new PairedCost.Variant(engine));
    }
}
