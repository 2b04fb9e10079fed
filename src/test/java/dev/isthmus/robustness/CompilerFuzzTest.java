package dev.isthmus.robustness;

import dev.isthmus.CompiledModule;
import dev.isthmus.Isthmus;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.UnsupportedFeatureException;
import dev.isthmus.binary.ModuleRejection;
import dev.isthmus.model.WasmModule;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The valid modules among mutants of the suite's text modules, compiled to machine code (not run): odd but valid
 * code shapes the suite itself does not have must compile, or be declined with UnsupportedFeatureException (SIMD),
 * never anything else. Only the accepted mutants reach the compiler (a few percent of the cases).
 */
class CompilerFuzzTest {
    static final int CASES = 40_000;

    @Test
    void validMutantsCompile() {
        List<byte[]> seeds = new ArrayList<>();
        for (String text : SeedCorpus.load(FrontEndFuzzTest.suiteDirectory()).texts()) {
            try {
                seeds.add(Wat.toBinary(text));
            } catch (RuntimeException e) {
                // quoted modules of assert_malformed do not convert
            }
        }
        Isthmus isthmus = Isthmus.create();
        FuzzStats stats = new FuzzStats("compiled valid mutants");
        int[] compiled = new int[2]; // [compiled, declined]
        try (GuardedRun guard = new GuardedRun(FrontEndFuzzTest.TIMEOUT_MILLIS)) {
            for (int i = 0; i < CASES; i++) {
                SplittableRandom rnd = new SplittableRandom(FrontEndFuzzTest.BASE_SEED * 11 + i);
                int seed = rnd.nextInt(seeds.size());
                int choice = rnd.nextInt(BinaryMutator.NAMES.length);
                byte[] mutant = BinaryMutator.mutate(seeds.get(seed), choice, rnd);
                WasmModule module;
                try {
                    module = ModuleDecoder.decode(mutant);
                    Validator.validate(module);
                } catch (ModuleRejection e) {
                    continue; // the front end's side is FrontEndFuzzTest's job
                }
                stats.record(guard.run(() -> {
                    try {
                        CompiledModule c = isthmus.compile(module);
                        compiled[0]++;
                        c.close();
                    } catch (UnsupportedFeatureException e) {
                        compiled[1]++;
                    }
                    return null;
                }), "compile case " + i + " (seed text #" + seed + ": " + BinaryMutator.NAMES[choice] + ")", mutant);
            }
        }
        System.out.println(stats + ", compiled " + compiled[0] + ", declined (SIMD) " + compiled[1]);
        Assertions.assertEquals(0, stats.bugCount(), stats::bugs);
    }
}
