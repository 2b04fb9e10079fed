package dev.isthmus.wast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Isthmus;
import dev.isthmus.options.Compilation;
import dev.isthmus.wast.engine.IsthmusEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The spec suites of {@link SpecSuiteTest} with every function compiled when first called (issue #15): LAZY by the
 * optimizing tier, and TIERED with a budget of 0, so every function's first entry queues it for the optimizing tier
 * and calls switch to the new code while the scripts run. Every command the ratchets list as passing still passes.
 */
class SpecSuiteLazyTest {
    @ParameterizedTest(name = "{0} budget {1}")
    @CsvSource({"LAZY,0", "TIERED,0"})
    void everyPassingCommandPassesWhenCompiledOnFirstCall(Compilation mode, int budget) {
        Isthmus engine = Isthmus.builder().compilation(mode).tierUpBudget(budget).build();
        RatchetedSuites.Outcome outcome = RatchetedSuites.run(() -> new IsthmusEngine(engine));
        System.out.println("[spec compiled on first call, " + mode + "] " + outcome.passed() + " commands passed");
        assertTrue(outcome.passed() > 10_000, outcome.passed() + " commands passed");
        assertTrue(outcome.regressions().isEmpty(), outcome.describe("compiled on first call"));
    }
}
