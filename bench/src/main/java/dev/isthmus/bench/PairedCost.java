package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.compiler.machine.CodeLinker;
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
            return property == null ? compile.get() : withProperty(property, value, compile);
        }
    }

    /** {@code compile} with system property {@code key} set to {@code value} meanwhile (restored after). */
    private static <T> T withProperty(String key, String value, Supplier<T> compile) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return compile.get();
        } finally {
            if (old == null) System.clearProperty(key);
            else System.setProperty(key, old);
        }
    }

    /** A workload as bound handles of A and of B, one per layout, and the check of its result. */
    private record Side(String name, MethodHandle[] a, MethodHandle[] b, IntConsumer check) {
    }

    /**
     * Code offsets (multiples of {@code granule}, 64 or 32, below 4096, {@code CodeLinker.OFFSET_PROPERTY}) of A's and
     * B's copies per layout: layout 0 is offset 0 for both (one layout measures the code as it is placed normally);
     * the others are drawn from a fixed seed, independently for A and B. With 32, a hot loop's 64-byte phase varies
     * too (loop heads stay 32-aligned).
     */
    private static int[][] offsets(int layouts, int granule) {
        if (granule != 64 && granule != 32) throw new IllegalArgumentException("layout granule " + granule);
        java.util.Random r = new java.util.Random(0x1A_70_75L);
        int[][] o = new int[2][layouts];
        for (int l = 1; l < layouts; l++) {
            o[0][l] = granule * r.nextInt(4096 / granule);
            o[1][l] = granule * r.nextInt(4096 / granule);
        }
        return o;
    }

    /**
     * A workload's side: A and B instantiated by {@code instantiate} (with each variant's engine and property) once
     * per layout at that layout's code offset, kept in {@code keep}, their handles bound by {@code bind}.
     */
    private static Side side(String name, Variant a, Variant b, int[][] offsets, List<Instance> keep,
                             java.util.function.Function<Isthmus, Instance> instantiate,
                             java.util.function.Function<Instance, MethodHandle> bind, IntConsumer check) {
        int layouts = offsets[0].length;
        MethodHandle[] ha = new MethodHandle[layouts], hb = new MethodHandle[layouts];
        for (int l = 0; l < layouts; l++) {
            Instance ia = at(offsets[0][l], () -> a.compiling(() -> instantiate.apply(a.engine())));
            Instance ib = at(offsets[1][l], () -> b.compiling(() -> instantiate.apply(b.engine())));
            keep.add(ia);
            keep.add(ib);
            ha[l] = bind.apply(ia);
            hb[l] = bind.apply(ib);
        }
        return new Side(name, ha, hb, check);
    }

    /** {@code compile} with the code offset of one layout set meanwhile. */
    private static <T> T at(int offset, Supplier<T> compile) {
        return withProperty(CodeLinker.OFFSET_PROPERTY, String.valueOf(offset), compile);
    }

    /**
     * {@link #run} with the command line of {@link PollCost} and {@link FuelCost}: {@code [pairs] [ms] [kernels]
     * [layouts] [granule]} (defaults 40 pairs of 100 ms slices, {@link #DEFAULT_KERNELS}, 1 layout, offsets in
     * multiples of 64 bytes).
     */
    static void main(String[] args, String title, Variant a, Variant b) throws Throwable {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 100) * 1_000_000L;
        String kernels = args.length > 2 ? args[2] : DEFAULT_KERNELS;
        int layouts = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int granule = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        run(title, a, b, kernels, pairs, sliceNanos, layouts, granule);
    }

    /**
     * Compiles every workload and the comma list {@code kernels} both ways, measures and prints.
     *
     * @param title what B/A is ("fuel on / off")
     */
    static void run(String title, Variant a, Variant b, String kernels, int pairs, long sliceNanos, int layouts,
                    int granule) throws Throwable {
        List<Side> sides = new ArrayList<>();
        List<Instance> keep = new ArrayList<>();
        int[][] offsets = offsets(layouts, granule);
        for (Workload w : Workload.values()) {
            sides.add(side(w.param, a, b, offsets, keep, engine -> engine.compile(BenchInputs.bytes(w.wasm)).instantiate(),
                    instance -> w.bind(instance.function(w.function)), r -> w.check("isthmus", r)));
        }
        for (String name : kernels.split(",")) {
            if (name.isBlank()) continue;
            Kernel k = Kernel.of(name.trim());
            sides.add(side("kernel " + k.name(), a, b, offsets, keep, k::instantiate,
                    instance -> Kernel.bind(instance.function("run"), k.benchSize()),
                    r -> k.check("isthmus", k.benchSize(), r)));
        }
        System.out.printf("%-20s %8s %8s %8s   (%s, %d pairs of %d ms slices%s)%n",
                "workload", "median", "p25", "p75", title, pairs, sliceNanos / 1_000_000,
                layouts > 1 ? ", " + layouts + " code layouts each side (offsets in " + granule + " B)" : "");
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

    /** {@link #paired(MethodHandle[], MethodHandle[], IntConsumer, IntConsumer, int, long)} of one layout. */
    static Paired paired(MethodHandle a, MethodHandle b, IntConsumer checkA, IntConsumer checkB, int pairs,
                         long sliceNanos) throws Throwable {
        return paired(new MethodHandle[] {a}, new MethodHandle[] {b}, checkA, checkB, pairs, sliceNanos);
    }

    /**
     * Warms every handle, then times them in {@code pairs} pairs of slices (A B, B A, ...), pair p with layout
     * p mod layouts of each side; checks each slice's result.
     */
    static Paired paired(MethodHandle[] as, MethodHandle[] bs, IntConsumer checkA, IntConsumer checkB, int pairs,
                         long sliceNanos) throws Throwable {
        for (int l = 0; l < as.length; l++) {                  // warm all
            for (int i = 0; i < (as.length > 1 ? 1 : 3); i++) {
                perCall(bs[l], checkB, sliceNanos);
                perCall(as[l], checkA, sliceNanos);
            }
        }
        double[] timesA = new double[pairs];
        double[] timesB = new double[pairs];
        double[] ratios = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            MethodHandle a = as[p % as.length], b = bs[p % bs.length];
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
