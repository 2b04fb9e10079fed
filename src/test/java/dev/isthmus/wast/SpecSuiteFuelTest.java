package dev.isthmus.wast;

import dev.isthmus.model.WasmVersion;
import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;
import dev.isthmus.wast.engine.IsthmusEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
        List<String> regressions = new ArrayList<>();
        int passed = 0;
        Path v3 = TestsuiteLocation.directory("wasm-3.0");
        Object[][] suites = {
                {"wasm-2.0", ScriptFile.collect(List.of(TestsuiteLocation.directory("wasm-2.0")))},
                {"wasm-3.0-tail-calls", ScriptFile.collect(List.of(v3.resolve("return_call.wast"),
                        v3.resolve("return_call_indirect.wast")))}};
        for (Object[] suite : suites) {
            Set<String> mustPass = new Ratchet((String) suite[0]).load();
            IsthmusFrontEnd frontEnd = new IsthmusFrontEnd(
                    suite[0].equals("wasm-2.0") ? WasmVersion.V2_0 : WasmVersion.V3_0);
            try (IsthmusEngine isthmus = new IsthmusEngine(engine)) {
                SuiteRunner runner = new SuiteRunner(frontEnd, new WastRunner(frontEnd, isthmus));
                @SuppressWarnings("unchecked")
                List<ScriptFile> scripts = (List<ScriptFile>) suite[1];
                for (ScriptFile script : scripts) {
                    for (CommandResult r : runner.run(script).results()) {
                        if (r.verdict() == Verdict.PASSED) passed++;
                        else if (mustPass.contains(r.id())) regressions.add(r.id() + ": " + r.message());
                    }
                }
            }
        }
        System.out.println("[spec with fuel, " + tier + "] " + passed + " commands passed");
        assertTrue(regressions.isEmpty(), regressions.size() + " commands fail with fuel on:\n"
                + String.join("\n", regressions.subList(0, Math.min(20, regressions.size()))));
    }
}
