package dev.isthmus.robustness;

import dev.isthmus.Isthmus;
import dev.isthmus.wast.CommandResult;
import dev.isthmus.wast.FileReport;
import dev.isthmus.wast.IsthmusFrontEnd;
import dev.isthmus.wast.ScriptFile;
import dev.isthmus.wast.SuiteRunner;
import dev.isthmus.wast.WastRunner;
import dev.isthmus.wast.engine.IsthmusEngine;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The wast engine's watchdog on a script whose command never ends (run by {@link InterruptTest} with
 * {@code -Disthmus.wast.timeoutSeconds=1}): prints one line per command, {@code <line> <verdict> <message>}.
 */
public final class WastWatchdogChild {
    private WastWatchdogChild() {
    }

    public static void main(String[] args) throws Exception {
        Path script = Files.createTempFile("watchdog", ".wast");
        Files.writeString(script, """
                (module
                  (func (export "spin") (loop (br 0)))
                  (func (export "one") (result i32) (i32.const 1)))
                (invoke "spin")
                (assert_return (invoke "one") (i32.const 1))
                """);
        try (IsthmusEngine engine = new IsthmusEngine(Isthmus.create())) {
            IsthmusFrontEnd frontEnd = new IsthmusFrontEnd();
            FileReport report = new SuiteRunner(frontEnd, new WastRunner(frontEnd, engine))
                    .run(new ScriptFile(script, "watchdog.wast"));
            for (CommandResult r : report.results()) {
                System.out.println("command " + r.line() + " " + r.verdict() + " " + r.message());
            }
        } finally {
            Files.deleteIfExists(script);
        }
        System.out.println("ok done");
    }
}
