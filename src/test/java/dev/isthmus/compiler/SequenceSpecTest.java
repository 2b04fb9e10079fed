package dev.isthmus.compiler;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The spec scripts covering the shared instruction sequences ({@code dev.isthmus.compiler.sequences}: conversions,
 * float min/max and sign operations, division) under each tier explicitly.
 */
class SequenceSpecTest {
    private static final Path SUITE = Path.of("/work/shared/testsuite/wasm-2.0");
    private static final List<String> FILES = List.of("conversions.wast", "float_exprs.wast", "f32.wast", "f64.wast",
            "i32.wast", "i64.wast", "float_misc.wast", "int_exprs.wast", "f32_bitwise.wast", "f64_bitwise.wast");

    @TestFactory
    Stream<DynamicTest> bothTiers() {
        return Stream.of(Tier.values()).flatMap(tier -> FILES.stream().map(f -> DynamicTest.dynamicTest(
                tier + " " + f, () -> {
                    SpecScriptRunner.Result r = SpecScriptRunner.run(SUITE.resolve(f),
                            CompilerOptions.DEFAULT.withTier(tier));
                    System.out.println(tier + " " + r);
                    assertEquals(List.of(), r.failures(), f);
                })));
    }
}
