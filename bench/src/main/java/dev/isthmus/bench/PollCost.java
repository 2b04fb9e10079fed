package dev.isthmus.bench;

import dev.isthmus.Isthmus;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * What the safepoint polls cost, measured in one JVM so that both sides see the same machine load: every
 * {@link Workload} compiled twice by the default engine, with the polls and without them
 * ({@code -Disthmus.safepointPolls=false} while compiling), then timed in alternating slices (A B B A ...), and the
 * ratio with/without of the CPU time per call, per pair of slices; prints the median ratio and the quartiles of each
 * workload.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.isthmus.bench.PollCost [pairs] [ms]
 * </pre>
 * Run from the repository root (the workloads' wasm files are read from {@code examples/}).
 */
public final class PollCost {
    private PollCost() {
    }

    public static void main(String[] args) throws Throwable {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 100) * 1_000_000L;
        Isthmus engine = Isthmus.create();
        System.out.printf("%-14s %8s %8s %8s   (with polls / without, %d pairs of %d ms slices)%n",
                "workload", "median", "p25", "p75", pairs, sliceNanos / 1_000_000);
        for (Workload w : Workload.values()) {
            MethodHandle with = compile(engine, w, true);
            MethodHandle without = compile(engine, w, false);
            for (int i = 0; i < 3; i++) {                      // warm both
                perCall(with, w, sliceNanos);
                perCall(without, w, sliceNanos);
            }
            double[] ratios = new double[pairs];
            for (int p = 0; p < pairs; p++) {
                double a;
                double b;
                if (p % 2 == 0) {
                    a = perCall(with, w, sliceNanos);
                    b = perCall(without, w, sliceNanos);
                } else {
                    b = perCall(without, w, sliceNanos);
                    a = perCall(with, w, sliceNanos);
                }
                ratios[p] = a / b;
            }
            Arrays.sort(ratios);
            System.out.printf("%-14s %8.3f %8.3f %8.3f%n", w.param, ratios[pairs / 2], ratios[pairs / 4],
                    ratios[3 * pairs / 4]);
        }
    }

    private static MethodHandle compile(Isthmus engine, Workload w, boolean polls) {
        String old = System.getProperty("isthmus.safepointPolls");
        System.setProperty("isthmus.safepointPolls", Boolean.toString(polls));
        try {
            return w.bind(engine.compile(BenchInputs.bytes(w.wasm)).instantiate().function(w.function));
        } finally {
            if (old == null) System.clearProperty("isthmus.safepointPolls");
            else System.setProperty("isthmus.safepointPolls", old);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * CPU nanoseconds of this thread per call, calling for about {@code sliceNanos} of wall time: CPU time, not
     * wall time, so that the time the thread spends descheduled on a loaded machine does not count.
     */
    private static double perCall(MethodHandle h, Workload w, long sliceNanos) throws Throwable {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long end = System.nanoTime() + sliceNanos;
        int calls = 0;
        do {
            int r = (int) h.invokeExact();
            if (calls == 0) w.check("isthmus", r);
            calls++;
        } while (System.nanoTime() < end);
        return (double) (THREADS.getCurrentThreadCpuTime() - cpuStart) / calls;
    }

}
