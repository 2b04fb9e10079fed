package dev.isthmus.robustness;

import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The same robustness property for the text format, and for binaries made from it:
 * <ul>
 *   <li>damaged WAT text through the text parser, then decoder and validator: only WatSyntaxException /
 *       DecodeException / ValidationException;</li>
 *   <li>the suite's text modules converted to binary by the WAT parser (valid modules with real code, which the
 *       {@code (module binary ...)} seeds mostly lack), then mutated like in {@link FrontEndFuzzTest}.</li>
 * </ul>
 */
class WatFuzzTest {
    static final int TEXT_CASES = 20_000;
    static final int CONVERTED_CASES = 40_000;

    private static List<String> texts;
    private static List<byte[]> converted;

    @BeforeAll
    static void loadSeeds() {
        SeedCorpus corpus = SeedCorpus.load(FrontEndFuzzTest.suiteDirectory());
        texts = corpus.texts();
        converted = new ArrayList<>();
        for (String text : texts) {
            try {
                converted.add(Wat.toBinary(text));
            } catch (RuntimeException e) {
                // quoted modules of assert_malformed do not convert; that is their point
            }
        }
        Assertions.assertFalse(texts.isEmpty(), "no text seed modules");
        Assertions.assertFalse(converted.isEmpty(), "no text module converted to binary");
    }

    @Test
    void mutatedText() {
        FuzzStats stats = new FuzzStats("mutated WAT text (" + texts.size() + " seeds)");
        try (GuardedRun guard = new GuardedRun(FrontEndFuzzTest.TIMEOUT_MILLIS)) {
            for (int i = 0; i < TEXT_CASES; i++) {
                SplittableRandom rnd = new SplittableRandom(FrontEndFuzzTest.BASE_SEED * 3 + i);
                int seed = rnd.nextInt(texts.size());
                String text = texts.get(seed);
                StringBuilder what = new StringBuilder("text case " + i + " (seed text #" + seed + ":");
                int rounds = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
                for (int r = 0; r < rounds; r++) {
                    int choice = rnd.nextInt(TextMutator.NAMES.length);
                    text = TextMutator.mutate(text, choice, rnd);
                    what.append(' ').append(TextMutator.NAMES[choice]).append(';');
                }
                String mutant = text;
                GuardedRun.Result result = guard.run(() -> FrontEndFuzzTest.decodeAndValidate(Wat.toBinary(mutant)));
                stats.record(result, what.append(")\n      text: ").append(abbreviate(mutant)).toString(), null);
            }
        }
        System.out.println(stats);
        Assertions.assertEquals(0, stats.bugCount(), stats::bugs);
    }

    @Test
    void mutatedConvertedModules() {
        FuzzStats stats = new FuzzStats("mutated binaries of text modules (" + converted.size() + " seeds)");
        try (GuardedRun guard = new GuardedRun(FrontEndFuzzTest.TIMEOUT_MILLIS)) {
            for (int i = 0; i < CONVERTED_CASES; i++) {
                SplittableRandom rnd = new SplittableRandom(FrontEndFuzzTest.BASE_SEED * 5 + i);
                int seed = rnd.nextInt(converted.size());
                int choice = rnd.nextInt(BinaryMutator.NAMES.length);
                byte[] mutant = BinaryMutator.mutate(converted.get(seed), choice, rnd);
                stats.record(guard.run(() -> FrontEndFuzzTest.decodeAndValidate(mutant)), "converted case " + i
                        + " (seed text #" + seed + ": " + BinaryMutator.NAMES[choice] + ")", mutant);
            }
        }
        System.out.println(stats);
        Assertions.assertEquals(0, stats.bugCount(), stats::bugs);
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
