package dev.isthmus.bench;

import dev.isthmus.Isthmus;

/**
 * What fuel metering costs ({@code Isthmus.Builder.consumeFuel}; {@link PairedCost}): every workload compiled by the
 * default engine and by the same engine with fuel on (a budget no run exhausts), timed in alternating slices in one
 * JVM; prints the median ratio on/off of the CPU time per call, and its quartiles.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.FuelCost [pairs] [ms] [kernels] [layouts]
 * </pre>
 * Run from the repository root; {@code kernels} is a comma list
 * (default {@link PairedCost#DEFAULT_KERNELS}), {@code layouts} the code layouts per side the ratio is taken over
 * (default 1; {@code PairedCost}).
 */
public final class FuelCost {
    private FuelCost() {
    }

    public static void main(String[] args) throws Throwable {
        PairedCost.main(args, "fuel on / off", new PairedCost.Variant(Isthmus.create()),
                new PairedCost.Variant(Isthmus.builder().consumeFuel(true).initialFuel(Long.MAX_VALUE).build()));
    }
}
