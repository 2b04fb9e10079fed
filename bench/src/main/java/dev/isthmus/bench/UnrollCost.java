package dev.isthmus.bench;

import dev.isthmus.Isthmus;

/**
 * What loop unrolling ({@code compiler.optimizing.passes.LoopUnrolling}) gains ({@link PairedCost}): every workload
 * compiled by the default engine with unrolling and without it ({@code -Disthmus.unroll=false} while compiling, a
 * measurement switch), timed in alternating slices in one JVM; prints the median ratio unrolled/not unrolled of the
 * CPU time per call (below 1: unrolling is faster), and its quartiles.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.UnrollCost [pairs] [ms] [kernels] [layouts]
 * </pre>
 * Run from the repository root; {@code kernels} is a comma list
 * (default {@link PairedCost#DEFAULT_KERNELS}), {@code layouts} the code layouts per side the ratio is taken over
 * (default 1; {@code PairedCost}).
 */
public final class UnrollCost {
    private UnrollCost() {
    }

    public static void main(String[] args) throws Throwable {
        Isthmus engine = Isthmus.create();
        PairedCost.main(args, "unrolled / not unrolled", new PairedCost.Variant(engine, "isthmus.unroll", "false"),
                new PairedCost.Variant(engine));
    }
}
