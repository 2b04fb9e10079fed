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

    /**
     * Each conversion with 16 sources and 16 results live at once (more than the allocatable registers), so that the
     * optimizing tier converts from and to spill slots too: b_k = y + k*d, f_k = convert(b_k), result = the sum of
     * the bits of f_k (zero-extended) + the sum of b_k (which keeps every b_k live past the conversions).
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void conversionsUnderRegisterPressure(Tier tier) {
        List<String[]> functions = new ArrayList<>();
        for (String to : new String[] {"f32", "f64"}) {
            for (String from : new String[] {"i32", "i64"}) {
                for (String sign : new String[] {"s", "u"}) {
                    String op = to + ".convert_" + from + "_" + sign;
                    StringBuilder b = new StringBuilder("(param " + from + " " + from + ") (result i64) (local");
                    for (int k = 0; k < 16; k++) b.append(' ').append(from);
                    for (int k = 0; k < 16; k++) b.append(' ').append(to);
                    b.append(")");
                    for (int k = 0; k < 16; k++) {
                        b.append(" (local.set ").append(2 + k).append(" (").append(from).append(".add (local.get 0) (")
                                .append(from).append(".mul (").append(from).append(".const ").append(k)
                                .append(") (local.get 1))))");
                    }
                    for (int k = 0; k < 16; k++) {
                        b.append(" (local.set ").append(18 + k).append(" (").append(op).append(" (local.get ")
                                .append(2 + k).append(")))");
                    }
                    b.append(" (i64.const 0)");
                    for (int k = 0; k < 16; k++) {
                        String v = "(local.get " + (2 + k) + ")";
                        b.append(" (i64.add ").append(from.equals("i32") ? "(i64.extend_i32_u " + v + ")" : v).append(')');
                    }
                    for (int k = 0; k < 16; k++) {
                        String v = "(" + (to.equals("f32") ? "i32" : "i64") + ".reinterpret_" + to + " (local.get "
                                + (18 + k) + "))";
                        b.append(" (i64.add ").append(to.equals("f32") ? "(i64.extend_i32_u " + v + ")" : v).append(')');
                    }
                    functions.add(new String[] {op, b.toString()});
                }
            }
        }
        long[][] inputs = {{1, 3}, {-5, 0x1234_5678_9ABCL}, {0x7FFF_FFFF_FFFF_FF00L, 0x40}, {Long.MIN_VALUE, -0x801L},
                {0x7FFF_FFF0L, 0x10_0001L}, {-1, -0x1_0000_0001L}};
        try (Compiled c = new Compiled(tier, functions)) {
            for (String[] f : functions) {
                String op = f[0];
                boolean toF64 = op.startsWith("f64");
                boolean fromI64 = op.contains("_i64");
                boolean signed = op.endsWith("_s");
                for (long[] in : inputs) {
                    long y = fromI64 ? in[0] : in[0] & 0xFFFF_FFFFL;
                    long d = fromI64 ? in[1] : in[1] & 0xFFFF_FFFFL;
                    long sum = 0;
                    for (int k = 0; k < 16; k++) {
                        long v = fromI64 ? y + k * d : (y + k * d) & 0xFFFF_FFFFL;
                        sum += v;
                        BigDecimal exact = fromI64 ? (signed ? BigDecimal.valueOf(v) : new BigDecimal(Long.toUnsignedString(v)))
                                : BigDecimal.valueOf(signed ? (long) (int) v : v);
                        sum += toF64 ? Compiled.f64(exact.doubleValue()) : Compiled.f32(exact.floatValue());
                    }
                    Compiled.check(Outcome.value(sum), c.run(op, y, d),
                            tier + " " + op + "(0x" + Long.toHexString(y) + ", 0x" + Long.toHexString(d) + ")");
                }
            }
        }
    }
}
