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
 * The memory64 differential corpus ({@code src/test/resources/fuzz/memory64-corpus}, binaryen 132 with
 * {@code --enable-memory64}, profile {@code memory64} of {@code scripts/fuzz/profiles.tsv}) against binaryen's
 * reference interpreter, in both tiers and both bounds-check modes: every module must log, return and trap exactly
 * as the reference.
 */
class Memory64DifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("memory64-corpus");

    @Test
    void corpusHasOver100Modules() {
        assertTrue(CORPUS.size() >= 100, "memory64 corpus size " + CORPUS.size());
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
    Stream<DynamicTest> explicitBoundsChecks() {
        return run(CompilerOptions.DEFAULT.withBoundsChecks(BoundsChecks.EXPLICIT));
    }

    private static Stream<DynamicTest> run(CompilerOptions options) {
        DifferentialRun run = new DifferentialRun(Isthmus.builder().compilerOptions(options).build());
        return CORPUS.stream().map(entry -> DynamicTest.dynamicTest(entry.name(),
                () -> DifferentialTest.check(run, entry)));
    }
}
