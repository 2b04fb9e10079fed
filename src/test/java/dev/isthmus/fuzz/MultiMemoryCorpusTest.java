package dev.isthmus.fuzz;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multiple-memories corpus of binaryen 132 ({@code src/test/resources/fuzz/multimemory-corpus}, profile
 * multimemory of {@code scripts/fuzz/profiles.tsv}: Wasm 2.0 + multimemory + extended-const, with the initial content
 * {@code scripts/fuzz/initial/multimemory.wat} that puts three more memories, instructions on them and extended
 * constant expressions into every module) against binaryen's reference interpreter: both tiers, and the optimizing
 * tier with explicit bounds checks.
 */
class MultiMemoryCorpusTest extends CorpusDifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("multimemory-corpus");

    @Test
    void corpusHasOverAHundredModulesWithSeveralMemories() {
        assertTrue(CORPUS.size() >= 100, "multimemory corpus size " + CORPUS.size());
        for (FuzzCorpus.Entry entry : CORPUS) {
            int memories = dev.isthmus.binary.ModuleDecoder.decode(entry.wasm()).memoryCount();
            assertTrue(memories >= 4, entry.name() + " has " + memories + " memories");
        }
    }

    @Override
    List<FuzzCorpus.Entry> corpus() {
        return CORPUS;
    }
}
