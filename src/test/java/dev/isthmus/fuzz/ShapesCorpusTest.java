package dev.isthmus.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The shapes corpus ({@code src/test/resources/fuzz/shapes-corpus}, {@link ShapeGenerator} through
 * {@code scripts/fuzz/make-shapes-corpus.sh}: memory.grow to the maximum, accesses and bulk operations at the end of
 * memory, large br_tables, recursion, return_call loops, call_indirect at the end of a table, typed function
 * references, division and truncation edges) against binaryen's reference interpreter, in both tiers and both bounds-check modes; and
 * recursion deeper than the reference follows, with the generator's own expectation, under every configuration of
 * the {@link VariantMatrix}.
 */
class ShapesCorpusTest extends CorpusDifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("shapes-corpus");
    private static final VariantMatrix MATRIX = new VariantMatrix(VariantMatrix.fullMatrix(), 20_000);

    @AfterAll
    static void close() {
        MATRIX.close();
    }

    @Override
    List<FuzzCorpus.Entry> corpus() {
        return CORPUS;
    }

    @Test
    void corpusHasEveryShape() {
        assertTrue(CORPUS.size() >= 150, "shapes corpus size " + CORPUS.size());
        String all = String.join("\n", CORPUS.stream().map(FuzzCorpus.Entry::expected).toList());
        // the reference trapped at the end of memory, in a bulk operation, in call_indirect and in arithmetic
        for (String trap : List.of("[trap final > memory", "[trap offset > memory", "[trap highest > memory",
                "[trap out of bounds segment access in memory.copy]", "[trap out of bounds memory access in memory.fill]",
                "[trap out of bounds table access]", "[trap null target in call_indirect]",
                "[trap callIndirect: non-subtype]", "[trap null target in call_ref]", "truncSFloat overflow]",
                "div_s overflow]", " by 0]")) {
            assertTrue(all.contains(trap), "no module of the corpus traps with " + trap);
        }
    }

    @TestFactory
    Stream<DynamicTest> deepRecursionUnderEveryConfiguration() {
        return LongStream.range(0, 12).mapToObj(ShapeGenerator::deepRecursion)
                .map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
                    VariantMatrix.Outcome outcome = MATRIX.check(entry);
                    if (!outcome.ok()) fail(entry.name() + ": " + String.join("\n  ", outcome.problems()));
                }));
    }
}
