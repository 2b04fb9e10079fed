package dev.isthmus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure of the command line is exactly one line on standard error, starting {@code isthmus: }, without a
 * Java stack trace, with the documented exit status ({@link Main}): 1 failure, 2 usage, 134 trap.
 */
class CliFailureTest {
    @TempDir
    Path dir;

    /** Runs the CLI in-process and asserts the status, the one line on standard error and nothing on standard out. */
    private void fails(int status, String line, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int actual = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String errText = err.toString(StandardCharsets.UTF_8);
        assertEquals(line + System.lineSeparator(), errText, "standard error of " + String.join(" ", args));
        assertEquals(status, actual, errText);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "standard output of " + String.join(" ", args));
    }

    private String file(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file.toString();
    }

    private String file(String name, String text) throws IOException {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void missingFile() {
        String missing = dir.resolve("none.wasm").toString();
        fails(1, "isthmus: " + missing + ": no such file", "run", missing);
        fails(1, "isthmus: " + missing + ": no such file", "explore", missing);
    }

    @Test
    void bytesThatAreNeitherFormat() throws IOException {
        String elf = file("elf.wasm", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0});
        fails(1, "isthmus: " + elf + ": not a WebAssembly module: it starts with the bytes 7f 45 4c 46 02 01 01 00 ...,"
                + " not 00 61 73 6d (\\0asm) as the binary format does, and it is not text", "run", elf);
    }

    @Test
    void truncatedBinary() throws IOException {
        String truncated = file("truncated.wasm", new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 1});
        fails(1, "isthmus: " + truncated + ": length out of bounds (type section, at byte offset 0x9)", "run",
                truncated);
        String cut = file("cut.wasm", new byte[] {0, 'a', 's', 'm', 1, 0});
        fails(1, "isthmus: " + cut + ": unexpected end (at byte offset 0x6)", "run", cut);
    }

    @Test
    void textFilesNamedWasmAreReadByContent() throws IOException {
        String prose = file("prose.wasm", "hello world\n");
        fails(1, "isthmus: " + prose + ": not a WebAssembly module: it is text, but it starts with \"hello\" (at 1:1),"
                + " not with \"(\" as the text format does (nor with \\0asm as the binary format does)", "run", prose);
        String typo = file("typo.wasm", "(module\n  (func (export \"_start\") (i32.const 1) frob))\n");
        fails(1, "isthmus: " + typo + ": unknown operator frob (at 2:41)", "run", typo);
        String stray = file("stray.wasm", "(module (func (result i32) (i32.const 0) $x))");
        fails(1, "isthmus: " + stray + ": unexpected token \"$x\" (at 1:42)", "run", stray);
    }

    @Test
    void invokeArityAndArgumentTypes() throws IOException {
        String f = file("f.wat", "(module (func (export \"f\") (param i32 f64)) (memory (export \"memory\") 1))");
        fails(2, "isthmus: run: --invoke f: (func (param i32 f64)) takes 2 arguments, got 1 (see 'isthmus run --help')",
                "run", "--invoke", "f", f, "1");
        fails(2, "isthmus: run: --invoke f: argument 1 \"abc\" is not an i32 (see 'isthmus run --help')",
                "run", "--invoke", "f", f, "abc", "1.5");
        fails(2, "isthmus: run: --invoke f: argument 1 \"4294967296\" is not an i32 (out of range)"
                + " (see 'isthmus run --help')", "run", "--invoke", "f", f, "4294967296", "1.5");
        fails(2, "isthmus: run: --invoke f: argument 2 \"x\" is not an f64 (see 'isthmus run --help')",
                "run", "--invoke", "f", f, "1", "x");
        fails(1, "isthmus: " + f + ": export \"memory\" is a memory, not a function (--invoke calls a function)",
                "run", "--invoke", "memory", f);
        fails(1, "isthmus: " + f + " exports no function \"g\"", "run", "--invoke", "g", f);
    }

    @Test
    void badDirectories() throws IOException {
        String f = file("start.wat", "(module (func (export \"_start\")))");
        String none = dir.resolve("nonexistent").toString();
        fails(1, "isthmus: --dir " + none + ": no such directory " + none
                + " (--dir HOST[::GUEST] preopens an existing host directory)", "run", "--dir", none, f);
        fails(1, "isthmus: --dir " + f + "::/data: " + f + " is not a directory"
                + " (--dir HOST[::GUEST] preopens an existing host directory)", "run", "--dir", f + "::/data", f);
        fails(2, "isthmus: run: --dir needs a value (see 'isthmus run --help')", "run", "--dir");
    }

    @Test
    void usageErrors() throws IOException {
        fails(2, "isthmus: run: unknown option --bogus (see 'isthmus run --help')", "run", "--bogus", "x.wasm");
        fails(2, "isthmus: run: no module given (see 'isthmus run --help')", "run");
        fails(2, "isthmus: run: bad value for --tier: fastest (see 'isthmus run --help')",
                "run", "--tier", "fastest", "x.wasm");
        fails(2, "isthmus: unknown command 'frobnicate' (see 'isthmus help')", "frobnicate");
        fails(2, "isthmus: no command given (see 'isthmus help')");
        fails(2, "isthmus: explore: unknown option --bogus (see 'isthmus explore --help')", "explore", "--bogus");
        fails(2, "isthmus: wast: unknown option --bogus (see 'isthmus wast --help')", "wast", "--bogus");
        fails(2, "isthmus: run: unknown -W option bogus (this run knows timeout, max-wasm-stack, max-memory-size,"
                + " max-table-elements, max-instances, max-tables, max-memories,"
                + " unknown-imports-trap, unknown-imports-default, fuel)"
                + " (see 'isthmus run --help')", "run", "-W", "bogus=1", "x.wasm");
        fails(2, "isthmus: run: -W fuel takes a number of units, not -5 (see 'isthmus run --help')",
                "run", "-W", "fuel=-5", "x.wasm");
        fails(2, "isthmus: run: --tier needs a value (see 'isthmus run --help')", "run", "--tier");
    }

    @Test
    void unknownImports() throws IOException {
        String f = file("imports.wat", "(module (import \"env\" \"f\" (func (param i32))) (func (export \"_start\")))");
        fails(1, "isthmus: " + f + ": unknown import \"env\" \"f\": expected (func (param i32)), not provided"
                + " (--trap-unknown-imports or --default-values-unknown-imports to run anyway)", "run", f);
        String g = file("global.wat", "(module (import \"env\" \"g\" (global (mut i64))) (func (export \"_start\")))");
        fails(1, "isthmus: " + g + ": unknown import \"env\" \"g\": expected (global (mut i64)), not provided", "run", g);
    }

    @Test
    void trapsInTheStartFunctionAndInStart() throws IOException {
        String start = file("start.wat", "(module (func $init unreachable) (start $init) (func (export \"_start\")))");
        fails(134, "isthmus: " + start + ": instantiation failed: wasm trap: unreachable; wasm backtrace:"
                + " 0: $init @ 0x27", "run", start);
        String main = file("main.wat", "(module (func $deep unreachable) (func (export \"_start\") call $deep))");
        fails(134, "isthmus: " + main + ": wasm trap: unreachable; wasm backtrace: 0: $deep @ 0x24,"
                + " 1: $_start @ 0x28", "run", main);
    }

    @Test
    void resourceLimitsAndImplementationLimits() throws IOException {
        String table = file("table.wat", "(module (table 0xffffffff funcref) (func (export \"_start\")))");
        fails(1, "isthmus: " + table + ": instantiation failed: table of 4294967295 elements exceeds the limit of"
                + " 10000000 elements", "run", table);
        // one function declaring 2^32-1 locals of i32
        String locals = file("locals.wasm", HexFormat.of().parseHex("0061736d01000000" + "010401600000"
                + "03020100" + "0a0a01" + "08" + "01ffffffff0f7f0b"));
        fails(1, "isthmus: " + locals + ": too many locals: function 0 has 4294967295 locals (0 parameters and"
                + " 4294967295 declared), the limit is 50000 (code section, function 0, at byte offset 0x1d)",
                "run", locals);
    }
}
