package dev.isthmus.robustness;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.validate.Validator;
import dev.isthmus.wast.TestsuiteLocation;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Throws tens of thousands of damaged modules at the decoder and validator: each must be accepted or rejected
 * with DecodeException / ValidationException, never anything else, never an OutOfMemoryError, never a
 * hang. Inputs derive from the spec suite's modules with a fixed seed; a failure names the case number, seed module
 * and mutation so it can be reproduced ({@code new SplittableRandom(BASE_SEED + case)} drives each case).
 */
class FrontEndFuzzTest {
    static final long BASE_SEED = 0x15_7_4005L;
    static final int BINARY_CASES = 30_000;
    static final int RANDOM_CASES = 6_000;
    static final long TIMEOUT_MILLIS = 5_000;
    static final byte[] PREAMBLE = {0, 'a', 's', 'm', 1, 0, 0, 0};

    private static SeedCorpus corpus;
    private static List<byte[]> binarySeeds;

    @BeforeAll
    static void loadSeeds() {
        corpus = SeedCorpus.load(suiteDirectory());
        binarySeeds = new ArrayList<>(corpus.binaries());
        Assertions.assertFalse(binarySeeds.isEmpty(), "no seed modules");
    }

    /** The 2.0 suite (see {@link TestsuiteLocation}: skipped when missing, failed when missing on CI). */
    static Path suiteDirectory() {
        return TestsuiteLocation.directory("wasm-2.0");
    }

    static Void decodeAndValidate(byte[] bytes) {
        Validator.validate(ModuleDecoder.decode(bytes));
        return null;
    }

    @Test
    void mutatedSuiteModules() {
        FuzzStats stats = new FuzzStats("mutated binary modules (" + binarySeeds.size() + " seeds)");
        try (GuardedRun guard = new GuardedRun(TIMEOUT_MILLIS)) {
            for (int i = 0; i < BINARY_CASES; i++) {
                SplittableRandom rnd = new SplittableRandom(BASE_SEED + i);
                int seed = rnd.nextInt(binarySeeds.size());
                byte[] input = binarySeeds.get(seed);
                StringBuilder what = new StringBuilder("binary case " + i + " (seed module #" + seed + ":");
                int rounds = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
                for (int r = 0; r < rounds; r++) {
                    int choice = rnd.nextInt(BinaryMutator.NAMES.length);
                    input = BinaryMutator.mutate(input, choice, rnd);
                    what.append(' ').append(BinaryMutator.NAMES[choice]).append(';');
                }
                byte[] mutant = input;
                stats.record(guard.run(() -> decodeAndValidate(mutant)), what.append(')').toString(), mutant);
            }
        }
        System.out.println(stats);
        Assertions.assertEquals(0, stats.bugCount(), stats::bugs);
    }

    @Test
    void randomBytes() {
        FuzzStats stats = new FuzzStats("random bytes");
        try (GuardedRun guard = new GuardedRun(TIMEOUT_MILLIS)) {
            for (int i = 0; i < RANDOM_CASES; i++) {
                SplittableRandom rnd = new SplittableRandom(~BASE_SEED + i);
                byte[] input = i % 2 == 0 ? randomBytes(rnd, rnd.nextInt(200)) : randomSections(rnd);
                stats.record(guard.run(() -> decodeAndValidate(input)), "random case " + i, input);
            }
        }
        System.out.println(stats);
        Assertions.assertEquals(0, stats.bugCount(), stats::bugs);
    }

    private static byte[] randomBytes(SplittableRandom rnd, int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        return b;
    }

    /** The preamble, then 1..6 sections with a random id (0..13), an honest size and random content. */
    private static byte[] randomSections(SplittableRandom rnd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(PREAMBLE);
        int sections = 1 + rnd.nextInt(6);
        for (int s = 0; s < sections; s++) {
            byte[] content = randomBytes(rnd, rnd.nextInt(48));
            if (content.length > 0 && rnd.nextBoolean()) content[0] = (byte) rnd.nextInt(4); // small vector count
            out.write(rnd.nextInt(14));
            out.writeBytes(BinaryMutator.unsigned(content.length));
            out.writeBytes(content);
        }
        return out.toByteArray();
    }
}
