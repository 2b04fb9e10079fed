package dev.isthmus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isthmus run} with WASI: output, arguments, environment, preopens, exit codes, unknown imports, errors. */
class RunWasiCommandTest {
    @TempDir
    Path dir;

    private static CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    private String module(String name, String wat) throws IOException {
        return CliRun.module(dir, name, wat);
    }

    @Test
    void runsTheCHelloWorldWithArgumentsAndEnvironment() {
        Path hello = Path.of("examples/hello/hello.wasm");
        CliRun.Result r = run("run", "--env", "USER=wasm", hello.toString(), "one", "two words");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                Hello from Isthmus!
                argv[0] = hello.wasm
                argv[1] = one
                argv[2] = two words
                USER = wasm
                """, r.out());
        CliRun.Result bare = run("run", hello.toString());
        assertTrue(bare.out().contains("USER = (unset)"), "no host environment unless asked: " + bare.out());
        String hostUser = System.getenv("USER") == null ? "(unset)" : System.getenv("USER");
        assertTrue(run("run", "--inherit-env", hello.toString()).out().contains("USER = " + hostUser + "\n"));
        assertTrue(run("run", "--env", "USER", hello.toString()).out().contains("USER = " + hostUser + "\n"));
    }

    @Test
    void theCatExampleReadsThroughItsPreopenOnly() {
        String cat = "examples/wasi-cat/cat.wat";
        CliRun.Result r = run("run", "--dir", "examples/wasi-cat::/", cat, "greeting.txt", "/greeting.txt/../greeting.txt");
        assertEquals(1, r.status(), "an absolute path is refused");
        assertEquals("Hello from a preopened directory.\n", r.out());
        CliRun.Result escape = run("run", "--dir", "examples/wasi-cat::/", cat, "../hello/hello.c");
        assertEquals(1, escape.status());
        assertEquals("cat: cannot open a file\n", escape.err());
        assertEquals(0, run("run", "--dir", "examples::/", cat, "wasi-cat/greeting.txt").status());
    }

    @Test
    void exitCodeIsTheProgramsProcExitCode() throws IOException {
        String file = module("exit.wat", """
                (module
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (memory (export "memory") 1)
                  (func (export "_start") (call $exit (i32.const 42)) unreachable))
                """);
        assertEquals(42, run("run", file).status());
    }

    @Test
    void preopenedDirectoriesUnderTheirGuestName() throws IOException {
        Path host = Files.createDirectories(dir.resolve("host"));
        // creates "made" in fd 3 (the first preopen) and exits with the errno
        String file = module("mkdir.wat", """
                (module
                  (import "wasi_snapshot_preview1" "path_create_directory"
                    (func $mkdir (param i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "fd_prestat_dir_name"
                    (func $name (param i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 0) "made")
                  (func (export "_start")
                    (drop (call $name (i32.const 3) (i32.const 100) (i32.const 5)))
                    (i32.store (i32.const 200) (i32.const 100))
                    (i32.store (i32.const 204) (i32.const 5))
                    (drop (call $write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 208)))
                    (call $exit (call $mkdir (i32.const 3) (i32.const 0) (i32.const 4)))))
                """);
        CliRun.Result r = run("run", "--dir", host + "::/data", file);
        assertEquals(0, r.status(), r.err());
        assertEquals("/data", r.out());
        assertTrue(Files.isDirectory(host.resolve("made")));
        assertEquals(8, run("run", file).status(), "no preopen: EBADF");
    }

    @Test
    void unknownImportsAreRefusedTrappedOrZero() throws IOException {
        String file = module("extra.wat", """
                (module
                  (import "env" "answer" (func $answer (param i32) (result i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (memory (export "memory") 1)
                  (func (export "_start") (call $exit (i32.add (i32.const 5) (call $answer (i32.const 1))))))
                """);
        CliRun.Result refused = run("run", file);
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains("unknown import \"env\" \"answer\": expected (func (param i32) (result i32)),"
                + " not provided"), refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());
        CliRun.Result zero = run("run", "--default-values-unknown-imports", file);
        assertEquals(5, zero.status(), zero.err());
        CliRun.Result trapped = run("run", "--trap-unknown-imports", file);
        assertEquals(RunCommand.TRAP_STATUS, trapped.status());
        assertTrue(trapped.err().contains("wasm trap: unknown import \"env\" \"answer\" (func (param i32) (result i32))"
                + " was called"), trapped.err());
    }

    @Test
    void trapsPrintABacktraceWithFunctionNames() throws IOException {
        String file = module("trap.wat", """
                (module
                  (func $inner unreachable)
                  (func $outer (call $inner))
                  (func (export "_start") (call $outer)))
                """);
        CliRun.Result r = run("run", file);
        assertEquals(134, r.status());
        assertTrue(r.err().startsWith("isthmus: " + file + ": wasm trap: unreachable; wasm backtrace: 0: $inner @ 0x"),
                r.err());
        assertTrue(r.err().contains(", 1: $outer @ 0x"), r.err());
    }

    @Test
    void clearOneLineErrors() throws IOException {
        CliRun.Result missing = run("run", dir.resolve("nope.wasm").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("nope.wasm: no such file"), missing.err());
        Path bad = dir.resolve("bad.wasm");
        Files.write(bad, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 1});
        CliRun.Result malformed = run("run", bad.toString());
        assertEquals(1, malformed.status());
        assertEquals(1, malformed.err().lines().count(), malformed.err());
        assertTrue(malformed.err().contains("offset"), malformed.err());
        assertEquals(2, run("run", "--dir").status());
        assertEquals(2, run("run", "--bogus", "x.wasm").status());
    }
}
