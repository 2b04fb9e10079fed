package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.options.Tier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** min/max with NaN operands and signed zeros, both tiers. */
class FloatMinMaxTest {
    private static final double[] EDGES = {Double.NaN, -Double.NaN, 0.0, -0.0, 1, -1, 1.5, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE};

    @ParameterizedTest
    @EnumSource(Tier.class)
    void minMax(Tier tier) {
        List<String[]> functions = new ArrayList<>();
        for (String t : new String[] {"f32", "f64"}) {
            for (String op : new String[] {"min", "max"}) {
                functions.add(new String[] {t + "." + op, "(param " + t + " " + t + ") (result " + t + ") ("
                        + t + "." + op + " (local.get 0) (local.get 1))"});
            }
        }
        try (Compiled c = new Compiled(tier, functions)) {
            for (String[] f : functions) {
                boolean f64 = f[0].startsWith("f64");
                boolean max = f[0].endsWith("max");
                for (double x : EDGES) {
                    for (double y : EDGES) {
                        String what = tier + " " + f[0] + "(" + x + ", " + y + ")";
                        long r = f64 ? c.run(f[0], Compiled.f64(x), Compiled.f64(y)).bits()
                                : c.run(f[0], Compiled.f32((float) x), Compiled.f32((float) y)).bits();
                        double got = f64 ? Double.longBitsToDouble(r) : Float.intBitsToFloat((int) r);
                        if (Double.isNaN(x) || Double.isNaN(y)) {
                            assertTrue(Double.isNaN(got), what);
                        } else {
                            double want = max ? Math.max(x, y) : Math.min(x, y);
                            long wantBits = f64 ? Compiled.f64(want) : Compiled.f32((float) want);
                            assertEquals(wantBits, r, what);
                        }
                    }
                }
            }
        }
    }
}
