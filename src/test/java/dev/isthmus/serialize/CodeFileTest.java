package dev.isthmus.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.CodeFileRejectedException;
import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Tag;
import dev.isthmus.WasmThrow;
import dev.isthmus.WasmTrap;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import dev.isthmus.wasi.Wasi;
import dev.isthmus.wasi.WasiOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import dev.isthmus.compiler.KernelSuiteTest;
import dev.isthmus.compiler.KernelSuiteTest.Kernel;

/**
 * Code files: compiled modules written with {@link CompiledModule#serialize()} and loaded with
 * {@link Isthmus#deserialize} behave as the freshly compiled module (every kernel of {@code bench/kernels}, scalar
 * and SIMD, the examples, tail calls, traps with backtraces), at both tiers; a loaded module writes the same file
 * again (same code, same maps); damaged files (every truncation, random bit flips) and files for another build,
 * other options or another CPU are refused with {@link CodeFileRejectedException} before anything is mapped.
 */
class CodeFileTest {
    private static final Path KERNELS = Path.of("bench/kernels");

    static Stream<Arguments> kernelsAndTiers() throws IOException {
        List<Kernel> kernels = KernelSuiteTest.kernels();
        assertFalse(kernels.size() < 16);
        assertTrue(kernels.stream().anyMatch(k -> k.name().endsWith("-simd")), "SIMD kernels among them");
        return kernels.stream().flatMap(k -> Stream.of(Tier.OPTIMIZING, Tier.BASELINE).map(t -> Arguments.of(k, t)));
    }

    private static int runKernel(CompiledModule module, Kernel kernel) throws IOException {
        try (Wasi wasi = new Wasi(WasiOptions.builder().stdout(OutputStream.nullOutputStream()).build())) {
            Instance instance = module.instantiate(wasi.addTo(Imports.builder()).build());
            try {
                wasi.bind(instance);
                return (Integer) instance.call("run", kernel.testSize())[0];
            } finally {
                instance.close();
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kernelsAndTiers")
    void kernelsRunFromTheirCodeFile(Kernel kernel, Tier tier) throws IOException {
        byte[] wasm = Files.readAllBytes(KERNELS.resolve("wasm/" + kernel.name() + ".wasm"));
        Isthmus engine = Isthmus.builder().tier(tier).build();
        CompiledModule fresh = engine.compile(wasm);
        byte[] file = fresh.serialize();
        CompiledModule loaded = engine.deserialize(file);
        assertEquals(Integer.toUnsignedString(kernel.expected()), Integer.toUnsignedString(runKernel(loaded, kernel)),
                kernel + " loaded from its code file");
        assertEquals(runKernel(fresh, kernel), runKernel(loaded, kernel));
        assertArrayEquals(file, loaded.serialize(), "the loaded module writes the same file");
        fresh.close();
        loaded.close();
    }

    static Stream<Arguments> examplesAndTiers() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("examples"))) {
            files = walk.filter(p -> p.toString().endsWith(".wasm") || p.toString().endsWith(".wat")).sorted()
                    .toList();
        }
        assertTrue(files.size() >= 6, "examples: " + files);
        return files.stream().flatMap(f -> Stream.of(Tier.OPTIMIZING, Tier.BASELINE).map(t -> Arguments.of(f, t)));
    }

    /** Every example writes a file that loads back into a module that writes the same file. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("examplesAndTiers")
    void examplesRoundTrip(Path example, Tier tier) throws IOException {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        CompiledModule fresh = engine.compile(example);
        byte[] file = fresh.serialize();
        CompiledModule loaded = engine.deserialize(file);
        assertEquals(fresh.module().exports(), loaded.module().exports());
        assertArrayEquals(file, loaded.serialize());
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void ackermannAndFibAnswerAsCompiled(Tier tier) throws Throwable {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        CompiledModule ack = engine.deserialize(engine.compile(Path.of("examples/ackermann/ackermann.wasm"))
                .serialize());
        assertEquals(253, ack.instantiate().call("ackermann", 3, 5)[0]);
        CompiledModule fib = engine.deserialize(engine.compile(Path.of("examples/fib/fib.wasm")).serialize());
        assertEquals(55, fib.instantiate().call("fib", 10)[0]);
    }

    /** Tail calls, direct and indirect (a type-id site in a return_call_indirect), and a call_indirect type check. */
    private static final String TAIL_CALLS = """
            (module
              (type $ii (func (param i64 i64) (result i64)))
              (table 2 funcref)
              (elem (i32.const 0) $sum $other)
              (func $sum (type $ii) (param $n i64) (param $acc i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n))
                  (then (local.get $acc))
                  (else (return_call_indirect (type $ii)
                          (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))
                          (i32.const 0)))))
              (func $other (param i32) (result i32) (local.get 0))
              (func $count (export "count") (param $n i64) (result i64)
                (return_call $sum (local.get $n) (i64.const 0)))
              (func (export "wrong") (result i64)
                (call_indirect (type $ii) (i64.const 1) (i64.const 2) (i32.const 1))))
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void tailCallsAndIndirectCallChecksRunFromTheCodeFile(Tier tier) {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        CompiledModule loaded = engine.deserialize(engine.compile(TAIL_CALLS.getBytes(StandardCharsets.UTF_8))
                .serialize());
        Instance instance = loaded.instantiate();
        assertEquals(500000500000L, instance.call("count", 1_000_000L)[0], "a million tail calls, constant stack");
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("wrong"));
        assertEquals("indirect call type mismatch", trap.getMessage());
    }

    private static final String TRAPS = """
            (module
              (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (func $middle (param i32) (result i32) (call $inner (local.get 0)))
              (func (export "outer") (param i32) (result i32) (call $middle (local.get 0)))
              (func $deep (export "deep") (param i32) (result i32) (call $deep (local.get 0))))
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void trapsCarryTheSameBacktraceAfterLoading(Tier tier) {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        CompiledModule fresh = engine.compile(TRAPS.getBytes(StandardCharsets.UTF_8));
        CompiledModule loaded = engine.deserialize(fresh.serialize());
        WasmTrap expected = assertThrows(WasmTrap.class, () -> fresh.instantiate().call("outer", 0));
        WasmTrap actual = assertThrows(WasmTrap.class, () -> loaded.instantiate().call("outer", 0));
        assertEquals("integer divide by zero", actual.getMessage());
        assertEquals(expected.backtrace(), actual.backtrace());
        assertEquals("inner", actual.backtrace().getFirst().name().orElseThrow());
        assertEquals(3, actual.backtrace().size());
        WasmTrap overflow = assertThrows(WasmTrap.class, () -> loaded.instantiate().call("deep", 1));
        assertEquals("call stack exhausted", overflow.getMessage());
    }

    @Test
    void wasiHelloRunsFromItsCodeFile() throws IOException {
        Isthmus engine = Isthmus.create();
        CompiledModule loaded = engine.deserialize(engine.compile(Path.of("examples/hello/hello.wasm")).serialize());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Wasi wasi = new Wasi(WasiOptions.builder().args(List.of("hello", "file")).stdout(out).build())) {
            Instance instance = loaded.instantiate(wasi.addTo(Imports.builder()).build());
            assertEquals(0, wasi.run(instance));
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Hello from Isthmus!\nargv[0] = hello\nargv[1] = file\n"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void serializeToAFileAndDeserializeIt(@TempDir Path dir) throws IOException {
        Isthmus engine = Isthmus.create();
        CompiledModule fresh = engine.compile(Path.of("examples/ackermann/ackermann.wasm"));
        Path file = dir.resolve("ack.ism");
        fresh.serialize(file);
        assertTrue(Isthmus.isCodeFile(Files.readAllBytes(file)));
        assertFalse(Isthmus.isCodeFile(Files.readAllBytes(Path.of("examples/ackermann/ackermann.wasm"))));
        assertEquals(253, engine.deserialize(file).instantiate().call("ackermann", 3, 5)[0]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
    }

    /** Writers replacing one file while readers load it: a reader always sees a whole file (temp + rename). */
    @Test
    void concurrentWritersNeverShowHalfAFile(@TempDir Path dir) throws Exception {
        Isthmus engine = Isthmus.create();
        CompiledModule[] modules = {engine.compile(read("examples/fib/fib.wasm")),
                engine.compile(read("examples/hello/hello.wasm"))};
        Path file = dir.resolve("shared.ism");
        modules[0].serialize(file);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            CompiledModule m = modules[w % 2];
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 30; i++) m.serialize(file);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 30; i++) {
                        engine.deserialize(file).close();
                        loads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertEquals(60, loads.get());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
    }

    // ------------------------------------------------------------------------------------------ refusals

    private static CodeFileRejectedException refused(Isthmus engine, byte[] file) {
        return assertThrows(CodeFileRejectedException.class, () -> engine.deserialize(file));
    }

    @Test
    void everyTruncationIsRefused() {
        Isthmus engine = Isthmus.create();
        byte[] file = engine.compile(TAIL_CALLS.getBytes(StandardCharsets.UTF_8)).serialize();
        for (int length = 0; length < file.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(file, length);
            CodeFileRejectedException e = refused(engine, cut);
            assertEquals(CodeFileRejectedException.Kind.CORRUPT, e.kind(), length + " bytes: " + e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), length + " bytes: " + e.getMessage());
        }
        byte[] longer = java.util.Arrays.copyOf(file, file.length + 1);
        assertTrue(refused(engine, longer).getMessage().contains("trailing bytes"));
    }

    @Test
    void randomBitFlipsAreRefused() {
        Isthmus engine = Isthmus.create();
        byte[] file = engine.compile(read("examples/hello/hello.wasm")).serialize();
        Random random = new Random(15);
        for (int i = 0; i < 3000; i++) {
            byte[] bad = file.clone();
            int bit = random.nextInt(8 * bad.length);
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            CodeFileRejectedException e = refused(engine, bad);
            int at = bit / 8;
            String why = "bit " + bit + ": " + e.getMessage();
            if (at < 8) assertEquals(CodeFileRejectedException.Kind.NOT_A_CODE_FILE, e.kind(), why);
            else if (at < 12) assertEquals(CodeFileRejectedException.Kind.ENGINE_VERSION, e.kind(), why);
            else assertEquals(CodeFileRejectedException.Kind.CORRUPT, e.kind(), why);
        }
    }

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void aCodeFileIsNotAModule() {
        Isthmus engine = Isthmus.create();
        byte[] file = engine.compile(read("examples/fib/fib.wasm")).serialize();
        dev.isthmus.MalformedModuleException e = assertThrows(dev.isthmus.MalformedModuleException.class,
                () -> engine.compile(file));
        assertEquals("an Isthmus code file, not a module: load it with Isthmus.deserialize", e.reason());
    }

    @Test
    void aWasmModuleIsNotACodeFile() {
        CodeFileRejectedException e = refused(Isthmus.create(), read("examples/fib/fib.wasm"));
        assertEquals(CodeFileRejectedException.Kind.NOT_A_CODE_FILE, e.kind());
        assertEquals("code file: not a code file (it does not start with \\0isthmus) (at byte 1)", e.getMessage());
    }

    @Test
    void otherOptionsAreRefusedNamingTheDifference() {
        byte[] file = Isthmus.builder().tier(Tier.BASELINE).stackCheck(StackCheck.PROBE).build()
                .compile(read("examples/fib/fib.wasm")).serialize();
        CodeFileRejectedException e = refused(Isthmus.builder().tier(Tier.OPTIMIZING)
                .stackCheck(StackCheck.GUARD_PAGE).build(), file);
        assertEquals(CodeFileRejectedException.Kind.COMPILER_OPTIONS, e.kind());
        assertEquals("code file: compiled with other options than this engine's: tier=baseline (this engine: "
                + "tier=optimizing), stack-check=probe (this engine: stack-check=guard-page)", e.getMessage());
        CodeFileRejectedException fuel = refused(Isthmus.builder().tier(Tier.BASELINE).stackCheck(StackCheck.PROBE)
                .consumeFuel(true).build(), file);
        assertTrue(fuel.getMessage().endsWith("fuel=off (this engine: fuel=on)"), fuel.getMessage());
        assertEquals(55, Isthmus.builder().tier(Tier.BASELINE).stackCheck(StackCheck.PROBE).build()
                .deserialize(file).instantiate().call("fib", 10)[0], "the same options load it");
    }

    @Test
    void anotherBuildIsRefused() {
        byte[] file = Isthmus.create().compile(read("examples/fib/fib.wasm")).serialize();
        String build = BuildId.current();
        assertNotNull(build);
        // the build id is the first string of the KEY section: header 24, tag 4, length 4, string length 4
        assertEquals(build, new String(file, 36, build.length(), StandardCharsets.UTF_8));
        file[36 + build.length() - 1] ^= 1;
        fixChecksum(file);
        CodeFileRejectedException e = refused(Isthmus.create(), file);
        assertEquals(CodeFileRejectedException.Kind.ENGINE_VERSION, e.kind());
        assertTrue(e.getMessage().startsWith("code file: made by another build of Isthmus ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("this is " + build + ": compile the module again with this one"));
        byte[] version = Isthmus.create().compile(read("examples/fib/fib.wasm")).serialize();
        version[8] = 3;
        fixChecksum(version);
        assertEquals("code file: format version 3; this engine reads version 2 (at byte 8)",
                refused(Isthmus.create(), version).getMessage());
    }

    @Test
    void aCpuWithoutTheCodesFeaturesIsRefused() {
        CompilerOptions options = CompilerOptions.DEFAULT;
        byte[] file = Isthmus.builder().compilerOptions(options).build()
                .compile(read("bench/kernels/wasm/dot16-simd.wasm")).serialize();
        CodeFileException e = assertThrows(CodeFileException.class,
                () -> CodeFile.read(file, options, CpuFeatures.BASELINE));
        assertEquals(CodeFileException.Kind.CPU_FEATURES, e.kind());
        assertTrue(e.getMessage().startsWith("code file: the code needs CPU features this machine lacks: SSE3, SSSE3,"
                + " SSE4_1"), e.getMessage());
        // without AVX the code needs no AVX: a CPU without it loads the file
        CompilerOptions sse = options.withAvx(false);
        byte[] sseFile = Isthmus.builder().compilerOptions(sse).build()
                .compile(read("bench/kernels/wasm/dot16-simd.wasm")).serialize();
        CpuFeatures noAvx = CpuFeatures.host().withoutAvx();
        assertNotNull(CodeFile.read(sseFile, sse, noAvx).machineCode());
        if (CpuFeatures.host().avx()) {
            CodeFileException avx = assertThrows(CodeFileException.class, () -> CodeFile.read(file, options, noAvx));
            assertTrue(avx.getMessage().contains("AVX"), avx.getMessage());
        }
    }

    @Test
    void aModuleWithoutItsBinaryCannotBeWritten() {
        Isthmus engine = Isthmus.create();
        CompiledModule fromModel = engine.compile(engine.compile(read("examples/fib/fib.wasm")).module());
        CodeFileRejectedException e = assertThrows(CodeFileRejectedException.class, fromModel::serialize);
        assertEquals(CodeFileRejectedException.Kind.NOT_SERIALIZABLE, e.kind());
    }

    /** The offset of section {@code tag}'s payload: sections follow the 24-byte header as tag, length, payload. */
    static int section(byte[] file, String tag) {
        int at = 24;
        while (!new String(file, at, 4, StandardCharsets.US_ASCII).equals(tag)) {
            at += 8 + ((file[at + 4] & 0xFF) | (file[at + 5] & 0xFF) << 8 | (file[at + 6] & 0xFF) << 16
                    | (file[at + 7] & 0xFF) << 24);
        }
        return at + 8;
    }

    @Test
    void inconsistentTablesAreRefusedWithTheirPlace() {
        Isthmus engine = Isthmus.create();
        byte[] file = engine.compile(TAIL_CALLS.getBytes(StandardCharsets.UTF_8)).serialize();
        byte[] bad = file.clone();
        int func = section(bad, "FUNC");
        bad[func + 8 + 3] = 0x7F;                                  // function 0's entry, far beyond the code
        fixChecksum(bad);
        CodeFileRejectedException e = refused(engine, bad);
        assertEquals(CodeFileRejectedException.Kind.CORRUPT, e.kind());
        assertEquals("FUNC", e.section());
        assertEquals(func + 8, e.offset());
        assertTrue(e.getMessage().startsWith("code file: function 0 at [2130706"), e.getMessage());

        bad = file.clone();
        int tyid = section(bad, "TYID");
        bad[tyid] = (byte) 0xFF;                                  // a site count beyond the section
        fixChecksum(bad);
        e = refused(engine, bad);
        assertEquals("TYID", e.section());
        assertEquals(tyid, e.offset());
        assertTrue(e.getMessage().contains("does not fit in the"), e.getMessage());

        bad = file.clone();
        int wasm = section(bad, "WASM");
        bad[wasm + 1] = 'b';                                      // "\0bsm": the module inside does not decode
        fixChecksum(bad);
        e = refused(engine, bad);
        assertEquals("WASM", e.section());
        assertTrue(e.getMessage().startsWith("code file: the module it holds does not decode: "), e.getMessage());
    }

    /**
     * Exception handling in both forms: a tag imported from Java and one defined and exported, throws several frames
     * below their handler (try_table with catch and catch_all_ref, an exnref leaving to Java, the legacy try with a
     * catch whose rethrow an outer try catches, a delegate), and a host function throwing into wasm.
     */
    static final String EXCEPTIONS = """
            (module
              (tag $t (import "host" "t") (param i32))
              (func $host_throw (import "host" "throw") (param i32))
              (tag $e (export "e") (param i32 i64))
              (func $deep (param i32)
                (if (local.get 0)
                  (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
                  (else (throw $e (i32.const 42) (i64.const -5)))))
              (func (export "try_table") (param i32) (result i64)
                (local $y i64)
                (block $h (result i32 i64)
                  (try_table (catch $e $h) (call $deep (local.get 0)))
                  (return (i64.const -1)))
                (local.set $y)
                (i64.extend_i32_u)
                (local.get $y)
                (i64.add))
              (func (export "exnref") (param i32) (result exnref)
                (block $h (result exnref)
                  (try_table (catch_all_ref $h) (call $deep (local.get 0)))
                  (ref.null exn)))
              (func (export "legacy") (param i32) (result i32)
                (try (result i32)
                  (do
                    (try (result i32)
                      (do (call $deep (local.get 0)) (i32.const 0))
                      (catch $e (drop) (drop) (rethrow 0))))
                  (catch $e (drop) (i32.const 1000) (i32.add))))
              (func (export "delegate") (param i32) (result i32)
                (try $outer (result i32)
                  (do
                    (try (result i32)
                      (do (call $deep (local.get 0)) (i32.const 0))
                      (delegate $outer)))
                  (catch_all (i32.const 7))))
              (func (export "from_host") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $t $h) (call $host_throw (local.get 0)))
                  (i32.const -1))))
            """;

    static final FuncType I32_TAG = FuncType.of(List.of(ValType.I32), List.of());

    /** The imports {@link #EXCEPTIONS} needs: tag {@code t} and a host function throwing it with its argument + 1. */
    static Imports exceptionImports(Tag tag) {
        return Imports.builder().tag("host", "t", tag)
                .function("host", "throw", I32_TAG, args -> {
                    throw new WasmThrow(tag, (int) args[0] + 1);
                }).build();
    }

    /** Runs every export of {@link #EXCEPTIONS} and checks what it caught. */
    static void runExceptions(CompiledModule module) {
        Tag tag = new Tag(I32_TAG);
        try (Instance instance = module.instantiate(exceptionImports(tag))) {
            assertEquals(37L, instance.call("try_table", 5)[0]);
            WasmThrow exn = (WasmThrow) instance.call("exnref", 3)[0];
            assertEquals(instance.tag("e"), exn.tag());
            assertArrayEquals(new Object[] {42, -5L}, exn.payload());
            assertEquals(1042, instance.call("legacy", 4)[0]);
            assertEquals(7, instance.call("delegate", 2)[0]);
            assertEquals(10, instance.call("from_host", 9)[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void exceptionHandlersRunFromTheCodeFile(Tier tier) {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        CompiledModule compiled = engine.compile(EXCEPTIONS.getBytes(StandardCharsets.UTF_8));
        runExceptions(compiled);
        byte[] file = compiled.serialize();
        CompiledModule loaded = engine.deserialize(file);
        runExceptions(loaded);
        assertArrayEquals(file, loaded.serialize(), "a loaded module writes the same file");
        MachineCode fresh = ModuleCompiler.compile(compiled.module(), engine.compilerOptions());
        MachineCode read = CodeFile.read(file, engine.compilerOptions(), CpuFeatures.host()).machineCode();
        int withHandlers = 0;
        for (int f = compiled.module().importedFunctionCount(); f < compiled.module().functionCount(); f++) {
            assertArrayEquals(fresh.unwind(f).handlers(), read.unwind(f).handlers(), "handler table of function " + f);
            if (read.unwind(f).handlers().length > 0) withHandlers++;
        }
        assertEquals(5, withHandlers, "every function with a try kept its table");
    }

    /** Where function {@code f}'s handler table starts in {@code file} (its count before it), or -1 when empty. */
    private static int handlerTable(byte[] file, int f) {
        int at = section(file, "EXCP") + 4;
        for (int i = 0; i < f; i++) at += 4 + 4 * le32(file, at);
        return le32(file, at) == 0 ? -1 : at + 4;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static void putLe32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    /** A handler table changed at {@code word} (from its start) to {@code value}: refused, naming EXCP and the byte. */
    private static void refusedHandlerTable(Isthmus engine, byte[] file, int function, int word, int value,
                                            String message) {
        byte[] bad = file.clone();
        int at = handlerTable(bad, function) + 4 * word;
        putLe32(bad, at, value);
        fixChecksum(bad);
        CodeFileRejectedException e = refused(engine, bad);
        assertEquals(CodeFileRejectedException.Kind.CORRUPT, e.kind(), e.getMessage());
        assertEquals("EXCP", e.section(), e.getMessage());
        assertEquals(at, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void damagedHandlerTablesAreRefusedWithTheirPlace() {
        Isthmus engine = Isthmus.builder().tier(Tier.BASELINE).build();
        CompiledModule compiled = engine.compile(EXCEPTIONS.getBytes(StandardCharsets.UTF_8));
        byte[] file = compiled.serialize();
        MachineCode code = CodeFile.read(file, engine.compilerOptions(), CpuFeatures.host()).machineCode();
        // function 4 ("legacy", defined index 3): the inner try's range (its clause and a DELEGATE naming the outer
        // try's range), the inner catch block's range (naming the outer try's), the outer try's
        int legacy = 3;
        int[] table = code.unwind(legacy + 1).handlers();
        assertEquals(table.length, le32(file, handlerTable(file, legacy) - 4));
        assertEquals(2, table[2], "the inner range: its clause and the DELEGATE naming the outer range");
        assertEquals(FrameUnwind.DELEGATE, table[6]);
        int size = code.functionEnd(legacy + 1) - code.functionOffset(legacy + 1);
        refusedHandlerTable(engine, file, legacy, 1, size + 1, "range 0 [");
        refusedHandlerTable(engine, file, legacy, 0, -2, "is not inside its");
        refusedHandlerTable(engine, file, legacy, 3, 9, "clause kind 9");
        refusedHandlerTable(engine, file, legacy, 5, size, "landing pad " + size);
        refusedHandlerTable(engine, file, legacy, 7, 0, "delegates to 0");
        refusedHandlerTable(engine, file, legacy, 7, 5, "delegates to 5");
        refusedHandlerTable(engine, file, legacy, 2, 99, "does not fit in the table");
        refusedHandlerTable(engine, file, legacy, 4, 3, "tag 3 is not one of the module's 2 tags");

        // the count of a table larger than the section, and a section cut short of its last table
        byte[] bad = file.clone();
        int count = handlerTable(bad, legacy) - 4;
        putLe32(bad, count, 1 << 20);
        fixChecksum(bad);
        CodeFileRejectedException e = refused(engine, bad);
        assertEquals("EXCP", e.section());
        assertEquals(count, e.offset());
        assertTrue(e.getMessage().contains("does not fit in the"), e.getMessage());
        bad = file.clone();
        int excp = section(bad, "EXCP");
        putLe32(bad, excp - 4, le32(bad, excp - 4) - 4);      // the section's length: one word short
        fixChecksum(bad);
        e = refused(engine, bad);
        assertEquals(CodeFileRejectedException.Kind.CORRUPT, e.kind());
        assertEquals("EXCP", e.section(), e.getMessage());
    }

    /** Recomputes the CRC32C of a file whose contents a test changed on purpose. */
    static void fixChecksum(byte[] file) {
        CRC32C crc = new CRC32C();
        crc.update(file, 0, 12);
        crc.update(file, 16, file.length - 16);
        int v = (int) crc.getValue();
        for (int i = 0; i < 4; i++) file[12 + i] = (byte) (v >>> (8 * i));
    }
}
