package dev.isthmus.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic code cache ({@code Isthmus.Builder.codeCache}, {@link CodeCache}): hits load without compiling,
 * every kind of bad file in the cache is refused cleanly (compiled again, replaced, one warning), an unwritable cache
 * is skipped, the size limit evicts the least recently used files, and processes sharing the directory never see or
 * leave half a file.
 */
class CodeCacheTest {
    private static final byte[] FIB = read("examples/fib/fib.wasm");
    private static final byte[] CALLS = read("examples/calls/calls.wasm");

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static Isthmus engine(Path dir, List<String> warnings) {
        return Isthmus.builder().codeCache(dir, Isthmus.DEFAULT_CODE_CACHE_BYTES, warnings::add).build();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static long fib(CompiledModule m, int n) {
        try (Instance i = m.instantiate()) {
            return ((Number) i.call("fib", n)[0]).longValue();
        }
    }

    @Test
    void aSecondCompileLoadsTheCachedFile(@TempDir Path dir) throws IOException {
        List<String> warnings = new ArrayList<>();
        Isthmus engine = engine(dir, warnings);
        assertEquals(6765, fib(engine.compile(FIB), 20));
        List<Path> cached = files(dir);
        assertEquals(1, cached.size(), "one entry: " + cached);
        assertTrue(cached.getFirst().getFileName().toString().matches("[0-9a-f]{64}\\.ism"), cached.toString());
        assertTrue(Isthmus.isCodeFile(Files.readAllBytes(cached.getFirst())));
        // proof that the second compile loads the file rather than compiling: plant another module's code file
        // under fib's key, and fib's bytes give that module
        byte[] other = Isthmus.create().compile(CALLS).serialize();
        Files.write(cached.getFirst(), other);
        CompiledModule loaded = engine.compile(FIB);
        assertTrue(loaded.module().exports().stream().noneMatch(e -> e.name().equals("fib")),
                "the planted module loaded");
        assertEquals(List.of(), warnings);
    }

    /**
     * A module with exception handlers is kept too (code files record the handler tables): the second compile loads
     * the file — a planted file of another module with handlers under its key is what comes back — and it catches.
     */
    @Test
    void aModuleWithExceptionHandlersIsCachedAndCatchesFromTheCache(@TempDir Path dir) throws IOException {
        List<String> warnings = new ArrayList<>();
        Isthmus engine = engine(dir, warnings);
        byte[] eh = CodeFileTest.EXCEPTIONS.getBytes(StandardCharsets.UTF_8);
        CodeFileTest.runExceptions(engine.compile(eh));
        List<Path> cached = files(dir);
        assertEquals(1, cached.size(), "the module was stored: " + cached + " " + warnings);
        CompiledModule hit = engine.compile(eh);
        CodeFileTest.runExceptions(hit);
        byte[] other = Isthmus.create().compile("""
                (module (tag $e (param i32))
                  (func (export "planted") (result i32)
                    (block $h (result i32) (try_table (catch $e $h) (throw $e (i32.const 3))) (i32.const 0))))
                """.getBytes(StandardCharsets.UTF_8)).serialize();
        Files.write(cached.getFirst(), other);
        try (Instance planted = engine.compile(eh).instantiate()) {
            assertEquals(3, planted.call("planted")[0], "the planted file loaded, and its try_table caught");
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void theKeyCoversTheOptions(@TempDir Path dir) throws IOException {
        engine(dir, new ArrayList<>()).compile(FIB);
        Isthmus baseline = Isthmus.builder().tier(Tier.BASELINE)
                .codeCache(dir, Isthmus.DEFAULT_CODE_CACHE_BYTES, line -> { }).build();
        assertEquals(6765, fib(baseline.compile(FIB), 20));
        assertEquals(2, files(dir).size(), "another tier is another entry");
    }

    /**
     * A measurement switch of the compiler ({@code -Disthmus.safepointPolls=false}, read while it compiles) changes
     * the code, so it is part of the key: a run without it must not load what was compiled with it.
     */
    @Test
    void theKeyCoversTheCompilerSwitches(@TempDir Path dir) throws IOException {
        Isthmus engine = engine(dir, new ArrayList<>());
        engine.compile(FIB);
        assertEquals(6765, fib(dev.isthmus.compiler.WithProperty.get("isthmus.safepointPolls", "false",
                () -> engine.compile(FIB)), 20));
        assertEquals(2, files(dir).size(), "another switch is another entry");
        engine.compile(FIB);
        assertEquals(2, files(dir).size(), "without the switch: the first entry again");
    }

    /** A damaged or foreign file under the key: refused, compiled again, replaced, one warning per kind. */
    private static void refusedAndReplaced(Path dir, UnaryOperator<byte[]> damage, String expected)
            throws IOException {
        List<String> warnings = new ArrayList<>();
        Isthmus engine = engine(dir, warnings);
        engine.compile(FIB);
        Path entry = files(dir).getFirst();
        byte[] good = Files.readAllBytes(entry);
        Files.write(entry, damage.apply(good.clone()));
        assertEquals(6765, fib(engine.compile(FIB), 20), "compiled again");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains(expected), warnings.getFirst());
        assertTrue(warnings.getFirst().startsWith("code cache: ignoring " + entry), warnings.getFirst());
        assertArrayEquals(good, Files.readAllBytes(entry), "the entry was replaced by a good file");
        assertEquals(6765, fib(engine.compile(FIB), 20));
        assertEquals(1, warnings.size(), "a good entry loads without a warning");
    }

    @Test
    void aCorruptedFileIsRefused(@TempDir Path dir) throws IOException {
        refusedAndReplaced(dir, f -> {
            f[f.length / 2] ^= 0x10;
            return f;
        }, "checksum");
    }

    @Test
    void aTruncatedFileIsRefused(@TempDir Path dir) throws IOException {
        refusedAndReplaced(dir, f -> java.util.Arrays.copyOf(f, f.length / 3), "code file");
    }

    @Test
    void anEmptyFileIsRefused(@TempDir Path dir) throws IOException {
        refusedAndReplaced(dir, f -> new byte[0], "code file");
    }

    @Test
    void aFileOfAnotherFormatVersionIsRefused(@TempDir Path dir) throws IOException {
        refusedAndReplaced(dir, f -> {
            f[8] = 1;                                          // the format before handler tables
            CodeFileTest.fixChecksum(f);
            return f;
        }, "format version 1");
    }

    @Test
    void aFileOfAnotherBuildIsRefused(@TempDir Path dir) throws IOException {
        String build = BuildId.current();
        refusedAndReplaced(dir, f -> {
            f[36 + build.length() - 1] ^= 1;                 // the build id, first string of the KEY section
            CodeFileTest.fixChecksum(f);
            return f;
        }, "made by another build of Isthmus");
    }

    @Test
    void aFileOfOtherOptionsIsRefused(@TempDir Path dir) throws IOException {
        byte[] baselineFile = Isthmus.builder().tier(Tier.BASELINE).build().compile(FIB).serialize();
        refusedAndReplaced(dir, f -> baselineFile, "compiled with other options");
    }

    @Test
    void anUnwritableCacheIsSkippedWithOneWarning(@TempDir Path dir) throws IOException {
        Path notADirectory = dir.resolve("cache");
        Files.writeString(notADirectory, "a file where the directory should be");
        List<String> warnings = new ArrayList<>();
        Isthmus engine = engine(notADirectory, warnings);
        for (int i = 0; i < 3; i++) assertEquals(6765, fib(engine.compile(FIB), 20));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().startsWith("code cache: cannot read " + notADirectory), warnings.getFirst());
        assertTrue(warnings.getFirst().contains("Not a directory"), warnings.getFirst());
        assertEquals("a file where the directory should be", Files.readString(notADirectory));
    }

    @Test
    void theLeastRecentlyUsedFilesGoFirst(@TempDir Path dir) throws IOException {
        byte[][] modules = {FIB, CALLS, read("examples/ackermann/ackermann.wasm")};
        long[] sizes = new long[modules.length];
        List<Path> entries = new ArrayList<>();
        Isthmus unbounded = engine(dir, new ArrayList<>());
        for (int m = 0; m < modules.length; m++) {
            unbounded.compile(modules[m]);
            List<Path> now = new ArrayList<>(files(dir));
            now.removeAll(entries);
            entries.add(now.getFirst());
            sizes[m] = Files.size(now.getFirst());
            Files.setLastModifiedTime(now.getFirst(), FileTime.fromMillis(1_000_000_000_000L + m * 60_000L));
        }
        for (Path p : entries) Files.delete(p);
        // room for all three: compiling them in order, then using the first again, makes the second the oldest
        long limit = sizes[0] + sizes[1] + sizes[2];
        List<String> warnings = new ArrayList<>();
        Isthmus bounded = Isthmus.builder().codeCache(dir, limit, warnings::add).build();
        for (int m = 0; m < modules.length; m++) {
            bounded.compile(modules[m]);
            Files.setLastModifiedTime(entries.get(m), FileTime.fromMillis(1_000_000_000_000L + m * 60_000L));
        }
        bounded.compile(FIB);                                // a hit: fib is the most recently used now
        assertEquals(3, files(dir).size());
        // a fourth module over the limit: the least recently used (calls) goes, and down to 90% of the limit
        byte[] fourth = read("examples/deep/deep.wasm");
        bounded.compile(fourth);
        List<Path> left = files(dir);
        assertFalse(left.contains(entries.get(1)), "the least recently used entry was evicted: " + left);
        assertTrue(left.contains(entries.get(0)), "the entry used last stays: " + left);
        long total = 0;
        for (Path p : left) total += Files.size(p);
        assertTrue(total <= limit, total + " > " + limit);
        assertEquals(List.of(), warnings);
    }

    /**
     * Four processes run the same modules through {@code isthmus run} with one cache directory, at once, twice:
     * every run succeeds, and afterwards every entry is a whole code file that loads and no temporary file is left.
     */
    @Test
    void processesSharingTheCacheNeverCorruptIt(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < 2; round++) {
            List<Process> processes = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                String[] invocation = p % 2 == 0
                        ? new String[] {"--invoke", "fib", "examples/fib/fib.wasm", "20"}
                        : new String[] {"examples/hello/hello.wasm"};
                List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), "dev.isthmus.cli.Main", "run"));
                command.addAll(List.of(invocation));
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
                pb.environment().put("ISTHMUS_CACHE_DIR", cache.toString());
                processes.add(pb.start());
            }
            for (Process process : processes) {
                assertTrue(process.waitFor(120, TimeUnit.SECONDS), "a run did not finish");
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, process.exitValue(), output);
                assertFalse(output.contains("warning"), output);
                assertTrue(output.contains("6765") || output.toLowerCase().contains("hello"), output);
            }
        }
        List<Path> left = files(cache);
        assertEquals(2, left.size(), "one entry per module, no temporary file: " + left);
        for (Path entry : left) Isthmus.create().deserialize(entry).close();
    }
}
