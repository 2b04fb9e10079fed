package dev.isthmus.wast;

import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;
import dev.isthmus.wast.engine.IsthmusEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spec suites of {@link SpecSuiteTest} (Wasm 2.0 and the 3.0 tail calls) with fuel metering on and a budget no
 * script exhausts, at both tiers: every command the ratchets list as passing still passes (metering changes no
 * result, no trap, no validation).
 */
class SpecSuiteFuelTest {
    @ParameterizedTest
    @EnumSource(Tier.class)
    void everyPassingCommandPassesWithFuel(Tier tier) {
        Isthmus engine = Isthmus.builder().tier(tier).consumeFuel(true).initialFuel(1L << 60).build();
        RatchetedSuites.Outcome outcome = RatchetedSuites.run(() -> new IsthmusEngine(engine));
        System.out.println("[spec with fuel, " + tier + "] " + outcome.passed() + " commands passed");
        assertTrue(outcome.regressions().isEmpty(), outcome.describe("with fuel on"));
    }
}
