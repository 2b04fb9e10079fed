package dev.isthmus.wast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;
import dev.isthmus.wast.engine.IsthmusEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The spec suites of {@link SpecSuiteTest} (Wasm 2.0, SIMD included, and the 3.0 tail calls) with every module
 * going through a code file (compiled, serialized, loaded back: {@link IsthmusEngine#throughCodeFiles}), at both
 * tiers: every command the ratchets list as passing still passes with the loaded modules.
 */
class SpecSuiteCodeFileTest {
    @ParameterizedTest
    @EnumSource(Tier.class)
    void everyPassingCommandPassesFromCodeFiles(Tier tier) {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        RatchetedSuites.Outcome outcome = RatchetedSuites.run(() -> new IsthmusEngine(engine).throughCodeFiles(true));
        System.out.println("[spec through code files, " + tier + "] " + outcome.passed() + " commands passed");
        assertTrue(outcome.passed() > 10_000, outcome.passed() + " commands passed");
        assertTrue(outcome.regressions().isEmpty(), outcome.describe("through code files"));
    }
}
