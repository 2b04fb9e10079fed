package dev.isthmus.fuzz;

import dev.isthmus.options.BoundsChecks;
import dev.isthmus.Isthmus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential check of Isthmus against binaryen's reference interpreter on the fuzz corpus (see
 * {@link DifferentialRun} for how a module is run and compared, {@code scripts/fuzz/make-corpus.sh} for how the
 * corpus is made). One test per module and bounds-check mode (guard pages, explicit checks); each must finish
 * within {@value #SECONDS_PER_MODULE} seconds.
 */
class DifferentialTest {
    private static final int SECONDS_PER_MODULE = 10;

    /** Runs modules on one worker thread, replaced if a module hangs. */
    private static ExecutorService worker = newWorker();
    private static final DifferentialRun GUARD_PAGES = new DifferentialRun(Isthmus.create());
    private static final DifferentialRun EXPLICIT = new DifferentialRun(
            Isthmus.builder().boundsChecks(BoundsChecks.EXPLICIT).build());

    @TestFactory
    Stream<DynamicTest> everyCorpusModuleBehavesAsInTheReferenceInterpreter() {
        return FuzzCorpus.entries().stream()
                .map(entry -> DynamicTest.dynamicTest(entry.name(), () -> check(GUARD_PAGES, entry)));
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusModuleBehavesAsInTheReferenceInterpreterWithExplicitBoundsChecks() {
        return FuzzCorpus.entries().stream()
                .map(entry -> DynamicTest.dynamicTest(entry.name(), () -> check(EXPLICIT, entry)));
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    static void check(DifferentialRun run, FuzzCorpus.Entry entry) throws InterruptedException {
        // the other corpora's tests (Simd-, Wasm2-, Memory64DifferentialTest) check through this worker too, also
        // after this class's @AfterAll stopped it when they run later in the same JVM
        if (worker.isShutdown()) worker = newWorker();
        Future<List<String>> differences = worker.submit(() -> run.differences(entry));
        try {
            List<String> found = differences.get(SECONDS_PER_MODULE, TimeUnit.SECONDS);
            if (!found.isEmpty()) {
                fail(entry.name() + ".wasm differs from the reference:\n  " + String.join("\n  ", found));
            }
        } catch (TimeoutException e) {
            differences.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            fail(entry.name() + ".wasm did not finish within " + SECONDS_PER_MODULE + " s");
        } catch (ExecutionException e) {
            throw new AssertionError(entry.name() + ".wasm: " + e.getCause(), e.getCause());
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "differential-test");
            thread.setDaemon(true);
            return thread;
        });
    }
}
