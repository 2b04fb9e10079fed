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

    /**
     * Each truncation with 16 sources and 16 results live at once (more than the allocatable xmm and general
     * registers), so that the optimizing tier converts from and to spill slots too: a_k = x + k*d, t_k = trunc(a_k)
     * (zero-extended to i64), result = sum of t_k + the number of k with a_k &lt; a_(k+1) (which keeps every a_k
     * live past the conversions); the first trapping a_k's trap for trapping conversions.
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void truncationsUnderRegisterPressure(Tier tier) {
        List<String[]> functions = new ArrayList<>();
        for (String to : new String[] {"i32", "i64"}) {
            for (String from : new String[] {"f32", "f64"}) {
                for (String sign : new String[] {"s", "u"}) {
                    for (String sat : new String[] {"", "_sat"}) {
                        String op = to + ".trunc" + sat + "_" + from + "_" + sign;
                        StringBuilder b = new StringBuilder("(param " + from + " " + from + ") (result i64) (local");
                        for (int k = 0; k < 16; k++) b.append(' ').append(from);
                        for (int k = 0; k < 16; k++) b.append(" i64");
                        b.append(")");
                        for (int k = 0; k < 16; k++) {
                            b.append(" (local.set ").append(2 + k).append(" (").append(from).append(".add (local.get 0) (")
                                    .append(from).append(".mul (").append(from).append(".const ").append(k)
                                    .append(") (local.get 1))))");
                        }
                        for (int k = 0; k < 16; k++) {
                            String t = "(" + op + " (local.get " + (2 + k) + "))";
                            if (to.equals("i32")) t = "(i64.extend_i32_u " + t + ")";
                            b.append(" (local.set ").append(18 + k).append(' ').append(t).append(')');
                        }
                        b.append(" (i64.const 0)");
                        for (int k = 0; k < 15; k++) {
                            b.append(" (i64.add (i64.extend_i32_u (").append(from).append(".lt (local.get ")
                                    .append(2 + k).append(") (local.get ").append(3 + k).append("))))");
                        }
                        for (int k = 0; k < 16; k++) b.append(" (i64.add (local.get ").append(18 + k).append("))");
                        functions.add(new String[] {op, b.toString()});
                    }
                }
            }
        }
        double[][] inputs = {{-3.5, 0.75}, {1e9, 2.5e8}, {Double.NaN, 1}, {4e18, 1e18}, {9.3e18, 1e17},
                {-1, 0.5}, {2e9, 1e8}, {0.5, 1}};
        try (Compiled c = new Compiled(tier, functions)) {
            for (String[] f : functions) {
                String op = f[0];
                boolean toI64 = op.startsWith("i64");
                boolean fromF64 = op.contains("_f64");
                boolean signed = op.endsWith("_s");
                boolean saturate = op.contains("_sat");
                for (double[] in : inputs) {
                    double[] a = new double[16];
                    for (int k = 0; k < 16; k++) {
                        a[k] = fromF64 ? in[0] + k * in[1] : (double) ((float) in[0] + (float) k * (float) in[1]);
                    }
                    Outcome expected = null;
                    long sum = 0;
                    for (int k = 0; k < 15; k++) if (a[k] < a[k + 1]) sum++;
                    for (int k = 0; k < 16 && expected == null; k++) {
                        Outcome o = expected(a[k], toI64, signed, saturate);
                        if (o.trap() != null) expected = o;
                        else sum += o.bits();
                    }
                    if (expected == null) expected = Outcome.value(sum);
                    long x = fromF64 ? Compiled.f64(in[0]) : Compiled.f32((float) in[0]);
                    long d = fromF64 ? Compiled.f64(in[1]) : Compiled.f32((float) in[1]);
                    Compiled.check(expected, c.run(op, x, d), tier + " " + op + "(" + in[0] + ", " + in[1] + ")");
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
