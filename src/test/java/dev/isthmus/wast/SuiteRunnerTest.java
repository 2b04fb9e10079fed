package dev.isthmus.wast;

import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteRunnerTest {

    @Test
    void collectsScriptsBelowDirectoriesSortedWithRelativeNames(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("legacy"));
        Files.writeString(dir.resolve("b.wast"), "");
        Files.writeString(dir.resolve("a.wast"), "");
        Files.writeString(dir.resolve("notes.txt"), "");
        Files.writeString(dir.resolve("legacy/throw.wast"), "");
        List<String> names = ScriptFile.collect(List.of(dir)).stream().map(ScriptFile::name).toList();
        assertEquals(List.of("a.wast", "b.wast", "legacy/throw.wast"), names);
        assertEquals("b.wast", ScriptFile.collect(List.of(dir.resolve("b.wast"))).getFirst().name());
        assertThrows(IllegalArgumentException.class, () -> ScriptFile.collect(List.of(dir.resolve("none"))));
    }

    @Test
    void aScriptTheParserRejectsBecomesOneFailure(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("x.wast"), "whatever");
        SuiteRunner runner = new SuiteRunner((script, name) -> {
            throw new IllegalStateException("parser bug");
        }, new WastRunner(new FakeFrontEnd()));
        FileReport report = runner.run(ScriptFile.collect(List.of(dir)).getFirst());
        assertEquals(1, report.results().size());
        CommandResult r = report.results().getFirst();
        assertEquals("x.wast:1 parse", r.id());
        assertEquals(Verdict.FAILED, r.verdict());
        assertTrue(r.message().contains("parser bug"), r.message());
    }

    @Test
    void runsParsedCommands(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("y.wast"), "ok");
        SuiteRunner runner = new SuiteRunner((script, name) -> List.of(new WastCommand.ModuleCommand(1, null,
                new ModuleSource.Binary(script.getBytes(StandardCharsets.UTF_8)))), new WastRunner(new FakeFrontEnd()));
        FileReport report = runner.run(ScriptFile.collect(List.of(dir.resolve("y.wast"))).getFirst());
        assertEquals("y.wast: 1 passed, 0 failed, 0 skipped", report.summaryLine());
    }
}
