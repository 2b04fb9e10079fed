package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.wast.CommandKind;
import dev.isthmus.wast.CommandResult;
import dev.isthmus.wast.FileReport;
import dev.isthmus.wast.IsthmusFrontEnd;
import dev.isthmus.wast.ScriptFile;
import dev.isthmus.wast.SuiteRunner;
import dev.isthmus.wast.TestsuiteLocation;
import dev.isthmus.wast.Verdict;
import dev.isthmus.wast.WastRunner;
import dev.isthmus.wast.engine.IsthmusEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue #5, robustness: every {@code assert_exhaustion} command of the official wasm-2.0 and wasm-3.0 test suites
 * ({@link TestsuiteLocation}) passes in every prologue variant. Each script that has such a command runs whole,
 * through the same parser and {@link IsthmusEngine} as the spec tests but with the variant's engine; the test of a
 * (variant, script) pair fails when any of its {@code assert_exhaustion} commands did not pass, or when fewer of them
 * ran than the script contains.
 *
 * <pre>
 *   variant (16) ─┬─ wasm-2.0/call.wast                  every assert_exhaustion: PASSED
 *                 ├─ wasm-2.0/skip-stack-guard-page.wast   (frames larger than the guard)
 *                 ├─ ...
 *                 └─ wasm-3.0/fac.wast
 * </pre>
 *
 * The wasm-3.0 copies are not in any conformance ratchet, but every one of their modules that these commands use
 * compiles today, so none is skipped.
 */
class ExhaustionSpecTest {
    private static final Pattern COMMAND = Pattern.compile("\\(\\s*assert_exhaustion\\b");
    /**
     * One script engine per variant, shared by its scripts ({@link IsthmusEngine#close()} drops what a script made
     * but keeps the engine's worker thread, so a new engine per script would leave a thread behind each time).
     */
    private static final Map<PrologueVariant, IsthmusEngine> ENGINES = new ConcurrentHashMap<>();

    /** A script with {@code expected} assert_exhaustion commands, from {@code suite}. */
    private record Script(String suite, ScriptFile file, int expected) {
        @Override
        public String toString() {
            return suite + "/" + file.name();
        }
    }

    @TestFactory
    List<DynamicNode> everyAssertExhaustionInEveryVariant() {
        List<Script> scripts = new ArrayList<>();
        for (String suite : List.of("wasm-2.0", "wasm-3.0")) scripts.addAll(scriptsWithExhaustion(suite));
        List<DynamicNode> variants = new ArrayList<>();
        for (PrologueVariant variant : PrologueVariant.all()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (Script script : scripts) {
                tests.add(DynamicTest.dynamicTest(script.toString(), () -> runExhaustionCommands(variant, script)));
            }
            variants.add(DynamicContainer.dynamicContainer(variant.toString(), tests));
        }
        return variants;
    }

    private static List<Script> scriptsWithExhaustion(String suite) {
        List<Script> found = new ArrayList<>();
        for (ScriptFile file : ScriptFile.collect(List.of(TestsuiteLocation.directory(suite)))) {
            int count = countCommands(file.path());
            if (count > 0) found.add(new Script(suite, file, count));
        }
        assertFalse(found.isEmpty(), "no assert_exhaustion command in " + suite);
        return found;
    }

    private static int countCommands(Path script) {
        try {
            Matcher m = COMMAND.matcher(Files.readString(script));
            int count = 0;
            while (m.find()) count++;
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runExhaustionCommands(PrologueVariant variant, Script script) {
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd(IsthmusFrontEnd.versionOf(script.file().path()));
        IsthmusEngine engine = ENGINES.computeIfAbsent(variant, v -> new IsthmusEngine(v.engine()));
        FileReport report;
        try {
            report = new SuiteRunner(frontEnd, new WastRunner(frontEnd, engine)).run(script.file());
        } finally {
            engine.close();
        }
        List<CommandResult> exhaustion = report.results().stream()
                .filter(r -> r.kind() == CommandKind.ASSERT_EXHAUSTION).toList();
        List<String> failed = exhaustion.stream().filter(r -> r.verdict() != Verdict.PASSED)
                .map(r -> r.id() + " " + r.verdict() + ": " + r.message()).toList();
        assertTrue(failed.isEmpty(), () -> variant + ": " + failed.size() + " of " + exhaustion.size()
                + " assert_exhaustion commands did not pass:\n" + String.join("\n", failed));
        assertEquals(script.expected(), exhaustion.size(), () -> variant + ": commands that ran: " + exhaustion);
    }
}
