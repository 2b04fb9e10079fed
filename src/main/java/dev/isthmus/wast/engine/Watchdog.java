package dev.isthmus.wast.engine;

import dev.isthmus.CompiledModule;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a script's wasm work on a worker thread with a time limit, so that a runaway module (an infinite loop from a
 * compiler bug) fails one command instead of hanging the whole run. On timeout every module of the script is
 * {@link CompiledModule#interrupt() interrupted} (each instance's poll page: the spinning call traps "interrupted"
 * at its next loop iteration or call, the instances stay usable) and the worker is free again.
 *
 * <pre>
 *   caller ── submit ──▶ worker thread (daemon) ── wasm ...
 *      └─ waits ≤ limit ─▶ timeout → interrupt modules → worker traps → "timed out" failure
 * </pre>
 * The limit is {@code -Disthmus.wast.timeoutSeconds} (default 20).
 */
final class Watchdog implements AutoCloseable {
    private static final long LIMIT_SECONDS = Long.getLong("isthmus.wast.timeoutSeconds", 20);
    private static final long GRACE_SECONDS = 5;
    private static final long IDLE_SECONDS = 5;

    private ExecutorService worker = newWorker();

    /** One worker thread at most, which ends after a few idle seconds (an engine nobody closes leaks nothing). */
    private static ExecutorService newWorker() {
        return new ThreadPoolExecutor(0, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "isthmus-wast-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code work} on the worker; on timeout interrupts {@code modules} and fails with IllegalStateException. */
    <T> T run(Callable<T> work, List<CompiledModule> modules) {
        Future<T> future = worker.submit(work);
        try {
            try {
                return future.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                for (CompiledModule module : List.copyOf(modules)) module.interrupt();
                try {
                    future.get(GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException stillRunning) {
                    worker.shutdownNow();
                    worker = newWorker();
                } catch (ExecutionException expected) {
                    // the interrupted code trapped, as intended
                }
                throw new IllegalStateException("timed out after " + LIMIT_SECONDS + " s; the script's modules "
                        + "were interrupted");
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error error) throw error;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for wasm", e);
        }
    }

    @Override
    public void close() {
        worker.shutdown();
    }
}
