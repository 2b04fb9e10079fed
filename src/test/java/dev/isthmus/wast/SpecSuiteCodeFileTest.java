package dev.isthmus.wast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;
import dev.isthmus.wast.engine.IsthmusEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
        List<String> regressions = new ArrayList<>();
        int passed = 0;
        Path v3 = TestsuiteLocation.directory("wasm-3.0");
        Object[][] suites = {
                {"wasm-2.0", ScriptFile.collect(List.of(TestsuiteLocation.directory("wasm-2.0")))},
                {"wasm-3.0-tail-calls", ScriptFile.collect(List.of(v3.resolve("return_call.wast"),
                        v3.resolve("return_call_indirect.wast")))}};
        for (Object[] suite : suites) {
            Set<String> mustPass = new Ratchet((String) suite[0]).load();
            IsthmusFrontEnd frontEnd = IsthmusFrontEnd.forSuite((String) suite[0]);
            try (IsthmusEngine isthmus = new IsthmusEngine(engine).throughCodeFiles(true)) {
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
        System.out.println("[spec through code files, " + tier + "] " + passed + " commands passed");
        assertTrue(passed > 10_000, passed + " commands passed");
        assertTrue(regressions.isEmpty(), regressions.size() + " commands fail through code files:\n"
                + String.join("\n", regressions.subList(0, Math.min(20, regressions.size()))));
    }
}
