package dev.isthmus.fuzz;

import dev.isthmus.Isthmus;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Compilation;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Oracle 2 of the fuzz harness, tier against tier and variant against variant: runs one module under a list of
 * engine configurations (by default the full matrix: both tiers, AVX on and off, guard-page and explicit bounds
 * checks, every {@link StackCheck}; and compiled lazily and tiered) with {@link DifferentialRun}, and reports every configuration whose observable
 * behaviour — values logged, results, trap (with its message) or not, exception or not — differs from the
 * reference output, or from the first configuration's (the trace of {@link DifferentialRun#differences(
 * FuzzCorpus.Entry, List)}, NaNs canonicalized).
 *
 * <p>Not thread-safe: one module at a time. A configuration that does not finish within the timeout is reported,
 * and its worker thread abandoned (compiled code cannot be interrupted): callers that must stay clean exit the JVM
 * after a timeout ({@link CampaignMain}).
 */
final class VariantMatrix {
    /** One engine configuration. */
    record Config(String name, CompilerOptions options, int tierUpBudget) {
        Config(String name, CompilerOptions options) {
            this(name, options, dev.isthmus.runtime.loader.LazyCode.DEFAULT_TIER_UP_BUDGET);
        }

        DifferentialRun run() {
            return new DifferentialRun(Isthmus.builder().compilerOptions(options).tierUpBudget(tierUpBudget)
                    .boundsChecks(options.boundsChecks()).build());
        }
    }

    /** The outcome for one module: the problems found (empty when every configuration agrees) and whether one hung. */
    record Outcome(List<String> problems, boolean timedOut) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private final List<Config> configs;
    private final List<DifferentialRun> runs = new ArrayList<>();
    private final long timeoutMillis;
    private ExecutorService worker = newWorker();

    VariantMatrix(List<Config> configs, long timeoutMillis) {
        if (configs.isEmpty()) throw new IllegalArgumentException("no configurations");
        this.configs = List.copyOf(configs);
        this.timeoutMillis = timeoutMillis;
        for (Config config : configs) runs.add(config.run());
    }

    /**
     * The full matrix: 2 tiers x AVX on/off x 2 bounds-check modes x 4 stack checks = 32 configurations, compiled
     * eagerly; then the module compiled when first called, lazily by the optimizing tier and tiered with a budget of
     * 0 (every function queued for the optimizing tier at its first call, its calls switching over mid-run).
     */
    static List<Config> fullMatrix() {
        List<Config> configs = new ArrayList<>();
        for (Tier tier : List.of(Tier.OPTIMIZING, Tier.BASELINE)) {
            for (boolean avx : List.of(true, false)) {
                for (BoundsChecks bounds : BoundsChecks.values()) {
                    for (StackCheck stack : StackCheck.values()) {
                        CompilerOptions options = CompilerOptions.DEFAULT.withTier(tier).withAvx(avx)
                                .withBoundsChecks(bounds).withStackCheck(stack);
                        configs.add(new Config(tier.name().toLowerCase() + (avx ? "/avx" : "/sse") + "/"
                                + bounds.name().toLowerCase().replace('_', '-') + "/" + stack.flag(), options));
                    }
                }
            }
        }
        configs.add(new Config("lazy/optimizing", CompilerOptions.DEFAULT.withCompilation(Compilation.LAZY)));
        configs.add(new Config("tiered/budget-0", CompilerOptions.DEFAULT.withCompilation(Compilation.TIERED), 0));
        return configs;
    }

    List<Config> configs() {
        return configs;
    }

    /**
     * Runs {@code entry} under every configuration and lists the disagreements (at most a few per configuration).
     * A module without SIMD skips the configurations without AVX: its machine code is the same with AVX on and off
     * (only the SIMD lowerings look at it; {@code VariantMatrixTest.withoutSimdAvxChangesNoCode} checks it on the
     * corpora), so running it again would test nothing new.
     */
    Outcome check(FuzzCorpus.Entry entry) {
        List<String> problems = new ArrayList<>();
        List<String> first = null;
        boolean simd = usesSimd(entry.wasm());
        for (int c = 0; c < configs.size(); c++) {
            if (!simd && !configs.get(c).options().avx()) continue;
            String name = configs.get(c).name();
            DifferentialRun run = runs.get(c);
            List<String> trace = new ArrayList<>();
            Future<List<String>> result = worker.submit(() -> run.differences(entry, trace));
            List<String> differences;
            try {
                differences = result.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                result.cancel(true);
                worker.shutdownNow();
                worker = newWorker();
                problems.add(name + ": did not finish within " + timeoutMillis + " ms");
                return new Outcome(problems, true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                differences = List.of("threw " + cause);
                trace.add("threw " + cause.getClass().getName());
            }
            for (int i = 0; i < Math.min(3, differences.size()); i++) {
                problems.add(name + ": " + differences.get(i));
            }
            List<String> snapshot;
            synchronized (trace) {
                snapshot = List.copyOf(trace);
            }
            if (first == null) {
                first = snapshot;
            } else if (!first.equals(snapshot)) {
                problems.add(name + " differs from " + configs.get(0).name() + ": " + firstDifference(first, snapshot));
            }
        }
        return new Outcome(problems, false);
    }

    /** Whether the module uses SIMD (true when it does not decode: then every configuration runs and reports it). */
    static boolean usesSimd(byte[] wasm) {
        try {
            return dev.isthmus.compiler.SimdRequirement.firstUse(dev.isthmus.tooling.Tooling.decode(wasm)) != null;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static String firstDifference(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                return "event #" + i + " is '" + actual.get(i) + "', there '" + expected.get(i) + "'";
            }
        }
        return actual.size() + " events, there " + expected.size();
    }

    void close() {
        worker.shutdownNow();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "variant-matrix");
            thread.setDaemon(true);
            return thread;
        });
    }
}
