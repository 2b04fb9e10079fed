package dev.isthmus.compiler.optimizing;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stores of constants ({@code mov size [mem], imm}, {@code isel.MDetail.StoreConstant}), differentially: random
 * sequences of {@code i32.store/store8/store16} and {@code i64.store/store8/store16/store32} of constants whose bits
 * need truncating (0x1FF as a byte, -1 as a word), of i64 constants inside and outside 32 bits signed (the latter
 * keep a register), at indexes and offsets up to the end of memory (the last store may trap after the others ran), in
 * 32-bit memories with guard pages and explicit checks and in a memory64: memory and trap must equal the baseline's.
 */
class StoreConstantTest {
    private static final long[] VALUES = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x1FF, 0x7FFF, 0x8000, 0xFFFF, 0x1_FFFF,
            Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL, 0x8000_0000L, -0x8000_0000L, 0x1_0000_0000L,
            0x1234_5678_9ABC_DEF0L, Long.MIN_VALUE, Long.MAX_VALUE, -2, 0x55};
    private static final String[] STORES = {"i32.store", "i32.store8", "i32.store16", "i64.store", "i64.store8",
            "i64.store16", "i64.store32"};

    private static String module(Random r, boolean memory64) {
        String at = memory64 ? "i64" : "i32";
        StringBuilder body = new StringBuilder();
        int n = 5 + r.nextInt(30);
        for (int k = 0; k < n; k++) {
            String store = STORES[r.nextInt(STORES.length)];
            long value = VALUES[r.nextInt(VALUES.length)];
            long offset = new long[] {0, 1, 3, 8, 100, 65_000}[r.nextInt(6)];
            // index: a parameter plus a constant, so the address is computed at run time
            body.append("(").append(store).append(" offset=").append(offset).append(" (").append(at)
                    .append(".add (local.get $p) (").append(at).append(".const ").append(r.nextInt(600)).append("))")
                    .append(" (").append(store.substring(0, 3)).append(".const ").append(store.startsWith("i32")
                            ? (int) value : value).append("))\n");
        }
        return "(module (memory (export \"m\") " + (memory64 ? "i64 " : "") + "1)\n"
                + "(func (export \"run\") (param $p " + at + ")\n" + body + "))";
    }

    private static String run(Isthmus engine, String text, long p, boolean memory64, byte[][] memory) {
        try (Instance instance = engine.compile(text.getBytes(StandardCharsets.UTF_8)).instantiate()) {
            String outcome;
            try {
                instance.call("run", memory64 ? (Object) p : (Object) (int) p);
                outcome = "returned";
            } catch (WasmTrap trap) {
                outcome = "trap " + trap.kind();
            }
            memory[0] = instance.memory("m").read(0, 65536);
            return outcome;
        }
    }

    @Test
    void storesOfConstantsAgreeWithTheBaseline() {
        Random r = new Random(0x5707EL);
        int traps = 0, runs = 0;
        for (BoundsChecks mode : BoundsChecks.values()) {
            for (boolean memory64 : new boolean[] {false, true}) {
                Isthmus optimizing = Isthmus.builder().compilerOptions(CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING)
                        .withBoundsChecks(mode)).build();
                Isthmus baseline = Isthmus.builder().compilerOptions(CompilerOptions.DEFAULT.withTier(Tier.BASELINE)
                        .withBoundsChecks(mode)).build();
                for (int i = 0; i < 60; i++) {
                    String text = module(r, memory64);
                    long p = new long[] {0, 7, 1000, 64_000, 65_530}[r.nextInt(5)];
                    byte[][] expected = new byte[1][], actual = new byte[1][];
                    String e = run(baseline, text, p, memory64, expected);
                    String a = run(optimizing, text, p, memory64, actual);
                    assertEquals(e, a, mode + " p=" + p + "\n" + text);
                    assertArrayEquals(expected[0], actual[0], mode + " p=" + p + " memory differs at "
                            + firstDifference(expected[0], actual[0]) + "\n" + text);
                    if (e.startsWith("trap")) traps++;
                    runs++;
                }
            }
        }
        assertTrue(traps > runs / 10 && traps < runs * 9 / 10, traps + " traps of " + runs);
    }

    private static int firstDifference(byte[] x, byte[] y) {
        return Arrays.mismatch(x, y);
    }
}
