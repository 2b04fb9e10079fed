package dev.isthmus.fuzz;

import dev.isthmus.Isthmus;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multiple-memories corpus of binaryen 132 ({@code src/test/resources/fuzz/multimemory-corpus}, profile
 * multimemory of {@code scripts/fuzz/profiles.tsv}: Wasm 2.0 + multimemory + extended-const, with the initial content
 * {@code scripts/fuzz/initial/multimemory.wat} that puts three more memories, instructions on them and extended
 * constant expressions into every module) against binaryen's reference interpreter: both tiers, and the optimizing
 * tier with explicit bounds checks.
 */
class MultiMemoryCorpusTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("multimemory-corpus");

    @Test
    void corpusHasOverAHundredModulesWithSeveralMemories() {
        assertTrue(CORPUS.size() >= 100, "multimemory corpus size " + CORPUS.size());
        for (FuzzCorpus.Entry entry : CORPUS) {
            int memories = dev.isthmus.binary.ModuleDecoder.decode(entry.wasm()).memoryCount();
            assertTrue(memories >= 4, entry.name() + " has " + memories + " memories");
        }
    }

    @TestFactory
    Stream<DynamicTest> optimizing() {
        return run(CompilerOptions.DEFAULT);
    }

    @TestFactory
    Stream<DynamicTest> baseline() {
        return run(CompilerOptions.DEFAULT.withTier(Tier.BASELINE));
    }

    @TestFactory
    Stream<DynamicTest> optimizingWithExplicitBoundsChecks() {
        return run(CompilerOptions.DEFAULT.withBoundsChecks(BoundsChecks.EXPLICIT));
    }

    private static Stream<DynamicTest> run(CompilerOptions options) {
        DifferentialRun run = new DifferentialRun(Isthmus.builder().compilerOptions(options).build());
        return CORPUS.stream().map(entry -> DynamicTest.dynamicTest(entry.name(),
                () -> DifferentialTest.check(run, entry)));
    }
}
