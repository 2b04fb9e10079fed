package dev.isthmus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.options.CompilerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isthmus run} flags as wasmtime run has them: {@code -W timeout / max-wasm-stack / max-memory-size / fuel},
 * {@code --option=value}, {@code --}, program arguments after the module, reactors ({@code _initialize}).
 */
class RunFlagsTest {
    @TempDir
    Path dir;

    private static CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    private String module(String name, String wat) throws IOException {
        return CliRun.module(dir, name, wat);
    }

    private static final String NL = System.lineSeparator();

    private static void usage(String line, String... args) {
        CliRun.Result r = run(args);
        assertEquals("isthmus: " + line + NL, r.err(), String.join(" ", args));
        assertEquals(2, r.status(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void timeoutInterruptsALoopAsATrap() throws IOException {
        String loop = module("loop.wat", "(module (func (export \"_start\") (loop br 0)))");
        long t0 = System.nanoTime();
        CliRun.Result r = run("run", "-W", "timeout=200ms", loop);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(134, r.status(), r.err());
        assertEquals("isthmus: " + loop + ": wasm trap: interrupted; wasm backtrace: 0: $_start @ 0x23" + NL, r.err());
        assertTrue(ms >= 200 && ms < 10_000, ms + " ms");
        // the start function (instantiation) and a reactor's _initialize run under the timeout too
        String start = module("start.wat", "(module (func $spin (loop br 0)) (start $spin) (func (export \"_start\")))");
        assertEquals(new CliRun.Result(134, "", "isthmus: " + start + ": instantiation failed: wasm trap: interrupted;"
                + " wasm backtrace: 0: $spin @ 0x27" + NL), run("run", "-W", "timeout=100ms", start));
        String init = module("init.wat", "(module (func (export \"_initialize\") (loop br 0)))");
        assertEquals(new CliRun.Result(134, "", "isthmus: " + init + ": wasm trap: interrupted;"
                + " wasm backtrace: 0: $_initialize @ 0x28" + NL), run("run", "-W", "timeout=0", init));
        // the comma list, --wasm=, -Wkey=value; a program that finishes in time is not disturbed
        String quick = module("quick.wat", "(module (func (export \"f\") (result i32) i32.const 7))");
        assertEquals(new CliRun.Result(0, "7\n", ""), run("run", "-W", "timeout=10s,max-wasm-stack=1048576", "--invoke", "f",
                quick));
        assertEquals(new CliRun.Result(0, "7\n", ""), run("run", "--wasm=timeout=1m", "--invoke=f", quick));
        assertEquals(new CliRun.Result(0, "7\n", ""), run("run", "-Wtimeout=5", "--invoke=f", quick));
    }

    @Test
    void fuelStopsALoopAsATrap() throws IOException {
        String loop = module("loop.wat", "(module (func (export \"_start\") (loop br 0)))");
        CliRun.Result r = run("run", "-W", "fuel=1000", loop);
        assertEquals(134, r.status(), r.err());
        assertEquals("isthmus: " + loop + ": wasm trap: all fuel consumed by WebAssembly; wasm backtrace:"
                + " 0: $_start @ 0x25" + NL, r.err());
        // the start function runs on the same fuel; a program within its fuel is not disturbed
        String start = module("start.wat", "(module (func $spin (loop br 0)) (start $spin) (func (export \"_start\")))");
        assertEquals(134, run("run", "-W", "fuel=50", start).status());
        String quick = module("quick.wat", "(module (func (export \"f\") (result i32) i32.const 7))");
        assertEquals(new CliRun.Result(0, "7\n", ""), run("run", "-W", "fuel=1", "--invoke", "f", quick));
        assertEquals(new CliRun.Result(0, "7\n", ""), run("run", "-Wfuel=10,timeout=1m", "--invoke=f", quick));
        assertEquals(134, run("run", "-W", "fuel=0", "--invoke", "f", quick).status());
        usage("run: -W fuel takes a number of units, not lots (see 'isthmus run --help')",
                "run", "-W", "fuel=lots", "x.wasm");
        usage("run: -W fuel needs a value: -W fuel=N (see 'isthmus run --help')", "run", "-W", "fuel", "x.wasm");
    }

    @Test
    void maxMemorySizeMakesGrowReturnMinusOne() throws IOException {
        String grow = module("grow.wat", "(module (memory 1) (func (export \"grow\") (param i32) (result i32)"
                + " local.get 0 memory.grow))");
        // 64 KiB allowed: the memory already has it, so growing by a page fails with -1 (wasm's "no")
        assertEquals(new CliRun.Result(0, "-1\n", ""), run("run", "-W", "max-memory-size=65536", "--invoke", "grow", grow,
                "1"));
        assertEquals(new CliRun.Result(0, "1\n", ""), run("run", "-W", "max-memory-size=0x20000", "--invoke", "grow", grow,
                "1"));
        assertEquals(new CliRun.Result(0, "1\n", ""), run("run", "--invoke", "grow", grow, "1"));
    }

    @Test
    void compileChoosesWhenFunctionsAreCompiled() throws IOException {
        String fib = module("fib.wat", "(module (func $fib (export \"fib\") (param i32) (result i32)"
                + " (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))"
                + " (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))"
                + " (call $fib (i32.sub (local.get 0) (i32.const 2))))))))");
        for (String mode : new String[] {"eager", "lazy", "tiered", "auto", "TIERED"}) {
            assertEquals(new CliRun.Result(0, "6765\n", ""), run("run", "--no-cache", "--compile", mode,
                    "--invoke", "fib", fib, "20"), mode);
        }
        assertEquals(new CliRun.Result(0, "6765\n", ""), run("run", "--compile=lazy", "--tier", "baseline",
                "--invoke", "fib", fib, "20"));
        CliRun.Result bad = run("run", "--compile", "sometimes", fib);
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("--compile must be eager, lazy, tiered or auto: sometimes"), bad.err());
    }

    @Test
    void autoCompilesByTheCodeSectionsSize() {
        byte[] tiny = dev.isthmus.tooling.Tooling.watToBinary("(module (func (result i32) (i32.const 7)))");
        assertTrue(RunCommand.codeSectionBytes(tiny) > 0 && RunCommand.codeSectionBytes(tiny) < 16);
        assertEquals(0, RunCommand.codeSectionBytes("(module)".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(0, RunCommand.codeSectionBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 10, (byte) 0xFF}));
    }

    @Test
    void durationsAsWasmtimeReadsThem() {
        assertEquals(Duration.ofSeconds(10), WasmDurations.parse("10"));
        assertEquals(Duration.ofSeconds(10), WasmDurations.parse("10s"));
        assertEquals(Duration.ofMillis(500), WasmDurations.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), WasmDurations.parse("2m"));
        assertEquals(Duration.ofSeconds(90), WasmDurations.parse("1m 30s"));
        assertEquals(Duration.ofSeconds(90), WasmDurations.parse("1min30sec"));
        assertEquals(Duration.ofNanos(1500), WasmDurations.parse("1us 500ns"));
        assertEquals(Duration.ofHours(26), WasmDurations.parse("1d 2h"));
        usage("run: -W timeout=1.5s: not a duration (no unit after 1; e.g. 10 or 10s, 500ms, 2m, 1h 30m)"
                + " (see 'isthmus run --help')", "run", "-W", "timeout=1.5s", "x.wasm");
        usage("run: -W timeout=5 parsecs: not a duration (unknown unit \"parsecs\"; e.g. 10 or 10s, 500ms, 2m, 1h 30m)"
                + " (see 'isthmus run --help')", "run", "-W", "timeout=5 parsecs", "x.wasm");
        usage("run: -W timeout=ms: not a duration (a number expected at \"ms\"; e.g. 10 or 10s, 500ms, 2m, 1h 30m)"
                + " (see 'isthmus run --help')", "run", "-W", "timeout=ms", "x.wasm");
        usage("run: -W timeout needs a value: -W timeout=DURATION (see 'isthmus run --help')",
                "run", "-W", "timeout", "x.wasm");
    }

    @Test
    void wasmOptionsThatDoNotExistHere() {
        usage("run: -W max-memory-size takes a number of bytes, not 64k (see 'isthmus run --help')",
                "run", "-W", "max-memory-size=64k", "x.wasm");
        usage("run: unknown -W option frobs (this run knows timeout, max-wasm-stack, max-memory-size,"
                + " max-table-elements, max-instances, max-tables, max-memories,"
                + " unknown-imports-trap, unknown-imports-default, fuel)"
                + " (see 'isthmus run --help')", "run", "-W", "timeout=1s,frobs=2", "x.wasm");
        usage("run: -W needs a value (see 'isthmus run --help')", "run", "-W");
        usage("run: -W max-wasm-stack must be between 65536 and 1073741824 bytes, not 4096"
                + " (see 'isthmus run --help')", "run", "-W", "max-wasm-stack=4096", "x.wasm");
        usage("run: --inherit-env takes no value (see 'isthmus run --help')", "run", "--inherit-env=1", "x.wasm");
        usage("run: unknown option --bogus (see 'isthmus run --help')", "run", "--bogus=1", "x.wasm");
        usage("run: --profile=jitdump is not supported (perfmap is) (see 'isthmus run --help')",
                "run", "--profile=jitdump", "x.wasm");
        usage("run: unknown --profile strategy flame (perfmap) (see 'isthmus run --help')",
                "run", "--profile", "flame", "x.wasm");
    }

    @Test
    void codegenHasAvxAsWasmtimesCodegenOption() throws IOException {
        assertTrue(CompilerFlags.apply(CompilerOptions.DEFAULT.withAvx(false), "-C", "has-avx").avx());
        assertEquals(false, CompilerFlags.apply(CompilerOptions.DEFAULT, "-C", "has-avx=false").avx());
        assertEquals(false, CompilerFlags.apply(CompilerOptions.DEFAULT, "--codegen", "cranelift-has-avx=n").avx());
        assertTrue(CompilerFlags.apply(CompilerOptions.DEFAULT, "-C", "has-avx=no,has-avx=yes").avx());
        String f = module("sub.wat", "(module (func (export \"sub\") (param f64 f64) (result f64)"
                + " (f64.sub (local.get 0) (local.get 1))))");
        assertEquals(new CliRun.Result(0, "-1.5\n", ""), run("run", "-C", "has-avx=false", "--invoke", "sub", f, "1", "2.5"));
        assertEquals(new CliRun.Result(0, "-1.5\n", ""), run("run", "-Chas-avx=n", "--invoke", "sub", f, "1", "2.5"));
        assertEquals(new CliRun.Result(0, "-1.5\n", ""), run("run", "--codegen=has-avx=y", "--invoke", "sub", f, "1",
                "2.5"));
        // v128 arguments of --invoke: one unsigned 128-bit number (hex or decimal); results: decimal, as wasmtime
        String v = module("v.wat", "(module (func (export \"swap\") (param v128) (result v128)"
                + " (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get 0) (local.get 0))))");
        for (String avx : List.of("has-avx=y", "has-avx=n")) {
            assertEquals(new CliRun.Result(0, "36888665469229898120\n", ""),            // 0x1_ffeeddccbbaa9988
                    run("run", "-C", avx, "--invoke", "swap", v, "0xffeeddccbbaa9988_0000000000000001"));
        }
        assertEquals(new CliRun.Result(0, "18446744073709551616\n", ""),                // 2^64
                run("run", "--invoke", "swap", v, "1"));
        usage("run: --invoke swap: argument 1 \"0x1" + "0".repeat(32) + "\" is not a v128 (out of range)"
                + " (see 'isthmus run --help')", "run", "--invoke", "swap", v, "0x1" + "0".repeat(32));
        usage("run: --invoke swap: argument 1 \"0xg\" is not a v128 (see 'isthmus run --help')",
                "run", "--invoke", "swap", v, "0xg");
        usage("run: unknown -C option frobs (this command knows has-avx (or cranelift-has-avx))"
                + " (see 'isthmus run --help')", "run", "-C", "frobs=1", "x.wasm");
        usage("run: -C has-avx=maybe: expected y, yes, true, n, no or false (see 'isthmus run --help')",
                "run", "-C", "has-avx=maybe", "x.wasm");
    }

    @Test
    void unknownImportsAsWasmtimesWasmOptions() throws IOException {
        String f = module("imports.wat", """
                (module (import "env" "f" (func $f (result i32)))
                  (func (export "g") (result i32) call $f))
                """);
        assertEquals(new CliRun.Result(0, "0\n", ""), run("run", "-W", "unknown-imports-default", "--invoke", "g", f));
        assertEquals(new CliRun.Result(0, "0\n", ""), run("run", "-Wunknown-imports-default=y", "--invoke", "g", f));
        CliRun.Result trap = run("run", "-W", "unknown-imports-trap=yes", "--invoke", "g", f);
        assertEquals(134, trap.status(), trap.err());
        assertEquals("isthmus: " + f + ": wasm trap: unknown import \"env\" \"f\" (func (result i32)) was called"
                + " (--trap-unknown-imports)" + NL, trap.err());
        assertEquals(1, run("run", "-W", "unknown-imports-trap=n", "--invoke", "g", f).status());
        usage("run: -W unknown-imports-trap=maybe: expected y, yes, true, n, no or false (see 'isthmus run --help')",
                "run", "-W", "unknown-imports-trap=maybe", f);
    }

    @Test
    void optionEqualsValueAndDoubleDash() throws IOException {
        String sub = module("sub.wat", "(module (func (export \"sub\") (param i32 i32) (result i32)"
                + " local.get 0 local.get 1 i32.sub))");
        // arguments after the module go to --invoke untouched, also those that start with '-'
        assertEquals(new CliRun.Result(0, "2\n", ""), run("run", "--invoke=sub", "--tier=baseline", sub, "-5", "-7"));
        assertEquals(new CliRun.Result(0, "-2\n", ""), run("run", "--invoke", "sub", "--", sub, "-7", "-5"));
        Path hello = Path.of("examples/hello/hello.wasm");
        CliRun.Result r = run("run", "--env=USER=wasm", "--dir=examples", "--", hello.toString(), "--env", "-W", "--");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                Hello from Isthmus!
                argv[0] = hello.wasm
                argv[1] = --env
                argv[2] = -W
                argv[3] = --
                USER = wasm
                """, r.out());
        usage("run: no module given (see 'isthmus run --help')", "run", "--invoke=sub", "--");
    }

    @Test
    void reactorsRunInitializeFirst() throws IOException {
        String reactor = module("reactor.wat", """
                (module
                  (global $ready (mut i32) (i32.const 0))
                  (func (export "_initialize") (global.set $ready (i32.const 42)))
                  (func (export "ready") (result i32) global.get $ready))
                """);
        assertEquals(new CliRun.Result(0, "42\n", ""), run("run", "--invoke", "ready", reactor));
        assertEquals(new CliRun.Result(0, "", ""), run("run", reactor), "a reactor without --invoke only initializes");
        String failing = module("failing.wat", """
                (module
                  (func $init unreachable)
                  (func (export "_initialize") call $init)
                  (func (export "f")))
                """);
        CliRun.Result r = run("run", "--invoke", "f", failing);
        assertEquals(134, r.status());
        assertEquals("isthmus: " + failing + ": wasm trap: unreachable; wasm backtrace: 0: $init @ 0x2e,"
                + " 1: $_initialize @ 0x32" + NL, r.err());
        // as wasmtime run: _initialize, then _start (the exit status is _start's)
        String both = module("both.wat", """
                (module
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (global $ready (mut i32) (i32.const 0))
                  (func (export "_initialize") (global.set $ready (i32.const 40)))
                  (func (export "_start") (call $exit (i32.add (global.get $ready) (i32.const 2)))))
                """);
        assertEquals(new CliRun.Result(42, "", ""), run("run", both));
        // an export named "" is the default before _start (wasmtime's "default export")
        String empty = module("empty.wat", """
                (module
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (func (export "") (call $exit (i32.const 7)))
                  (func (export "_start") (call $exit (i32.const 9))))
                """);
        assertEquals(new CliRun.Result(7, "", ""), run("run", empty));
        assertEquals(new CliRun.Result(9, "", ""), run("run", "--invoke", "_start", empty));
        String typed = module("typed.wat", "(module (func (export \"_initialize\") (param i32)))");
        assertEquals(new CliRun.Result(1, "", "isthmus: " + typed + ": _initialize is a (func (param i32)), not a function"
                + " without parameters and results" + NL), run("run", typed));
    }

    /** The wasm stack size is process-wide: each run is a JVM of its own (a recursion 100,000 calls deep). */
    @Test
    void maxWasmStackSizesTheStack() throws Exception {
        String deep = module("deep.wat", """
                (module (func $rec (export "rec") (param i32) (result i32)
                  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                    (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1))))))))
                """);
        List<String> small = child("-W", "max-wasm-stack=65536", "--invoke", "rec", deep, "100000");
        assertEquals("134", small.getFirst(), String.join("\n", small));
        assertTrue(small.get(1).startsWith("isthmus: " + deep + ": wasm trap: call stack exhausted"), small.get(1));
        assertEquals(List.of("0", "100000"), child("-W", "max-wasm-stack=67108864", "--invoke", "rec", deep,
                "100000"));
        assertEquals(List.of("0", "100000"), child("--stack-size=67108864", "--invoke", "rec", deep, "100000"));
    }

    @Test
    void countLimitsFailInstantiationInOneLine() throws IOException {
        String both = module("both.wat", "(module (memory 1) (table 2 funcref)"
                + " (func (export \"growTable\") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))");
        String prefix = "isthmus: " + both + ": instantiation failed: ";
        assertEquals(new CliRun.Result(1, "", prefix + "instance limit reached: 0 instances of this engine are alive,"
                + " the limit is 0 (ResourceLimits.maxInstances); close instances to free their slots" + NL),
                run("run", "-W", "max-instances=0", "--invoke", "growTable", both, "0"));
        assertEquals(new CliRun.Result(1, "", prefix + "memory limit reached: the module defines 1 memory and the live"
                + " instances of this engine define 0, the limit is 0 (ResourceLimits.maxMemories); close instances to"
                + " free their memories" + NL), run("run", "-W", "max-memories=0", "--invoke", "growTable", both, "0"));
        assertEquals(new CliRun.Result(1, "", prefix + "table limit reached: the module defines 1 table and the live"
                + " instances of this engine define 0, the limit is 0 (ResourceLimits.maxTables); close instances to"
                + " free their tables" + NL), run("run", "-Wmax-tables=0", "--invoke", "growTable", both, "0"));
        assertEquals(new CliRun.Result(1, "", prefix + "table of 2 elements exceeds the limit of 1 elements per table"
                + " (ResourceLimits.maxTableElements)" + NL),
                run("run", "-W", "max-table-elements=1", "--invoke", "growTable", both, "0"));
        // within the limits the module runs; table.grow past max-table-elements returns -1 (as wasmtime)
        assertEquals(new CliRun.Result(0, "2\n", ""), run("run", "-W",
                "max-instances=1,max-memories=1,max-tables=0x1,max-table-elements=3", "--invoke", "growTable", both, "1"));
        assertEquals(new CliRun.Result(0, "-1\n", ""), run("run", "-W", "max-table-elements=3", "--invoke", "growTable",
                both, "2"));
        // a count past what an int holds caps nothing
        assertEquals(new CliRun.Result(0, "2\n", ""), run("run", "-W", "max-tables=99999999999", "--invoke",
                "growTable", both, "1"));
        usage("run: -W max-tables takes a number, not lots (see 'isthmus run --help')", "run", "-W", "max-tables=lots",
                "x.wasm");
        usage("run: -W max-instances needs a value: -W max-instances=N (see 'isthmus run --help')", "run", "-W",
                "max-instances", "x.wasm");
    }

    @Test
    void wasiInheritEnvAsWasmtimesWasiOption() throws IOException {
        // the number of environment variables the program sees
        String count = module("count.wat", """
                (module
                  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (func (export "count") (result i32)
                    (drop (call $sizes (i32.const 0) (i32.const 4)))
                    (i32.load (i32.const 0))))
                """);
        String host = System.getenv().size() + "\n";
        assertEquals(new CliRun.Result(0, "0\n", ""), run("run", "--invoke", "count", count));
        assertEquals(new CliRun.Result(0, host, ""), run("run", "-S", "inherit-env", "--invoke", "count", count));
        assertEquals(new CliRun.Result(0, host, ""), run("run", "--wasi=inherit-env=y", "--invoke=count", count));
        assertEquals(new CliRun.Result(0, host, ""), run("run", "-Sinherit-env=yes", "--invoke=count", count));
        assertEquals(new CliRun.Result(0, "0\n", ""), run("run", "--inherit-env", "-S", "inherit-env=n", "--invoke",
                "count", count));
        String hello = "examples/hello/hello.wasm";
        // --env still sets (over the inherited value); the last -S inherit-env counts
        assertTrue(run("run", "-Sinherit-env", "--env", "USER=guest", hello).out().contains("USER = guest\n"));
        assertTrue(run("run", "--inherit-env", "-S", "inherit-env=n", hello).out().contains("USER = (unset)\n"));
        usage("run: -S inherit-env=maybe: expected y, yes, true, n, no or false (see 'isthmus run --help')",
                "run", "-S", "inherit-env=maybe", hello);
    }

    @Test
    void wasiCliOffLinksNoWasi() throws IOException {
        String hello = "examples/hello/hello.wasm";
        String plain = module("plain.wat", "(module (func (export \"_start\")))");
        assertEquals(new CliRun.Result(0, "", ""), run("run", "-S", "cli=n", plain));
        assertEquals(new CliRun.Result(0, "", ""), run("run", "-S", "common=no", plain));
        CliRun.Result r = run("run", "-S", "cli=n", hello);
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("isthmus: " + hello + ": unknown import \"wasi_snapshot_preview1\" \""), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals(0, run("run", "-S", "cli=n,cli=y", hello).status());   // the last one counts
        assertEquals(0, run("run", "-S", "cli", hello).status());
        usage("run: -S common is a deprecated alias of -S cli: give one of them (see 'isthmus run --help')",
                "run", "-S", "cli", "-S", "common", plain);
    }

    @Test
    void wasiCapabilitiesIsthmusHasNotCanOnlyBeTurnedOff() throws IOException {
        String plain = module("plain.wat", "(module (func (export \"_start\")))");
        for (String key : List.of("preview2", "preview0", "threads", "nn", "http", "config", "keyvalue", "tls", "p3",
                "listenfd", "inherit-network", "allow-ip-name-lookup", "tcp", "udp", "cli-exit-with-code",
                "network-error-code")) {
            assertEquals(new CliRun.Result(0, "", ""), run("run", "-S", key + "=n", plain), key);
            CliRun.Result on = run("run", "-S", key, plain);
            assertEquals(2, on.status(), key);
            assertTrue(on.err().startsWith("isthmus: run: -S " + key + " is not supported: "), on.err());
            assertTrue(on.err().endsWith("; -S " + key + "=n is accepted (see 'isthmus run --help')" + NL), on.err());
            assertEquals(2, run("run", "-S", key + "=yes", plain).status(), key);
        }
        usage("run: -S threads is not supported: no wasi-threads; -S threads=n is accepted (see 'isthmus run --help')",
                "run", "-S", "threads", plain);
        usage("run: -S tcp is not supported: no network sockets (a preview1 program only has the sockets preopened for"
                + " it, and Isthmus preopens none); -S tcp=n is accepted (see 'isthmus run --help')",
                "run", "--wasi", "tcp=y", plain);
        // as wasmtime, the last value of a key counts
        assertEquals(new CliRun.Result(0, "", ""), run("run", "-S", "threads", "-S", "threads=n,tcp=n,udp=false",
                plain));
        usage("run: -S preview2 is not supported: Isthmus implements WASI preview1 itself, not on a preview2"
                + " implementation; -S preview2=n is accepted (see 'isthmus run --help')",
                "run", "-S", "preview2=n", "-S", "preview2=y", plain);
        // settings of what Isthmus has not: refused whatever the value
        usage("run: -S tcplisten=127.0.0.1:8080 is not supported: no preopened sockets (see 'isthmus run --help')",
                "run", "-S", "tcplisten=127.0.0.1:8080", plain);
        usage("run: -S max-resources=10 is not supported: it limits WASI 0.2 (component) host calls, which Isthmus"
                + " has not (see 'isthmus run --help')", "run", "-S", "max-resources=10", plain);
        usage("run: -S nn-graph=openvino::/m is not supported: no wasi-nn (see 'isthmus run --help')",
                "run", "-S", "nn-graph=openvino::/m", plain);
        usage("run: unknown -S option frobs (this run knows inherit-env, cli, common; wasmtime's other -S options"
                + " only to turn them off or refuse them) (see 'isthmus run --help')", "run", "-S", "cli,frobs", plain);
        usage("run: -S needs KEY[=VALUE] (see 'isthmus run --help')", "run", "-S", "", plain);
        usage("run: -S needs a value (see 'isthmus run --help')", "run", "-S");
    }

    @Test
    void argv0IsTheFileNameOrArgv0AsWasmtime() {
        String hello = "examples/hello/hello.wasm";
        assertTrue(run("run", hello).out().contains("argv[0] = hello.wasm\n"));
        assertTrue(run("run", "--argv0", "tool", hello, "x").out().contains("argv[0] = tool\nargv[1] = x\n"));
        assertTrue(run("run", "--argv0=", hello).out().contains("argv[0] = \n"));
    }

    @Test
    void invokeResultsPrintedAsWasmtimePrintsThem() {
        assertEquals("1", RunCommand.format(1.0));
        assertEquals("1", RunCommand.format(1.0f));
        assertEquals("0.1", RunCommand.format(0.1));
        assertEquals("0.1", RunCommand.format(0.1f));
        assertEquals("-1.5", RunCommand.format(-1.5));
        assertEquals("100", RunCommand.format(100.0));
        assertEquals("1000000000000000000000", RunCommand.format(1e21));
        assertEquals("0.0000001", RunCommand.format(1e-7));
        assertEquals("0.0000001", RunCommand.format(1e-7f));
        assertEquals("16777216", RunCommand.format(16777216f));
        assertEquals("340282350000000000000000000000000000000", RunCommand.format(Float.MAX_VALUE));
        assertEquals("0", RunCommand.format(0.0));
        assertEquals("-0", RunCommand.format(-0.0));
        assertEquals("-0", RunCommand.format(-0.0f));
        assertEquals("NaN", RunCommand.format(Double.NaN));
        assertEquals("-inf", RunCommand.format(Float.NEGATIVE_INFINITY));
        assertEquals("-2147483648", RunCommand.format(Integer.MIN_VALUE));
        assertEquals("-1", RunCommand.format(-1L));
        assertEquals("340282366920938463463374607431768211455", RunCommand.format(dev.isthmus.V128.of(-1L, -1L)));
    }

    /** {@code isthmus run ARGS} in a child JVM: its exit status, then its output lines. */
    private List<String> child(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "child", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child did not finish: " + Files.readString(output));
        }
        List<String> lines = new ArrayList<>(List.of(Integer.toString(p.exitValue())));
        lines.addAll(Files.readAllLines(output));
        return lines;
    }
}
