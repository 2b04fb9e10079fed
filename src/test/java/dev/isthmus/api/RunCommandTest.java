package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isthmus run}. */
class RunCommandTest {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {}

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String module(String wat) throws IOException {
        Path file = dir.resolve("m.wat");
        Files.writeString(file, wat);
        return file.toString();
    }

    @Test
    void invokesAnExportAndPrintsEachResult() throws IOException {
        String file = module("""
                (module (func (export "pair") (param i32 i64 f32 f64) (result i64 f64)
                  local.get 1 local.get 0 i64.extend_i32_s i64.add local.get 3 local.get 2 f64.promote_f32 f64.mul))
                """);
        Result r = run("run", "--invoke", "pair", file, "-2", "0x10", "1.5", "4");
        assertEquals(0, r.status(), r.err());
        assertEquals("14" + System.lineSeparator() + "6" + System.lineSeparator(), r.out());   // floats as Rust prints them
    }

    @Test
    void runsStartByDefault() throws IOException {
        String file = module("(module (func (export \"_start\")))");
        Result r = run("run", file);
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.out());
        Result missing = run("run", module("(module (func (export \"f\")))"));
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("exports no function _start"), missing.err());
    }

    @Test
    void trapsPrintTheirBacktraceAndExitLikeWasmtime() throws IOException {
        String file = module("""
                (module (func $boom (export "boom") unreachable))
                """);
        Result r = run("run", "--invoke", "boom", file);
        assertEquals(134, r.status()); // 128 + SIGABRT, as wasmtime run
        assertTrue(r.err().startsWith("isthmus: " + file + ": wasm trap: unreachable; wasm backtrace: 0: $boom @ 0x"),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void badArgumentsAreUsageErrors() throws IOException {
        String file = module("(module (func (export \"f\") (param i32)))");
        assertEquals(2, run("run", "--invoke", "f", file).status());
        assertEquals(2, run("run", "--invoke", "f", file, "x").status());
        assertEquals(2, run("run").status());
        assertEquals(1, run("run", "--invoke", "f", dir.resolve("none.wasm").toString(), "1").status());
        assertEquals(1, run("run", module("(module (import \"a\" \"b\" (func)))")).status());
    }
}
