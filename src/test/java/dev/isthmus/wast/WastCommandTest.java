package dev.isthmus.wast;

import dev.isthmus.cli.WastCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code isthmus wast} command on small scripts written here. */
class WastCommandTest {
    private static final String PASSING = """
            (module binary "\\00asm" "\\01\\00\\00\\00")
            (assert_malformed (module binary "\\00asm" "\\02\\00\\00\\00") "unknown binary version")
            (assert_return (invoke "f") (i32.const 1))
            """;
    private static final String FAILING = """
            (assert_malformed (module binary "\\00asm" "\\01\\00\\00\\00") "should not decode")
            """;

    private record Run(int status, String out) {}

    private static Run run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int status = WastCommand.run(args);
            return new Run(status, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void printsOneLinePerFileAndATotal(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.wast"), PASSING);
        Path report = dir.resolve("report.json");
        Run r = run("--report", report.toString(), dir.resolve("a.wast").toString());
        assertEquals("a.wast: 2 passed, 0 failed, 1 skipped\n2 passed, 0 failed, 1 skipped\n",
                r.out().replace(System.lineSeparator(), "\n"));
        assertEquals(0, r.status());
        String json = Files.readString(report);
        assertTrue(json.contains("\"totals\": {\"passed\": 2, \"failed\": 0, \"skipped\": 1}"), json);
    }

    @Test
    void aFailureMakesTheStatusNonZero(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.wast"), PASSING);
        Files.writeString(dir.resolve("b.wast"), FAILING);
        Path report = dir.resolve("r.json");
        Run r = run(dir.toString(), "--report", report.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().endsWith("2 passed, 1 failed, 1 skipped" + System.lineSeparator()), r.out());
        String json = Files.readString(report);
        assertTrue(json.contains("\"at\": \"b.wast:1\", \"kind\": \"assert_malformed\""), json);
    }

    @Test
    void usageErrors() {
        assertEquals(2, run().status());
        assertEquals(2, run("--report").status());
        assertEquals(2, run("/no/such/file.wast").status());
    }
}
