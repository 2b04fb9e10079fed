package dev.isthmus.binary;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work over a module's function bodies that each body can do alone (scanning, validating, analysing them), on every
 * core when the bodies are large, with the outcome of doing it in order: when bodies fail, the failure of the
 * first of them is thrown.
 *
 * <pre>
 *   bodies  [0 ........................................ n)
 *   ranges  [0, k) [k, 2k) ... taken in turn by the calling thread and one task per other core in the common
 *           ForkJoinPool; a range runs its bodies in order and stops at its first failure; afterwards the
 *           failure of the first failed range is thrown
 * </pre>
 * Below {@link #PARALLEL_BYTES} of code, or on one core, the ranges run in order on the calling thread (a small
 * module gains nothing from it).
 */
public final class ParallelBodies {
    private ParallelBodies() {
    }

    /** The code size from which the work is split across cores. */
    public static final long PARALLEL_BYTES = 1L << 20;
    /** Ranges per core: enough for bodies of uneven sizes to spread. */
    private static final int RANGES_PER_CORE = 16;

    /** Runs bodies {@code [from, to)}, in order; called once per range, perhaps on several threads at once. */
    @FunctionalInterface
    public interface RangeWork {
        void run(int from, int to);
    }

    /**
     * Runs {@code work} over bodies {@code [0, n)}, in parallel ranges when {@code codeBytes} is large; throws the
     * failure (a RuntimeException or Error) of the lowest range that failed.
     */
    public static void forEach(int n, long codeBytes, RangeWork work) {
        forEach(n, codeBytes, PARALLEL_BYTES, work);
    }

    /** As {@link #forEach(int, long, RangeWork)}, split from {@code threshold} bytes of code on (costlier work). */
    public static void forEach(int n, long codeBytes, long threshold, RangeWork work) {
        int cores = ForkJoinPool.getCommonPoolParallelism() + 1;
        if (n < 2 || codeBytes < threshold || cores < 2) {
            work.run(0, n);
            return;
        }
        int ranges = Math.min(n, cores * RANGES_PER_CORE);
        Throwable[] failures = new Throwable[ranges];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int r; (r = next.getAndIncrement()) < ranges; ) {
                try {
                    work.run((int) ((long) n * r / ranges), (int) ((long) n * (r + 1) / ranges));
                } catch (RuntimeException | Error e) {
                    failures[r] = e;
                }
            }
        };
        List<ForkJoinTask<?>> helpers = new ArrayList<>(cores - 1);
        for (int i = 0; i < cores - 1; i++) helpers.add(ForkJoinPool.commonPool().submit(worker));
        worker.run();                                        // the calling thread takes ranges too
        for (ForkJoinTask<?> helper : helpers) helper.join();
        Throwable first = null;
        for (Throwable failure : failures) {
            if (failure != null) {
                first = failure;
                break;
            }
        }
        if (first instanceof RuntimeException e) throw e;
        if (first instanceof Error e) throw e;
    }
}
