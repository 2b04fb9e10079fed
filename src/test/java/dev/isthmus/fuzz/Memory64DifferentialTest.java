package dev.isthmus.fuzz;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory64 differential corpus ({@code src/test/resources/fuzz/memory64-corpus}, binaryen 132 with
 * {@code --enable-memory64}, profile {@code memory64} of {@code scripts/fuzz/profiles.tsv}) against binaryen's
 * reference interpreter, in both tiers and both bounds-check modes: every module must log, return and trap exactly
 * as the reference.
 */
class Memory64DifferentialTest extends CorpusDifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("memory64-corpus");

    @Test
    void corpusHasOver100Modules() {
        assertTrue(CORPUS.size() >= 100, "memory64 corpus size " + CORPUS.size());
    }

    @Override
    List<FuzzCorpus.Entry> corpus() {
        return CORPUS;
    }
}
