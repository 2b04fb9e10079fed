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
 * The SIMD differential corpus ({@code src/test/resources/fuzz/simd-corpus}, binaryen 132 with SIMD, see
 * {@code scripts/fuzz/make-corpus-132.sh}) against binaryen's reference interpreter, in both code paths of the SIMD
 * lowering (AVX on and off) and in both tiers: every module must log, return and trap exactly as the reference.
 */
class SimdDifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("simd-corpus");

    @Test
    void corpusHasSeveralHundredModules() {
        assertTrue(CORPUS.size() >= 300, "simd corpus size " + CORPUS.size());
    }

    @TestFactory
    Stream<DynamicTest> avx() {
        return run(CompilerOptions.DEFAULT.withAvx(true));
    }

    @TestFactory
    Stream<DynamicTest> withoutAvx() {
        return run(CompilerOptions.DEFAULT.withAvx(false));
    }

    @TestFactory
    Stream<DynamicTest> baselineTierWithoutAvx() {
        return run(CompilerOptions.DEFAULT.withAvx(false).withTier(Tier.BASELINE));
    }

    private static Stream<DynamicTest> run(CompilerOptions options) {
        DifferentialRun run = new DifferentialRun(Isthmus.builder().compilerOptions(options).build());
        return CORPUS.stream().map(entry -> DynamicTest.dynamicTest(entry.name(),
                () -> DifferentialTest.check(run, entry)));
    }
}
