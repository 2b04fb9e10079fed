package dev.isthmus.robustness;

import dev.isthmus.binary.ValidationException;
import dev.isthmus.binary.DecodeException;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one front-end call on a worker thread with a time limit and classifies how it ended. A call that hangs is
 * abandoned (its daemon worker is replaced) so the run goes on.
 */
final class GuardedRun implements AutoCloseable {

    /** How a call ended. */
    enum Outcome {
        ACCEPTED,
        MALFORMED,
        INVALID,
        /** Any other exception or error, including OutOfMemoryError and StackOverflowError: a bug. */
        UNEXPECTED,
        /** Did not finish within the limit: a bug. */
        TIMEOUT
    }

    /** The outcome and, for UNEXPECTED, what was thrown. */
    record Result(Outcome outcome, Throwable error) {}

    private final long timeoutMillis;
    private ExecutorService worker = newWorker();

    GuardedRun(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    Result run(Callable<?> call) {
        Future<?> f = worker.submit(call);
        try {
            f.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return new Result(Outcome.ACCEPTED, null);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof DecodeException) return new Result(Outcome.MALFORMED, t);
            if (t instanceof ValidationException) return new Result(Outcome.INVALID, t);
            return new Result(Outcome.UNEXPECTED, t);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            return new Result(Outcome.TIMEOUT, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            // a big stack, like Surefire's -Xss8m, so deep but legal nesting is not mistaken for a bug
            Thread t = new Thread(null, r, "fuzz-worker", 16L << 20);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
