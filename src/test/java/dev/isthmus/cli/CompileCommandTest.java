package dev.isthmus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Isthmus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isthmus compile MODULE -o OUT.ism} writes a code file that {@code isthmus run OUT.ism} runs as it runs the
 * module (recognised by its magic); a code file compiled with other options, or damaged, fails with one line.
 */
class CompileCommandTest {
    @Test
    void wasiHelloRunsFromACodeFile(@TempDir Path dir) throws IOException {
        Path ism = dir.resolve("hello.ism");
        CliRun.Result compiled = CliRun.run("compile", "examples/hello/hello.wasm", "-o", ism.toString());
        assertEquals(0, compiled.status(), compiled.err());
        assertEquals("", compiled.out() + compiled.err());
        assertTrue(Isthmus.isCodeFile(Files.readAllBytes(ism)));
        CliRun.Result fromWasm = CliRun.run("run", "--env", "USER=x", "examples/hello/hello.wasm", "a", "b");
        CliRun.Result fromIsm = CliRun.run("run", "--env", "USER=x", "--argv0", "hello.wasm", ism.toString(), "a", "b");
        assertEquals(0, fromIsm.status(), fromIsm.err());
        assertEquals(fromWasm.out(), fromIsm.out());
        assertEquals("Hello from Isthmus!\nargv[0] = hello.wasm\nargv[1] = a\nargv[2] = b\nUSER = x\n", fromIsm.out());
    }

    @Test
    void invokeAndDefaultOutputName(@TempDir Path dir) throws IOException {
        Path wasm = dir.resolve("ackermann.wasm");
        Files.copy(Path.of("examples/ackermann/ackermann.wasm"), wasm);
        CliRun.Result compiled = CliRun.run("compile", "--tier", "baseline", wasm.toString());
        assertEquals(0, compiled.status(), compiled.err());
        Path ism = dir.resolve("ackermann.ism");
        assertTrue(Files.exists(ism));
        CliRun.Result ok = CliRun.run("run", "--tier", "baseline", "--invoke", "ackermann", ism.toString(), "3", "5");
        assertEquals(0, ok.status(), ok.err());
        assertEquals("253\n", ok.out());
        CliRun.Result other = CliRun.run("run", "--invoke", "ackermann", ism.toString(), "3", "5");
        assertEquals(Main.FAILURE, other.status());
        assertEquals("isthmus: " + ism + ": code file: compiled with other options than this engine's: tier=baseline"
                + " (this engine: tier=optimizing)\n", other.err());
    }

    @Test
    void aDamagedCodeFileFailsWithOneLine(@TempDir Path dir) throws IOException {
        Path ism = dir.resolve("fib.ism");
        assertEquals(0, CliRun.run("compile", "examples/fib/fib.wasm", "-o", ism.toString()).status());
        byte[] bytes = Files.readAllBytes(ism);
        Files.write(ism, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        CliRun.Result cut = CliRun.run("run", "--invoke", "fib", ism.toString(), "10");
        assertEquals(Main.FAILURE, cut.status());
        assertEquals("isthmus: " + ism + ": code file: truncated: " + (bytes.length - 1) + " bytes where the header"
                + " says " + bytes.length + " (at byte " + (bytes.length - 1) + ")\n", cut.err());
        CliRun.Result usage = CliRun.run("compile");
        assertEquals(Main.USAGE, usage.status());
    }
}
