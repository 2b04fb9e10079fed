package dev.isthmus.compiler;

import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution commands of the non-SIMD 2.0 spec scripts (and the 3.0 tail-call scripts) through the compiler and
 * the {@link TestInstance} harness, which hosts modules whose functions need no runtime builtins. Every command the
 * harness can run must pass; counts are printed per file.
 */
class CompilerSpecTest {
    private static final Path SUITE = Path.of("/work/shared/testsuite");

    /** Failures that are not the compiler's: harness limits (instantiation-failure semantics) and text parsing. */
    private static final Set<String> NOT_COMPILER = Set.of(
            "linking.wast", // partial initialisation after failed instantiation: a harness limit
            "comments.wast"); // a comment ending in \r\n inside a quoted module: the text front end

    static Stream<Path> scripts() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(SUITE.resolve("wasm-2.0"))) {
            s.filter(p -> p.toString().endsWith(".wast") && !p.getFileName().toString().startsWith("simd"))
                    .sorted().forEach(files::add);
        }
        files.add(SUITE.resolve("wasm-3.0/return_call.wast"));
        files.add(SUITE.resolve("wasm-3.0/return_call_indirect.wast"));
        return files.stream();
    }

    @TestFactory
    Stream<DynamicTest> guardPages() throws IOException {
        return scripts().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> check(SpecScriptRunner.run(p, CompilerOptions.DEFAULT))));
    }

    @TestFactory
    Stream<DynamicTest> explicitBoundsChecks() throws IOException {
        CompilerOptions explicit = new CompilerOptions(BoundsChecks.EXPLICIT);
        return scripts().filter(p -> Set.of("address.wast", "memory_trap.wast", "float_memory.wast", "endianness.wast",
                        "memory.wast", "align.wast", "store.wast", "left-to-right.wast")
                .contains(p.getFileName().toString()))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                        () -> check(SpecScriptRunner.run(p, explicit))));
    }

    private static void check(SpecScriptRunner.Result r) {
        System.out.println(r);
        if (NOT_COMPILER.contains(r.file())) {
            assertTrue(r.failed() <= 8, r.failures().toString());
            return;
        }
        assertEquals(List.of(), r.failures(), r.file());
    }
}
