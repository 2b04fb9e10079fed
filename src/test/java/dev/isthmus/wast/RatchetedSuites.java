package dev.isthmus.wast;

import dev.isthmus.wast.engine.IsthmusEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ratcheted spec suites of {@link SpecSuiteTest} (Wasm 2.0, SIMD included, and the 3.0 tail-call scripts) run
 * through an engine built for the occasion (with fuel, through code files, ...): how many commands passed, and each
 * command the ratchets list as passing that did not.
 */
final class RatchetedSuites {
    private RatchetedSuites() {
    }

    /** The result of one run over both suites. */
    record Outcome(int passed, List<String> regressions) {
        /** The first 20 regressions, one a line, after {@code count regressions commands fail WHAT:}. */
        String describe(String what) {
            return regressions.size() + " commands fail " + what + ":\n"
                    + String.join("\n", regressions.subList(0, Math.min(20, regressions.size())));
        }
    }

    /** Runs both suites, each with a fresh engine from {@code engines}, under the rules of its suite. */
    static Outcome run(Supplier<IsthmusEngine> engines) {
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
            try (IsthmusEngine isthmus = engines.get()) {
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
        return new Outcome(passed, regressions);
    }
}
