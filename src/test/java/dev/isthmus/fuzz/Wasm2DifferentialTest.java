package dev.isthmus.fuzz;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Wasm 2.0 differential corpus of binaryen 132 ({@code src/test/resources/fuzz/wasm2-corpus}, profile wasm2 of
 * {@code scripts/fuzz/profiles.tsv}, made by {@code scripts/fuzz/make-corpus-132.sh wasm2 N}) against binaryen's
 * reference interpreter, at the default (optimizing) tier and at the baseline tier.
 */
class Wasm2DifferentialTest extends CorpusDifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("wasm2-corpus");

    @Test
    void corpusHasAtLeast500Modules() {
        assertTrue(CORPUS.size() >= 500, "wasm2 corpus size " + CORPUS.size());
    }

    @Override
    List<FuzzCorpus.Entry> corpus() {
        return CORPUS;
    }

    @Override
    boolean withExplicitBoundsChecks() {
        return false;
    }
}
