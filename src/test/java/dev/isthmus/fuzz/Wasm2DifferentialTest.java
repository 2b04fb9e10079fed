package dev.isthmus.fuzz;

import dev.isthmus.Isthmus;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Wasm 2.0 differential corpus of binaryen 132 ({@code src/test/resources/fuzz/wasm2-corpus}, profile wasm2 of
 * {@code scripts/fuzz/profiles.tsv}, made by {@code scripts/fuzz/make-corpus-132.sh wasm2 N}) against binaryen's
 * reference interpreter, at the default (optimizing) tier and at the baseline tier.
 */
class Wasm2DifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("wasm2-corpus");

    @Test
    void corpusHasAtLeast500Modules() {
        assertTrue(CORPUS.size() >= 500, "wasm2 corpus size " + CORPUS.size());
    }

    @TestFactory
    Stream<DynamicTest> optimizing() {
        return run(CompilerOptions.DEFAULT);
    }

    @TestFactory
    Stream<DynamicTest> baseline() {
        return run(CompilerOptions.DEFAULT.withTier(Tier.BASELINE));
    }

    private static Stream<DynamicTest> run(CompilerOptions options) {
        DifferentialRun run = new DifferentialRun(Isthmus.builder().compilerOptions(options).build());
        return CORPUS.stream().map(entry -> DynamicTest.dynamicTest(entry.name(),
                () -> DifferentialTest.check(run, entry)));
    }
}
