package dev.isthmus.bench;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What fuel metering costs ({@code Isthmus.Builder.consumeFuel}), measured as {@link PollCost} measures the polls, in
 * one JVM so that both sides see the same machine load: each workload compiled by the default engine and by the same
 * engine with fuel on (a budget no run exhausts), timed in alternating slices (A B, B A, ...) as CPU time of the
 * calling thread per call; prints the median ratio on/off and the quartiles, per workload. The workloads: the
 * call-stack ones of the prologue benchmarks ({@link Workload}) and a few kernels of {@code bench/kernels} at their
 * bench size.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.FuelCost [pairs] [ms] [kernels]
 * </pre>
 * Run from the repository root; {@code kernels} is a comma list (default below).
 */
public final class FuelCost {
    private FuelCost() {
    }

    private static final String DEFAULT_KERNELS = "sieve,matmul,quicksort,keccak,chacha20,hashmap,brif-loops,csv";

    /** A workload as two bound handles and the check of its result. */
    private record Side(String name, MethodHandle off, MethodHandle on, java.util.function.IntConsumer check) {
    }

    public static void main(String[] args) throws Throwable {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 100) * 1_000_000L;
        String kernels = args.length > 2 ? args[2] : DEFAULT_KERNELS;
        Isthmus off = Isthmus.create();
        Isthmus on = Isthmus.builder().consumeFuel(true).initialFuel(Long.MAX_VALUE).build();
        List<Side> sides = new ArrayList<>();
        List<Instance> keep = new ArrayList<>();
        for (Workload w : Workload.values()) {
            Instance a = off.compile(BenchInputs.bytes(w.wasm)).instantiate();
            Instance b = on.compile(BenchInputs.bytes(w.wasm)).instantiate();
            keep.add(a);
            keep.add(b);
            sides.add(new Side(w.param, w.bind(a.function(w.function)), w.bind(b.function(w.function)),
                    r -> w.check("isthmus", r)));
        }
        for (String name : kernels.split(",")) {
            if (name.isBlank()) continue;
            Kernel k = Kernel.of(name.trim());
            Instance a = k.instantiate(off);
            Instance b = k.instantiate(on);
            keep.add(a);
            keep.add(b);
            sides.add(new Side("kernel " + k.name(), Kernel.bind(a.function("run"), k.benchSize()),
                    Kernel.bind(b.function("run"), k.benchSize()), r -> k.check("isthmus", k.benchSize(), r)));
        }
        System.out.printf("%-20s %8s %8s %8s   (fuel on / off, %d pairs of %d ms slices)%n",
                "workload", "median", "p25", "p75", pairs, sliceNanos / 1_000_000);
        for (Side s : sides) {
            for (int i = 0; i < 3; i++) {                      // warm both
                perCall(s.on, s, sliceNanos);
                perCall(s.off, s, sliceNanos);
            }
            double[] ratios = new double[pairs];
            for (int p = 0; p < pairs; p++) {
                double a;
                double b;
                if (p % 2 == 0) {
                    a = perCall(s.on, s, sliceNanos);
                    b = perCall(s.off, s, sliceNanos);
                } else {
                    b = perCall(s.off, s, sliceNanos);
                    a = perCall(s.on, s, sliceNanos);
                }
                ratios[p] = a / b;
            }
            Arrays.sort(ratios);
            System.out.printf("%-20s %8.3f %8.3f %8.3f%n", s.name, ratios[pairs / 2], ratios[pairs / 4],
                    ratios[3 * pairs / 4]);
        }
        for (Instance i : keep) i.close();
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds of this thread per call, calling for about {@code sliceNanos} of wall time. */
    private static double perCall(MethodHandle h, Side s, long sliceNanos) throws Throwable {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long end = System.nanoTime() + sliceNanos;
        int calls = 0;
        do {
            int r = (int) h.invokeExact();
            if (calls == 0) s.check.accept(r);
            calls++;
        } while (System.nanoTime() < end);
        return (double) (THREADS.getCurrentThreadCpuTime() - cpuStart) / calls;
    }
}
