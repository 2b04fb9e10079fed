package dev.isthmus.fuzz;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Oracle 2 in CI, bounded: the full {@link VariantMatrix} (34 configurations) on an evenly spaced sample of
 * {@value #SAMPLE} modules of each differential corpus (half as many of the multimemory and reftypes corpora);
 * {@code scripts/fuzz/campaign.sh} runs it on every module it generates. Every configuration must agree with the
 * reference output and with the first configuration.
 */
class VariantMatrixTest {
    static final int SAMPLE = 50;
    private static final VariantMatrix MATRIX = new VariantMatrix(VariantMatrix.fullMatrix(), 20_000);

    @AfterAll
    static void close() {
        MATRIX.close();
    }

    @Test
    void theMatrixCoversBothTiersAvxBoundsChecksEveryStackCheckAndLazyCompilation() {
        assertEquals(2 * 2 * 2 * dev.isthmus.options.StackCheck.values().length + 2, MATRIX.configs().size());
        assertEquals(MATRIX.configs().size(), MATRIX.configs().stream().map(VariantMatrix.Config::options)
                .distinct().count());
    }

    /**
     * What lets {@link VariantMatrix#check} skip the configurations without AVX for a module without SIMD: both
     * tiers compile such a module to the same bytes with AVX on and off (checked on a sample of every non-SIMD
     * corpus; the SIMD corpus's modules are recognised as using SIMD).
     */
    @Test
    void withoutSimdAvxChangesNoCode() {
        int checked = 0;
        for (String corpus : List.of("corpus", "wasm2-corpus", "multimemory-corpus", "reftypes-corpus",
                "memory64-corpus")) {
            for (FuzzCorpus.Entry entry : sampleOf(FuzzCorpus.entries(corpus), 10)) {
                var module = dev.isthmus.tooling.Tooling.decode(entry.wasm());
                if (dev.isthmus.compiler.SimdRequirement.firstUse(module) != null) continue;
                for (var tier : dev.isthmus.options.Tier.values()) {
                    var options = dev.isthmus.options.CompilerOptions.DEFAULT.withTier(tier);
                    var avx = dev.isthmus.tooling.Tooling.compile(module, options.withAvx(true));
                    var sse = dev.isthmus.tooling.Tooling.compile(module, options.withAvx(false));
                    int imports = module.importedFunctionCount();
                    for (int f = imports; f < imports + module.codes().size(); f++) {
                        if (!java.util.Arrays.equals(avx.functionCode(f), sse.functionCode(f))) {
                            fail(entry.name() + " function " + f + " (" + tier + "): AVX changes the code of a module"
                                    + " without SIMD");
                        }
                    }
                }
                checked++;
            }
        }
        assertEquals(true, checked >= 40, "modules checked: " + checked);
        assertEquals(true, VariantMatrix.usesSimd(FuzzCorpus.entries("simd-corpus").getFirst().wasm()));
    }

    @TestFactory
    Stream<DynamicTest> corpusSample() {
        return sample("corpus");
    }

    @TestFactory
    Stream<DynamicTest> simdCorpusSample() {
        return sample("simd-corpus");
    }

    @TestFactory
    Stream<DynamicTest> wasm2CorpusSample() {
        return sample("wasm2-corpus");
    }

    @TestFactory
    Stream<DynamicTest> multimemoryCorpusSample() {
        return sample("multimemory-corpus", SAMPLE / 2);
    }

    @TestFactory
    Stream<DynamicTest> reftypesCorpusSample() {
        return sample("reftypes-corpus", SAMPLE / 2);
    }

    static List<FuzzCorpus.Entry> sampleOf(List<FuzzCorpus.Entry> all, int count) {
        if (all.size() <= count) return all;
        List<FuzzCorpus.Entry> sample = new ArrayList<>();
        for (int i = 0; i < count; i++) sample.add(all.get((int) ((long) i * all.size() / count)));
        return sample;
    }

    private static Stream<DynamicTest> sample(String corpus) {
        return sample(corpus, SAMPLE);
    }

    private static Stream<DynamicTest> sample(String corpus, int count) {
        return sampleOf(FuzzCorpus.entries(corpus), count).stream()
                .map(entry -> DynamicTest.dynamicTest(entry.name(), () -> check(entry)));
    }

    static void check(FuzzCorpus.Entry entry) {
        VariantMatrix.Outcome outcome = MATRIX.check(entry);
        if (!outcome.ok()) {
            fail(entry.name() + ".wasm: " + outcome.problems().size() + " problems:\n  "
                    + String.join("\n  ", outcome.problems()));
        }
    }
}
