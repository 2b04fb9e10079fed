package dev.isthmus.robustness;

import dev.isthmus.text.script.WastCommand;
import dev.isthmus.text.script.WastParser;
import dev.isthmus.wast.CommandResult;
import dev.isthmus.wast.IsthmusFrontEnd;
import dev.isthmus.wast.WastRunner;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Damaged whole {@code .wast} scripts (the smaller 2.0 scripts, mutated like WAT text) through the WAST parser and
 * the runner: the parser must never throw (what it cannot read becomes an unsupported command) and no module in
 * them may make the front end throw anything but Malformed/ValidationException.
 */
class WastScriptFuzzTest {
    static final int CASES = 2_000;
    static final int MAX_SCRIPT_CHARS = 20_000;

    @Test
    void mutatedScripts() throws IOException {
        List<String> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(FrontEndFuzzTest.suiteDirectory())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".wast")).sorted().toList()) {
                String text = Files.readString(p);
                if (text.length() <= MAX_SCRIPT_CHARS) scripts.add(text);
            }
        }
        Assertions.assertFalse(scripts.isEmpty(), "no scripts");
        WastRunner runner = new WastRunner(new IsthmusFrontEnd());
        FuzzStats stats = new FuzzStats("mutated .wast scripts (" + scripts.size() + " seeds)");
        List<String> frontEndBroke = new ArrayList<>();
        try (GuardedRun guard = new GuardedRun(FrontEndFuzzTest.TIMEOUT_MILLIS)) {
            for (int i = 0; i < CASES; i++) {
                SplittableRandom rnd = new SplittableRandom(FrontEndFuzzTest.BASE_SEED * 7 + i);
                int seed = rnd.nextInt(scripts.size());
                int choice = rnd.nextInt(TextMutator.NAMES.length);
                String script = TextMutator.mutate(scripts.get(seed), choice, rnd);
                String what = "script case " + i + " (seed script #" + seed + ": " + TextMutator.NAMES[choice] + ")";
                stats.record(guard.run(() -> {
                    List<WastCommand> commands = WastParser.parse(script, "fuzz.wast");
                    for (CommandResult r : runner.run("fuzz.wast", commands)) {
                        if (r.message() != null && r.message().contains("front end threw")) {
                            frontEndBroke.add(what + ": " + r.id() + ": " + r.message());
                        }
                    }
                    return null;
                }), what, null);
            }
        }
        System.out.println(stats);
        Assertions.assertEquals(0, stats.bugCount(), stats::bugs);
        Assertions.assertTrue(frontEndBroke.isEmpty(), () -> String.join("\n", frontEndBroke));
    }
}
