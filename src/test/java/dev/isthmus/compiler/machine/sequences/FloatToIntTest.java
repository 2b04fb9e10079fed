package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.TrapCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.compiler.machine.sequences.Compiled.Outcome;

/** Every float to integer truncation, trapping and saturating, at the edges of each range, under both tiers. */
class FloatToIntTest {
    private static final double[] EDGES = {
            Double.NaN, -Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5, -0.5,
            0.99999, -0.99999, 1, -1, 1.5, -1.5, 2147483647.0, 2147483647.5, 2147483648.0, 2147483648.5,
            -2147483648.0, -2147483648.5, -2147483648.99, -2147483649.0, -2147483650.0, 4294967295.0,
            4294967295.5, 4294967296.0, 0x1p62, 0x1p63, Math.nextDown(0x1p63), -0x1p63, Math.nextDown(-0x1p63),
            Math.nextUp(-0x1p63), 0x1p64, Math.nextDown(0x1p64), 0x1p64 + 0x1p20, 1e30, -1e30, 123456.789,
            -123456.789, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};

    @ParameterizedTest
    @EnumSource(Tier.class)
    void truncations(Tier tier) {
        List<String[]> functions = new ArrayList<>();
        for (String to : new String[] {"i32", "i64"}) {
            for (String from : new String[] {"f32", "f64"}) {
                for (String sign : new String[] {"s", "u"}) {
                    for (String sat : new String[] {"", "_sat"}) {
                        String op = to + ".trunc" + sat + "_" + from + "_" + sign;
                        functions.add(new String[] {op, "(param " + from + ") (result " + to + ") (" + op
                                + " (local.get 0))"});
                    }
                }
            }
        }
        try (Compiled c = new Compiled(tier, functions)) {
            for (String[] f : functions) {
                String op = f[0];
                boolean toI64 = op.startsWith("i64");
                boolean fromF64 = op.contains("_f64");
                boolean signed = op.endsWith("_s");
                boolean saturate = op.contains("_sat");
                for (double edge : EDGES) {
                    double x = fromF64 ? edge : (double) (float) edge;
                    long arg = fromF64 ? Compiled.f64(x) : Compiled.f32((float) x);
                    Compiled.check(expected(x, toI64, signed, saturate), c.run(op, arg), tier + " " + op + "(" + x + ")");
                }
            }
        }
    }

    private static Outcome expected(double x, boolean toI64, boolean signed, boolean saturate) {
        BigDecimal min = signed ? BigDecimal.valueOf(toI64 ? Long.MIN_VALUE : Integer.MIN_VALUE) : BigDecimal.ZERO;
        BigDecimal max = toI64 ? (signed ? BigDecimal.valueOf(Long.MAX_VALUE) : new BigDecimal("18446744073709551615"))
                : BigDecimal.valueOf(signed ? Integer.MAX_VALUE : 0xFFFF_FFFFL);
        long mask = toI64 ? -1L : 0xFFFF_FFFFL;
        if (Double.isNaN(x)) return saturate ? Outcome.value(0) : Outcome.trapped(TrapCode.INVALID_CONVERSION_TO_INTEGER);
        BigDecimal t;
        if (Double.isInfinite(x)) t = x > 0 ? max.add(BigDecimal.ONE) : min.subtract(BigDecimal.ONE);
        else t = new BigDecimal(x).setScale(0, java.math.RoundingMode.DOWN);
        if (t.compareTo(min) < 0) return saturate ? Outcome.value(min.longValue() & mask) : Outcome.trapped(TrapCode.INTEGER_OVERFLOW);
        if (t.compareTo(max) > 0) return saturate ? Outcome.value(max.longValue() & mask) : Outcome.trapped(TrapCode.INTEGER_OVERFLOW);
        return Outcome.value(t.toBigInteger().longValue() & mask);
    }
}
