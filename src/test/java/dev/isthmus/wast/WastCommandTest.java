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
    /** A module exporting {@code f: [] -> [i32]} returning 1, a malformed one, and a call of {@code f}. */
    private static final String PASSING = """
            (module binary "\\00asm" "\\01\\00\\00\\00"
              "\\01\\05\\01\\60\\00\\01\\7f"        ;; type section: [] -> [i32]
              "\\03\\02\\01\\00"                      ;; function section: type 0
              "\\07\\05\\01\\01f\\00\\00"                ;; export "f" = func 0
              "\\0a\\06\\01\\04\\00\\41\\01\\0b")     ;; code: i32.const 1
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

    /** Valid in 3.0 (extended constants), invalid in 2.0 ("unknown global"). */
    private static final String VERSIONED = """
            (assert_invalid (module (global $a i32 (i32.const 1)) (global i32 (global.get $a))) "unknown global")
            """;

    @Test
    void wasmVersionPicksTheRules(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("v.wast");
        Files.writeString(script, VERSIONED);
        assertEquals(0, run("--wasm-version", "2.0", script.toString()).status());
        assertEquals(1, run("--wasm-version", "3.0", script.toString()).status());
        assertEquals(1, run(script.toString()).status());                      // default: 3.0
        Path suite20 = Files.createDirectories(dir.resolve("wasm-2.0"));
        Files.writeString(suite20.resolve("v.wast"), VERSIONED);
        assertEquals(0, run(suite20.toString()).status());                      // below wasm-2*: 2.0
        assertEquals(2, run("--wasm-version", "4.0", script.toString()).status());
    }

    @Test
    void printsOneLinePerFileAndATotal(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.wast"), PASSING);
        Path report = dir.resolve("report.json");
        Run r = run("--report", report.toString(), dir.resolve("a.wast").toString());
        assertEquals("a.wast: 3 passed, 0 failed, 0 skipped\n3 passed, 0 failed, 0 skipped\n",
                r.out().replace(System.lineSeparator(), "\n"));
        assertEquals(0, r.status());
        String json = Files.readString(report);
        assertTrue(json.contains("\"totals\": {\"passed\": 3, \"failed\": 0, \"skipped\": 0}"), json);
    }

    @Test
    void aFailureMakesTheStatusNonZero(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.wast"), PASSING);
        Files.writeString(dir.resolve("b.wast"), FAILING);
        Path report = dir.resolve("r.json");
        Run r = run(dir.toString(), "--report", report.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().endsWith("3 passed, 1 failed, 0 skipped" + System.lineSeparator()), r.out());
        String json = Files.readString(report);
        assertTrue(json.contains("\"at\": \"b.wast:1\", \"kind\": \"assert_malformed\""), json);
    }

    /** Where Wasm 3.0 and 2.0 differ for memories: two memories, a memory index in a memarg. */
    private static final String MEMORIES = """
            (assert_invalid (module (memory 0) (memory 0)) "multiple memories")
            (assert_malformed (module binary "\\00asm" "\\01\\00\\00\\00"
              "\\01\\04\\01\\60\\00\\00" "\\03\\02\\01\\00" "\\05\\03\\01\\00\\01"
              "\\0a\\09\\01\\07\\00\\41\\00\\40\\01\\1a\\0b") "zero byte expected")
            """;

    @Test
    void theWasm20RulesForMemoriesOnRequest(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("m.wast");
        Files.writeString(script, MEMORIES);
        Run v2 = run("--wasm-version", "2.0", script.toString());
        assertEquals(0, v2.status(), v2.out());
        assertTrue(v2.out().contains("m.wast: 2 passed, 0 failed"), v2.out());
        Run v3 = run(script.toString());                          // 3.0: valid, and memory.grow 1 is well formed
        assertEquals(1, v3.status());
        assertTrue(v3.out().contains("m.wast: 0 passed, 2 failed"), v3.out());
        assertEquals(2, run("--wasm-version", "1.0", script.toString()).status());
    }

    /** Deliberately failing assertions of every kind the line format covers. */
    private static final String WRONG = """
            (module
              (func (export "answer") (result i32) (i32.const 41))
              (func (export "pair") (result f32 i64) (f32.const 1.5) (i64.const -1))
              (func (export "nan") (result f64) (f64.const nan:0x1))
              (func (export "null") (result funcref) (ref.null func))
              (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
            (assert_return (invoke "answer") (i32.const 42))
            (assert_return (invoke "pair") (f32.const nan:canonical) (i64.const -1))
            (assert_return (invoke "nan") (f64.const nan:canonical))
            (assert_return (invoke "null") (ref.extern 1))
            (assert_return (invoke "div" (i32.const 0)) (i32.const 0))
            (assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")
            (assert_exhaustion (invoke "div" (i32.const 0)) "call stack exhausted")
            (assert_return (invoke "answer") (i32.const 41))
            """;

    @Test
    void eachFailedCommandIsOneLineInWasmNotation(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("wrong.wast"), WRONG);
        Run r = run(dir.resolve("wrong.wast").toString());
        assertEquals(1, r.status());
        assertEquals("""
                wrong.wast:7: assert_return: expected i32:42, got i32:41
                wrong.wast:8: assert_return: expected f32:nan:canonical i64:-1, got f32:1.5 i64:-1
                wrong.wast:9: assert_return: expected f64:nan:canonical, got f64:nan:0x1
                wrong.wast:10: assert_return: expected ref.extern 1, got ref.null func
                wrong.wast:11: assert_return: expected i32:0, got trap "integer divide by zero"
                wrong.wast:12: assert_trap: expected trap "integer divide by zero", got i32:1
                wrong.wast:13: assert_exhaustion: expected exhaustion "call stack exhausted", got trap "integer divide by zero"
                wrong.wast: 2 passed, 7 failed, 0 skipped
                2 passed, 7 failed, 0 skipped
                """, r.out().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void usageErrors() {
        assertEquals(2, run().status());
        assertEquals(2, run("--report").status());
        assertEquals(2, run("/no/such/file.wast").status());
    }
}
