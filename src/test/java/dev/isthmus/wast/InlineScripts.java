package dev.isthmus.wast;

import dev.isthmus.wast.engine.IsthmusEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Spec-script text written by a test, run through the front end and the Isthmus engine like a suite file. */
final class InlineScripts {
    private InlineScripts() {}

    /** Writes {@code text} to {@code file} and runs it. */
    static FileReport run(Path file, String text) throws IOException {
        Files.writeString(file, text);
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd();
        try (IsthmusEngine engine = IsthmusEngine.create()) {
            return new SuiteRunner(frontEnd, new WastRunner(frontEnd, engine))
                    .run(ScriptFile.collect(List.of(file)).getFirst());
        }
    }

    /** The failed commands, one line each ("" when none). */
    static String failures(FileReport report) {
        return report.failures().stream().map(r -> r.id() + ": " + r.message()).collect(Collectors.joining("\n"));
    }
}
