package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * What a code-generation feature costs, measured in one JVM so that both sides see the same machine load (the
 * machinery of {@link PollCost} and {@link FuelCost}): every workload — the call-stack ones of the prologue
 * benchmarks ({@link Workload}) and kernels of {@code bench/kernels} at their bench size — compiled twice, without
 * the feature (side A) and with it (side B), then timed in alternating slices (A B, B A, ...) as CPU time of the
 * calling thread per call (not wall time: time descheduled on a loaded machine does not count); prints, per
 * workload, the median ratio B/A over the pairs of slices and its quartiles.
 */
final class PairedCost {
    private PairedCost() {
    }

    /** The kernels measured by default. */
    static final String DEFAULT_KERNELS = "sieve,matmul,quicksort,keccak,chacha20,hashmap,brif-loops,csv";

    /** How one side compiles: with {@code engine}, and {@code property} set to {@code value} meanwhile (or none). */
    record Variant(Isthmus engine, String property, String value) {
        Variant(Isthmus engine) {
            this(engine, null, null);
        }

        <T> T compiling(Supplier<T> compile) {
            if (property == null) return compile.get();
            String old = System.getProperty(property);
            System.setProperty(property, value);
            try {
                return compile.get();
            } finally {
                if (old == null) System.clearProperty(property);
                else System.setProperty(property, old);
            }
        }
    }

    /** A workload as two bound handles (A, B) and the check of its result. */
    private record Side(String name, MethodHandle a, MethodHandle b, IntConsumer check) {
    }

    /**
     * {@link #run} with the command line of {@link PollCost} and {@link FuelCost}: {@code [pairs] [ms] [kernels]}
     * (defaults 40 pairs of 100 ms slices, {@link #DEFAULT_KERNELS}).
     */
    static void main(String[] args, String title, Variant a, Variant b) throws Throwable {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 100) * 1_000_000L;
        String kernels = args.length > 2 ? args[2] : DEFAULT_KERNELS;
        run(title, a, b, kernels, pairs, sliceNanos);
    }

    /**
     * Compiles every workload and the comma list {@code kernels} both ways, measures and prints.
     *
     * @param title what B/A is ("fuel on / off")
     */
    static void run(String title, Variant a, Variant b, String kernels, int pairs, long sliceNanos) throws Throwable {
        List<Side> sides = new ArrayList<>();
        List<Instance> keep = new ArrayList<>();
        for (Workload w : Workload.values()) {
            Instance ia = a.compiling(() -> a.engine().compile(BenchInputs.bytes(w.wasm)).instantiate());
            Instance ib = b.compiling(() -> b.engine().compile(BenchInputs.bytes(w.wasm)).instantiate());
            keep.add(ia);
            keep.add(ib);
            sides.add(new Side(w.param, w.bind(ia.function(w.function)), w.bind(ib.function(w.function)),
                    r -> w.check("isthmus", r)));
        }
        for (String name : kernels.split(",")) {
            if (name.isBlank()) continue;
            Kernel k = Kernel.of(name.trim());
            Instance ia = a.compiling(() -> k.instantiate(a.engine()));
            Instance ib = b.compiling(() -> k.instantiate(b.engine()));
            keep.add(ia);
            keep.add(ib);
            sides.add(new Side("kernel " + k.name(), Kernel.bind(ia.function("run"), k.benchSize()),
                    Kernel.bind(ib.function("run"), k.benchSize()), r -> k.check("isthmus", k.benchSize(), r)));
        }
        System.out.printf("%-20s %8s %8s %8s   (%s, %d pairs of %d ms slices)%n",
                "workload", "median", "p25", "p75", title, pairs, sliceNanos / 1_000_000);
        for (Side s : sides) {
            Paired p = paired(s.a, s.b, s.check, s.check, pairs, sliceNanos);
            System.out.printf("%-20s %8.3f %8.3f %8.3f%n", s.name, p.ratio(2), p.ratio(1), p.ratio(3));
        }
        for (Instance i : keep) i.close();
    }

    /**
     * The CPU time per call of A and of B over {@code pairs} pairs of alternating slices, and the ratio B/A of each
     * pair, each array sorted.
     */
    record Paired(double[] a, double[] b, double[] ratios) {
        /** Quartile {@code q} (0 min, 2 median, 4 max) of the ratios. */
        double ratio(int q) {
            return ratios[Math.min(ratios.length - 1, q * ratios.length / 4)];
        }

        /** The median CPU time per call of side A, B. */
        double medianA() {
            return a[a.length / 2];
        }

        double medianB() {
            return b[b.length / 2];
        }
    }

    /** Warms both handles, then times them in {@code pairs} pairs of slices (A B, B A, ...); checks each slice's result. */
    static Paired paired(MethodHandle a, MethodHandle b, IntConsumer checkA, IntConsumer checkB, int pairs,
                         long sliceNanos) throws Throwable {
        for (int i = 0; i < 3; i++) {                          // warm both
            perCall(b, checkB, sliceNanos);
            perCall(a, checkA, sliceNanos);
        }
        double[] timesA = new double[pairs];
        double[] timesB = new double[pairs];
        double[] ratios = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            if (p % 2 == 0) {
                timesB[p] = perCall(b, checkB, sliceNanos);
                timesA[p] = perCall(a, checkA, sliceNanos);
            } else {
                timesA[p] = perCall(a, checkA, sliceNanos);
                timesB[p] = perCall(b, checkB, sliceNanos);
            }
            ratios[p] = timesB[p] / timesA[p];
        }
        Arrays.sort(timesA);
        Arrays.sort(timesB);
        Arrays.sort(ratios);
        return new Paired(timesA, timesB, ratios);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds of this thread per call, calling for about {@code sliceNanos} of wall time. */
    private static double perCall(MethodHandle h, IntConsumer check, long sliceNanos) throws Throwable {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long end = System.nanoTime() + sliceNanos;
        int calls = 0;
        do {
            int r = (int) h.invokeExact();
            if (calls == 0) check.accept(r);
            calls++;
        } while (System.nanoTime() < end);
        return (double) (THREADS.getCurrentThreadCpuTime() - cpuStart) / calls;
    }
}
