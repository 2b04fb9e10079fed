package dev.isthmus.runtime.loader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The process-wide background compiler of {@code Compilation.TIERED} code: functions whose budget ran out are
 * queued here (from the tier-up stub's upcall, which returns at once) and compiled by the optimizing tier on one
 * daemon thread, a module's pending functions together in one chunk (at most {@link #BATCH} at a time), then
 * published: calls switch to the new code while the program runs.
 */
final class TierUpThread {
    private TierUpThread() {
    }

    /** The most functions of one module compiled into one chunk. */
    static final int BATCH = 64;

    private record Request(LazyCode code, int function) {
    }

    private static final LinkedBlockingQueue<Request> QUEUE = new LinkedBlockingQueue<>();
    private static final Thread THREAD;
    /** Requests taken but not yet compiled and published (for {@link #awaitIdle}). */
    private static int inFlight;
    private static final Object IDLE = new Object();

    static {
        THREAD = new Thread(TierUpThread::run, "isthmus-tier-up");
        THREAD.setDaemon(true);
        THREAD.start();
    }

    static void submit(LazyCode code, int function) {
        synchronized (IDLE) {
            inFlight++;
        }
        QUEUE.add(new Request(code, function));
    }

    private static void run() {
        List<Request> taken = new ArrayList<>();
        while (true) {
            try {
                taken.add(QUEUE.take());
            } catch (InterruptedException e) {
                continue;                                     // a daemon: it ends with the process
            }
            QUEUE.drainTo(taken);
            Map<LazyCode, List<Integer>> byModule = new LinkedHashMap<>();
            for (Request r : taken) byModule.computeIfAbsent(r.code(), k -> new ArrayList<>()).add(r.function());
            for (Map.Entry<LazyCode, List<Integer>> e : byModule.entrySet()) {
                List<Integer> functions = e.getValue();
                for (int from = 0; from < functions.size(); from += BATCH) {
                    List<Integer> part = functions.subList(from, Math.min(functions.size(), from + BATCH));
                    int[] batch = part.stream().mapToInt(Integer::intValue).sorted().toArray();
                    e.getKey().compileOptimized(batch);
                }
            }
            synchronized (IDLE) {
                inFlight -= taken.size();
                IDLE.notifyAll();
            }
            taken.clear();
        }
    }

    /** Waits until every request submitted so far is compiled and published (tests, benchmarks); false on timeout. */
    static boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (IDLE) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(IDLE, left);
            }
            return true;
        }
    }
}
