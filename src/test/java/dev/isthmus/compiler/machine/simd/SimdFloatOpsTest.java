package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.simd.SimdFloatModel.Kind;
import dev.isthmus.compiler.machine.simd.SimdFloatModel.Lane;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;

import static dev.isthmus.binary.Opcode.*;
import static dev.isthmus.compiler.machine.simd.SimdFloatModel.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The 52 float SIMD lowerings against a Java model of the spec (NaN results compared as nan:canonical /
 * nan:arithmetic), on edge cases and random inputs, with and without AVX and with every aliasing.
 */
class SimdFloatOpsTest {
    /** The model of one instruction: expected lanes for the operand vectors. */
    interface Model {
        Lane[] expect(byte[][] in);
    }

    static final Set<Opcode> FLOAT_FAMILY = EnumSet.of(
            F32X4_EQ, F32X4_NE, F32X4_LT, F32X4_GT, F32X4_LE, F32X4_GE,
            F64X2_EQ, F64X2_NE, F64X2_LT, F64X2_GT, F64X2_LE, F64X2_GE,
            F32X4_DEMOTE_F64X2_ZERO, F64X2_PROMOTE_LOW_F32X4,
            F32X4_CEIL, F32X4_FLOOR, F32X4_TRUNC, F32X4_NEAREST, F64X2_CEIL, F64X2_FLOOR, F64X2_TRUNC, F64X2_NEAREST,
            F32X4_ABS, F32X4_NEG, F32X4_SQRT, F32X4_ADD, F32X4_SUB, F32X4_MUL, F32X4_DIV, F32X4_MIN, F32X4_MAX,
            F32X4_PMIN, F32X4_PMAX,
            F64X2_ABS, F64X2_NEG, F64X2_SQRT, F64X2_ADD, F64X2_SUB, F64X2_MUL, F64X2_DIV, F64X2_MIN, F64X2_MAX,
            F64X2_PMIN, F64X2_PMAX,
            I32X4_TRUNC_SAT_F32X4_S, I32X4_TRUNC_SAT_F32X4_U, F32X4_CONVERT_I32X4_S, F32X4_CONVERT_I32X4_U,
            I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_TRUNC_SAT_F64X2_U_ZERO, F64X2_CONVERT_LOW_I32X4_S,
            F64X2_CONVERT_LOW_I32X4_U);

    @Test
    void theFamilyIsComplete() {
        assertEquals(52, FLOAT_FAMILY.size());
        for (Opcode op : FLOAT_FAMILY) assertTrue(SimdLowering.isLowered(op), op.text());
        assertEquals(FLOAT_FAMILY, models().keySet());
    }

    @TestFactory
    Stream<DynamicTest> everyInstructionMatchesTheModel() {
        return models().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().text(),
                () -> check(e.getKey(), inputsFor(e.getKey()), e.getValue())));
    }

    // ---------------------------------------------------------------- running

    static boolean hostHasAvx() {
        return CpuFeatures.host().avx();
    }

    /**
     * Runs {@code op} on every input without AVX and (if the host has it) with AVX, with every aliasing (the
     * non-distinct aliasings on every other input, to keep the run short).
     */
    static void check(Opcode op, List<byte[][]> inputs, Model model) throws Throwable {
        for (boolean avx : hostHasAvx() ? new boolean[] {false, true} : new boolean[] {false}) {
            for (SimdHarness.Aliasing aliasing : SimdHarness.Aliasing.values()) {
                int step = aliasing == SimdHarness.Aliasing.DISTINCT ? 1 : 3;
                for (int i = aliasing.ordinal() % step; i < inputs.size(); i += step) {
                    byte[][] in = inputs.get(i);
                    byte[] out = SimdHarness.run(op, avx, aliasing, 0, null, in);
                    compare(op, avx, aliasing, in, model.expect(in), out);
                }
            }
        }
    }

    static void compare(Opcode op, boolean avx, SimdHarness.Aliasing aliasing, byte[][] in, Lane[] expected,
                        byte[] out) {
        for (int k = 0; k < expected.length; k++) {
            Lane e = expected[k];
            long actual = e.f64() ? i64(out, k) : i32(out, k) & 0xFFFF_FFFFL;
            if (!e.matches(actual)) {
                StringBuilder s = new StringBuilder(op.text() + (avx ? " (AVX, " : " (SSE, ") + aliasing + ") lane "
                        + k + ": expected " + e + ", got " + (e.f64() ? String.format("%016x", actual)
                        : String.format("%08x", actual)) + "; operands");
                for (byte[] v : in) s.append(' ').append(hex(v));
                fail(s.toString());
            }
        }
    }

    static String hex(byte[] v) {
        StringBuilder s = new StringBuilder();
        for (int i = 15; i >= 0; i--) s.append(String.format("%02x", v[i]));
        return s.toString();
    }

    // ---------------------------------------------------------------- inputs

    static List<byte[][]> inputsFor(Opcode op) {
        Random r = new Random(op.ordinal() * 7919L);
        List<byte[][]> out = new ArrayList<>();
        boolean binary = SimdShape.of(op, false).params().size() == 2;
        boolean f64In = op.text().startsWith("f64x2") && op != F64X2_PROMOTE_LOW_F32X4
                && op != F64X2_CONVERT_LOW_I32X4_S && op != F64X2_CONVERT_LOW_I32X4_U
                || op == F32X4_DEMOTE_F64X2_ZERO || op == I32X4_TRUNC_SAT_F64X2_S_ZERO
                || op == I32X4_TRUNC_SAT_F64X2_U_ZERO;
        boolean intIn = op == F32X4_CONVERT_I32X4_S || op == F32X4_CONVERT_I32X4_U
                || op == F64X2_CONVERT_LOW_I32X4_S || op == F64X2_CONVERT_LOW_I32X4_U;
        if (binary && f64In) {
            for (long[][] p : pairs64(F64_EDGES, r, 200)) out.add(new byte[][] {longs(p[0]), longs(p[1])});
        } else if (binary) {
            for (int[][] p : pairs32(F32_EDGES, r, 200)) out.add(new byte[][] {ints(p[0]), ints(p[1])});
        } else if (f64In) {
            for (long[] g : groups64(F64_EDGES, r, 300)) out.add(new byte[][] {longs(g)});
        } else if (intIn) {
            for (int[] g : groups32(I32_EDGES, r, 300, false)) out.add(new byte[][] {ints(g)});
        } else {
            for (int[] g : groups32(F32_EDGES, r, 300, true)) out.add(new byte[][] {ints(g)});
        }
        return out;
    }

    // ---------------------------------------------------------------- the models

    static Map<Opcode, Model> models() {
        Map<Opcode, Model> m = new LinkedHashMap<>();
        arith32(m, F32X4_ADD, (x, y) -> (float) x + (float) y);
        arith32(m, F32X4_SUB, (x, y) -> (float) x - (float) y);
        arith32(m, F32X4_MUL, (x, y) -> (float) x * (float) y);
        arith32(m, F32X4_DIV, (x, y) -> (float) x / (float) y);
        arith32(m, F32X4_MIN, (x, y) -> Math.min((float) x, (float) y));
        arith32(m, F32X4_MAX, (x, y) -> Math.max((float) x, (float) y));
        arith64(m, F64X2_ADD, Double::sum);
        arith64(m, F64X2_SUB, (x, y) -> x - y);
        arith64(m, F64X2_MUL, (x, y) -> x * y);
        arith64(m, F64X2_DIV, (x, y) -> x / y);
        arith64(m, F64X2_MIN, Math::min);
        arith64(m, F64X2_MAX, Math::max);
        m.put(F32X4_PMIN, lanes32((x, y) -> Float.intBitsToFloat(y) < Float.intBitsToFloat(x) ? y : x));
        m.put(F32X4_PMAX, lanes32((x, y) -> Float.intBitsToFloat(x) < Float.intBitsToFloat(y) ? y : x));
        m.put(F64X2_PMIN, lanes64((x, y) -> Double.longBitsToDouble(y) < Double.longBitsToDouble(x) ? y : x));
        m.put(F64X2_PMAX, lanes64((x, y) -> Double.longBitsToDouble(x) < Double.longBitsToDouble(y) ? y : x));
        compare32(m, F32X4_EQ, (x, y) -> x == y);
        compare32(m, F32X4_NE, (x, y) -> x != y);
        compare32(m, F32X4_LT, (x, y) -> x < y);
        compare32(m, F32X4_GT, (x, y) -> x > y);
        compare32(m, F32X4_LE, (x, y) -> x <= y);
        compare32(m, F32X4_GE, (x, y) -> x >= y);
        compare64(m, F64X2_EQ, (x, y) -> x == y);
        compare64(m, F64X2_NE, (x, y) -> x != y);
        compare64(m, F64X2_LT, (x, y) -> x < y);
        compare64(m, F64X2_GT, (x, y) -> x > y);
        compare64(m, F64X2_LE, (x, y) -> x <= y);
        compare64(m, F64X2_GE, (x, y) -> x >= y);
        m.put(F32X4_ABS, lanes32((x, y) -> x & 0x7FFF_FFFF));
        m.put(F32X4_NEG, lanes32((x, y) -> x ^ 0x8000_0000));
        m.put(F64X2_ABS, lanes64((x, y) -> x & Long.MAX_VALUE));
        m.put(F64X2_NEG, lanes64((x, y) -> x ^ Long.MIN_VALUE));
        unary32(m, F32X4_SQRT, Math::sqrt);
        unary32(m, F32X4_CEIL, Math::ceil);
        unary32(m, F32X4_FLOOR, Math::floor);
        unary32(m, F32X4_TRUNC, x -> x < 0 ? Math.ceil(x) : Math.floor(x));
        unary32(m, F32X4_NEAREST, Math::rint);
        unary64(m, F64X2_SQRT, Math::sqrt);
        unary64(m, F64X2_CEIL, Math::ceil);
        unary64(m, F64X2_FLOOR, Math::floor);
        unary64(m, F64X2_TRUNC, x -> x < 0 ? Math.ceil(x) : Math.floor(x));
        unary64(m, F64X2_NEAREST, Math::rint);
        m.put(F32X4_DEMOTE_F64X2_ZERO, in -> {
            Lane[] l = new Lane[4];
            for (int k = 0; k < 2; k++) {
                long b = i64(in[0], k);
                float r = (float) Double.longBitsToDouble(b);
                l[k] = Float.isNaN(r) ? new Lane(isCanonical64(b) ? Kind.CANONICAL : Kind.ARITHMETIC, 0, false)
                        : Lane.exact32(bits(r));
            }
            l[2] = l[3] = Lane.exact32(0);
            return l;
        });
        m.put(F64X2_PROMOTE_LOW_F32X4, in -> {
            Lane[] l = new Lane[2];
            for (int k = 0; k < 2; k++) {
                int b = i32(in[0], k);
                double r = Float.intBitsToFloat(b);
                l[k] = Double.isNaN(r) ? new Lane(isCanonical32(b) ? Kind.CANONICAL : Kind.ARITHMETIC, 0, true)
                        : Lane.exact64(bits(r));
            }
            return l;
        });
        m.put(F32X4_CONVERT_I32X4_S, lanes32((x, y) -> bits((float) x)));
        m.put(F32X4_CONVERT_I32X4_U, lanes32((x, y) -> bits((float) Integer.toUnsignedLong(x))));
        m.put(F64X2_CONVERT_LOW_I32X4_S, in -> new Lane[] {Lane.exact64(bits((double) i32(in[0], 0))),
                Lane.exact64(bits((double) i32(in[0], 1)))});
        m.put(F64X2_CONVERT_LOW_I32X4_U, in -> new Lane[] {
                Lane.exact64(bits((double) Integer.toUnsignedLong(i32(in[0], 0)))),
                Lane.exact64(bits((double) Integer.toUnsignedLong(i32(in[0], 1))))});
        m.put(I32X4_TRUNC_SAT_F32X4_S, lanes32((x, y) -> (int) Float.intBitsToFloat(x)));
        m.put(I32X4_TRUNC_SAT_F32X4_U, lanes32((x, y) -> truncSatU(Float.intBitsToFloat(x))));
        m.put(I32X4_TRUNC_SAT_F64X2_S_ZERO, in -> new Lane[] {
                Lane.exact32((int) Double.longBitsToDouble(i64(in[0], 0))),
                Lane.exact32((int) Double.longBitsToDouble(i64(in[0], 1))), Lane.exact32(0), Lane.exact32(0)});
        m.put(I32X4_TRUNC_SAT_F64X2_U_ZERO, in -> new Lane[] {
                Lane.exact32(truncSatU(Double.longBitsToDouble(i64(in[0], 0)))),
                Lane.exact32(truncSatU(Double.longBitsToDouble(i64(in[0], 1)))), Lane.exact32(0), Lane.exact32(0)});
        return m;
    }

    static int truncSatU(double x) {
        if (Double.isNaN(x) || x <= 0) return 0;
        if (x >= 4294967296.0) return -1;
        return (int) (long) x;
    }

    interface IntLanes {
        int apply(int x, int y);
    }

    interface LongLanes {
        long apply(long x, long y);
    }

    interface FloatPredicate {
        boolean test(float x, float y);
    }

    interface DoublePredicate {
        boolean test(double x, double y);
    }

    /** Exact 32-bit lanes from the lanes of the (one or two) operands. */
    static Model lanes32(IntLanes f) {
        return in -> {
            Lane[] l = new Lane[4];
            for (int k = 0; k < 4; k++) l[k] = Lane.exact32(f.apply(i32(in[0], k), in.length > 1 ? i32(in[1], k) : 0));
            return l;
        };
    }

    static Model lanes64(LongLanes f) {
        return in -> {
            Lane[] l = new Lane[2];
            for (int k = 0; k < 2; k++) l[k] = Lane.exact64(f.apply(i64(in[0], k), in.length > 1 ? i64(in[1], k) : 0));
            return l;
        };
    }

    static void arith32(Map<Opcode, Model> m, Opcode op, DoubleBinaryOperator f) {
        m.put(op, in -> {
            Lane[] l = new Lane[4];
            for (int k = 0; k < 4; k++) {
                int x = i32(in[0], k), y = i32(in[1], k);
                float r = (float) f.applyAsDouble(Float.intBitsToFloat(x), Float.intBitsToFloat(y));
                l[k] = nanAware32(r, x, y);
            }
            return l;
        });
    }

    static void arith64(Map<Opcode, Model> m, Opcode op, DoubleBinaryOperator f) {
        m.put(op, in -> {
            Lane[] l = new Lane[2];
            for (int k = 0; k < 2; k++) {
                long x = i64(in[0], k), y = i64(in[1], k);
                l[k] = nanAware64(f.applyAsDouble(Double.longBitsToDouble(x), Double.longBitsToDouble(y)), x, y);
            }
            return l;
        });
    }

    static void unary32(Map<Opcode, Model> m, Opcode op, DoubleUnaryOperator f) {
        m.put(op, in -> {
            Lane[] l = new Lane[4];
            for (int k = 0; k < 4; k++) {
                int x = i32(in[0], k);
                l[k] = nanAware32((float) f.applyAsDouble(Float.intBitsToFloat(x)), x);
            }
            return l;
        });
    }

    static void unary64(Map<Opcode, Model> m, Opcode op, DoubleUnaryOperator f) {
        m.put(op, in -> {
            Lane[] l = new Lane[2];
            for (int k = 0; k < 2; k++) {
                long x = i64(in[0], k);
                l[k] = nanAware64(f.applyAsDouble(Double.longBitsToDouble(x)), x);
            }
            return l;
        });
    }

    static void compare32(Map<Opcode, Model> m, Opcode op, FloatPredicate p) {
        m.put(op, lanes32((x, y) -> p.test(Float.intBitsToFloat(x), Float.intBitsToFloat(y)) ? -1 : 0));
    }

    static void compare64(Map<Opcode, Model> m, Opcode op, DoublePredicate p) {
        m.put(op, lanes64((x, y) -> p.test(Double.longBitsToDouble(x), Double.longBitsToDouble(y)) ? -1L : 0L));
    }
}
