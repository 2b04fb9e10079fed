package dev.isthmus.binary;

import dev.isthmus.binary.DecodeException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@code (module binary ...)} of the official WebAssembly 2.0 test suite: those inside
 * {@code assert_malformed} are rejected with the suite's message (as a prefix of ours), all others decode
 * (they are well formed, even when {@code assert_invalid} says they are invalid).
 */
class SpecBinaryModulesTest {
    private static List<WastBinaryModules.Entry> entries() throws IOException {
        Path dir = WastBinaryModules.testsuite().resolve("wasm-2.0");
        assertTrue(Files.isDirectory(dir), "test suite not found at " + dir.toAbsolutePath());
        List<WastBinaryModules.Entry> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".wast")).sorted().toList()) {
                all.addAll(WastBinaryModules.read(f));
            }
        }
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyBinaryModuleOfTheSuite() throws IOException {
        return entries().stream().map(e -> DynamicTest.dynamicTest(e.toString(), () -> check(e)));
    }

    private static void check(WastBinaryModules.Entry e) {
        if (e.command().equals("assert_malformed")) {
            DecodeException x = assertThrows(DecodeException.class, () -> ModuleDecoder.decode(e.bytes(), dev.isthmus.model.WasmVersion.V2_0));
            assertTrue(x.reason().startsWith(e.expected()), "expected \"" + e.expected() + "\", got: " + x.getMessage());
        } else {
            try {
                ModuleDecoder.decode(e.bytes(), dev.isthmus.model.WasmVersion.V2_0);
            } catch (DecodeException x) {
                fail(e + ": " + x.getMessage());
            }
        }
    }

    @Test
    void theSuiteHasTheExpectedShape() throws IOException {
        List<WastBinaryModules.Entry> all = entries();
        long malformed = all.stream().filter(e -> e.command().equals("assert_malformed")).count();
        assertTrue(malformed >= 690, "assert_malformed binary modules: " + malformed);
        assertTrue(all.size() - malformed >= 60, "other binary modules: " + (all.size() - malformed));
    }
}
