package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.options.Tier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.compiler.machine.sequences.Compiled.Outcome;

/** Every integer to float conversion, with values that have the top bit set and rounding corners, both tiers. */
class IntToFloatTest {
    private static final long[] EDGES = {0, 1, -1, 2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x8000_0001L,
            0xFFFF_FFFFL, 0x1_0000_0000L, 16777217, 16777219, (1L << 53) + 1, (1L << 53) + 3, Long.MAX_VALUE,
            Long.MIN_VALUE, Long.MIN_VALUE + 1, 0x8000_0000_0000_0400L, 0x8000_0000_0000_0401L,
            0x8000_0000_0000_0C00L, 0x8000_0080_0000_0000L, 0x8000_0080_0000_0001L, 0xFFFF_FFFF_FFFF_F800L,
            0xFFFF_FFFF_FFFF_FBFFL, 0xFFFF_FFFF_FFFF_FC00L, 0xFFFF_FF7F_FFFF_FFFFL, 0xFFFF_FF80_0000_0000L};

    @ParameterizedTest
    @EnumSource(Tier.class)
    void conversions(Tier tier) {
        List<String[]> functions = new ArrayList<>();
        for (String to : new String[] {"f32", "f64"}) {
            for (String from : new String[] {"i32", "i64"}) {
                for (String sign : new String[] {"s", "u"}) {
                    String op = to + ".convert_" + from + "_" + sign;
                    functions.add(new String[] {op, "(param " + from + ") (result " + to + ") (" + op + " (local.get 0))"});
                }
            }
        }
        try (Compiled c = new Compiled(tier, functions)) {
            for (String[] f : functions) {
                String op = f[0];
                boolean toF64 = op.startsWith("f64");
                boolean fromI64 = op.contains("_i64");
                boolean signed = op.endsWith("_s");
                for (long edge : EDGES) {
                    long v = fromI64 ? edge : edge & 0xFFFF_FFFFL;
                    BigDecimal exact = fromI64 ? (signed ? BigDecimal.valueOf(v) : new BigDecimal(Long.toUnsignedString(v)))
                            : BigDecimal.valueOf(signed ? (long) (int) v : v);
                    long bits = toF64 ? Compiled.f64(exact.doubleValue()) : Compiled.f32(exact.floatValue());
                    Compiled.check(Outcome.value(bits), c.run(op, v), tier + " " + op + "(0x" + Long.toHexString(v) + ")");
                }
            }
        }
    }
}
