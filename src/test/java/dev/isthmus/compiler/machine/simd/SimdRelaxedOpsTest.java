package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.simd.SimdFloatModel.Kind;
import dev.isthmus.compiler.machine.simd.SimdFloatModel.Lane;
import dev.isthmus.compiler.machine.simd.SimdFloatOpsTest.Model;
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
import java.util.stream.Stream;

import static dev.isthmus.binary.Opcode.*;
import static dev.isthmus.compiler.machine.simd.SimdFloatModel.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 20 relaxed SIMD lowerings: each against a model of the result this engine chose (it must be deterministic),
 * and each chosen result checked to be inside the set the spec allows (the {@code allowed} predicates below, written
 * from the spec's relaxed operators), on edge and random inputs, AVX on/off, every aliasing.
 */
class SimdRelaxedOpsTest {
    static final Set<Opcode> RELAXED = EnumSet.range(I8X16_RELAXED_SWIZZLE, I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S);

    @Test
    void theFamilyIsComplete() {
        assertEquals(20, RELAXED.size());
        for (Opcode op : RELAXED) {
            assertTrue(SimdLowering.isLowered(op), op.text());
            assertEquals(0xFD, op.prefix());
        }
        assertEquals(RELAXED, models().keySet());
    }

    @TestFactory
    Stream<DynamicTest> everyInstructionMatchesItsChoice() {
        return models().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().text(), () -> {
            List<byte[][]> inputs = inputsFor(e.getKey());
            SimdFloatOpsTest.check(e.getKey(), inputs, e.getValue());
        }));
    }

    /** The chosen results lie in the spec's allowed sets (checked on the models, which the native code matches). */
    @TestFactory
    Stream<DynamicTest> everyChoiceIsAllowed() {
        return models().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().text(), () -> {
            for (byte[][] in : inputsFor(e.getKey())) {
                assertTrue(allowed(e.getKey(), in, e.getValue().expect(in)),
                        () -> e.getKey().text() + " chose a result outside the allowed set for "
                                + SimdFloatOpsTest.hex(in[0]));
            }
        }));
    }

    // ---------------------------------------------------------------- inputs

    static List<byte[][]> inputsFor(Opcode op) {
        Random r = new Random(op.ordinal() * 104729L);
        List<byte[][]> out = new ArrayList<>();
        int arity = SimdShape.of(op, false).params().size();
        boolean f64 = op.text().startsWith("f64x2") || op == I32X4_RELAXED_TRUNC_F64X2_S_ZERO
                || op == I32X4_RELAXED_TRUNC_F64X2_U_ZERO;
        boolean floats = op.text().startsWith("f") || op.text().contains("trunc");
        if (floats && f64) {
            for (long[][] p : pairs64(F64_EDGES, r, 150)) {
                byte[][] in = new byte[arity][];
                for (int k = 0; k < arity; k++) in[k] = longs(k < 2 ? p[k] : new long[] {rand64(r), rand64(r)});
                out.add(in);
            }
        } else if (floats) {
            for (int[][] p : pairs32(F32_EDGES, r, 150)) {
                byte[][] in = new byte[arity][];
                for (int k = 0; k < arity; k++) {
                    in[k] = ints(k < 2 ? p[k] : new int[] {rand32(r, true), rand32(r, true), rand32(r, true),
                            rand32(r, true)});
                }
                out.add(in);
            }
        } else {
            byte[] edges = {0, 1, -1, 127, -128, 15, 16, 17, 31, 63, 64, -127, 0x70, (byte) 0x8F, 2, -2};
            for (int i = 0; i < 400; i++) {
                byte[][] in = new byte[arity][16];
                for (byte[] v : in) {
                    for (int k = 0; k < 16; k++) v[k] = i % 2 == 0 ? edges[r.nextInt(edges.length)] : (byte) r.nextInt();
                }
                if (op.text().contains("laneselect") && i % 3 == 0) {
                    // masks of all ones / all zeros per lane
                    int width = laneBytes(op);
                    for (int k = 0; k < 16; k += width) {
                        byte fill = r.nextBoolean() ? (byte) -1 : 0;
                        for (int j = 0; j < width; j++) in[2][k + j] = fill;
                    }
                }
                out.add(in);
            }
            // q15mulr's corner and the i7 operand's full range
            byte[] min16 = new byte[16];
            for (int k = 0; k < 16; k += 2) min16[k + 1] = (byte) 0x80;
            byte[][] corner = new byte[arity][];
            for (int k = 0; k < arity; k++) corner[k] = min16.clone();
            out.add(corner);
        }
        return out;
    }

    static int laneBytes(Opcode op) {
        return switch (op) {
            case I8X16_RELAXED_LANESELECT -> 1;
            case I16X8_RELAXED_LANESELECT -> 2;
            case I32X4_RELAXED_LANESELECT -> 4;
            default -> 8;
        };
    }

    // ---------------------------------------------------------------- the chosen results

    static Map<Opcode, Model> models() {
        Map<Opcode, Model> m = new LinkedHashMap<>();
        m.put(I8X16_RELAXED_SWIZZLE, in -> bytes(k -> {
            int j = in[1][k] & 0xFF;
            return (j & 0x80) != 0 ? 0 : in[0][j & 15];
        }));
        m.put(I32X4_RELAXED_TRUNC_F32X4_S, in -> ints32(k -> cvtt(Float.intBitsToFloat(i32(in[0], k)))));
        m.put(I32X4_RELAXED_TRUNC_F32X4_U, in -> ints32(k ->
                SimdFloatOpsTest.truncSatU(Float.intBitsToFloat(i32(in[0], k)))));
        m.put(I32X4_RELAXED_TRUNC_F64X2_S_ZERO, in -> ints32(k ->
                k < 2 ? cvtt(Double.longBitsToDouble(i64(in[0], k))) : 0));
        m.put(I32X4_RELAXED_TRUNC_F64X2_U_ZERO, in -> ints32(k ->
                k < 2 ? SimdFloatOpsTest.truncSatU(Double.longBitsToDouble(i64(in[0], k))) : 0));
        m.put(F32X4_RELAXED_MADD, in -> madd32(in, false));
        m.put(F32X4_RELAXED_NMADD, in -> madd32(in, true));
        m.put(F64X2_RELAXED_MADD, in -> madd64(in, false));
        m.put(F64X2_RELAXED_NMADD, in -> madd64(in, true));
        for (Opcode op : new Opcode[] {I8X16_RELAXED_LANESELECT, I16X8_RELAXED_LANESELECT, I32X4_RELAXED_LANESELECT,
                I64X2_RELAXED_LANESELECT}) {
            int width = laneBytes(op);
            m.put(op, in -> bytes(k -> {
                int top = k / width * width + width - 1;
                return in[2][top] < 0 ? in[0][k] : in[1][k];
            }));
        }
        // x86 minps(a, b) = a < b ? a : b, maxps(a, b) = a > b ? a : b (bit-exact, NaNs untouched)
        m.put(F32X4_RELAXED_MIN, in -> ints32(k -> {
            int a = i32(in[0], k), b = i32(in[1], k);
            return Float.intBitsToFloat(a) < Float.intBitsToFloat(b) ? a : b;
        }));
        m.put(F32X4_RELAXED_MAX, in -> ints32(k -> {
            int a = i32(in[0], k), b = i32(in[1], k);
            return Float.intBitsToFloat(a) > Float.intBitsToFloat(b) ? a : b;
        }));
        m.put(F64X2_RELAXED_MIN, in -> longs64(k -> {
            long a = i64(in[0], k), b = i64(in[1], k);
            return Double.longBitsToDouble(a) < Double.longBitsToDouble(b) ? a : b;
        }));
        m.put(F64X2_RELAXED_MAX, in -> longs64(k -> {
            long a = i64(in[0], k), b = i64(in[1], k);
            return Double.longBitsToDouble(a) > Double.longBitsToDouble(b) ? a : b;
        }));
        m.put(I16X8_RELAXED_Q15MULR_S, in -> shorts(k -> (short) ((s16(in[0], k) * s16(in[1], k) + 0x4000) >> 15)));
        m.put(I16X8_RELAXED_DOT_I8X16_I7X16_S, in -> shorts(k -> sat16(dotPair(in, 2 * k))));
        m.put(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, in -> ints32(k ->
                sat16(dotPair(in, 4 * k)) + sat16(dotPair(in, 4 * k + 2)) + i32(in[2], k)));
        return m;
    }

    /** signed(a[i]) * unsigned(b[i]) + signed(a[i+1]) * unsigned(b[i+1]) (pmaddubsw with b first). */
    static int dotPair(byte[][] in, int i) {
        return in[0][i] * (in[1][i] & 0xFF) + in[0][i + 1] * (in[1][i + 1] & 0xFF);
    }

    static int sat16(int v) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }

    static int s16(byte[] v, int lane) {
        return le(v).getShort(2 * lane);
    }

    /** cvttps2dq / cvttpd2dq: INT32_MIN for NaN and out of range. */
    static int cvtt(double x) {
        if (Double.isNaN(x) || x <= -2147483649.0 || x >= 2147483648.0) return Integer.MIN_VALUE;
        return (int) x;
    }

    static Lane[] madd32(byte[][] in, boolean negate) {
        Lane[] l = new Lane[4];
        for (int k = 0; k < 4; k++) {
            int a = i32(in[0], k), b = i32(in[1], k), c = i32(in[2], k);
            float fa = Float.intBitsToFloat(a);
            float product = (negate ? -fa : fa) * Float.intBitsToFloat(b);
            l[k] = nanAware32(product + Float.intBitsToFloat(c), a, b, c);
        }
        return l;
    }

    static Lane[] madd64(byte[][] in, boolean negate) {
        Lane[] l = new Lane[2];
        for (int k = 0; k < 2; k++) {
            long a = i64(in[0], k), b = i64(in[1], k), c = i64(in[2], k);
            double fa = Double.longBitsToDouble(a);
            double product = (negate ? -fa : fa) * Double.longBitsToDouble(b);
            l[k] = nanAware64(product + Double.longBitsToDouble(c), a, b, c);
        }
        return l;
    }

    interface LaneFn {
        int at(int k);
    }

    interface LongLaneFn {
        long at(int k);
    }

    static Lane[] bytes(LaneFn f) {
        byte[] v = new byte[16];
        for (int k = 0; k < 16; k++) v[k] = (byte) f.at(k);
        Lane[] l = new Lane[4];
        for (int k = 0; k < 4; k++) l[k] = Lane.exact32(i32(v, k));
        return l;
    }

    static Lane[] shorts(LaneFn f) {
        short[] s = new short[8];
        for (int k = 0; k < 8; k++) s[k] = (short) f.at(k);
        Lane[] l = new Lane[4];
        for (int k = 0; k < 4; k++) l[k] = Lane.exact32((s[2 * k] & 0xFFFF) | s[2 * k + 1] << 16);
        return l;
    }

    static Lane[] ints32(LaneFn f) {
        Lane[] l = new Lane[4];
        for (int k = 0; k < 4; k++) l[k] = Lane.exact32(f.at(k));
        return l;
    }

    static Lane[] longs64(LongLaneFn f) {
        return new Lane[] {Lane.exact64(f.at(0)), Lane.exact64(f.at(1))};
    }

    // ---------------------------------------------------------------- the spec's allowed sets

    /** Whether the chosen lanes {@code got} are in the set the spec's relaxed operator allows for {@code in}. */
    static boolean allowed(Opcode op, byte[][] in, Lane[] got) {
        byte[] out = new byte[16];
        boolean f64Lanes = got.length == 2;
        for (int k = 0; k < got.length; k++) {
            if (got[k].kind() != Kind.EXACT) continue; // a NaN class: checked by the float models
            if (f64Lanes) le(out).putLong(8 * k, got[k].bits());
            else le(out).putInt(4 * k, (int) got[k].bits());
        }
        switch (op) {
            case I8X16_RELAXED_SWIZZLE -> {
                for (int k = 0; k < 16; k++) {
                    int j = in[1][k] & 0xFF;
                    boolean ok = j < 16 ? out[k] == in[0][j] : j >= 128 ? out[k] == 0
                            : out[k] == 0 || out[k] == in[0][j % 16];
                    if (!ok) return false;
                }
                return true;
            }
            case I32X4_RELAXED_TRUNC_F32X4_S, I32X4_RELAXED_TRUNC_F32X4_U, I32X4_RELAXED_TRUNC_F64X2_S_ZERO,
                 I32X4_RELAXED_TRUNC_F64X2_U_ZERO -> {
                boolean f64 = op == I32X4_RELAXED_TRUNC_F64X2_S_ZERO || op == I32X4_RELAXED_TRUNC_F64X2_U_ZERO;
                boolean unsigned = op == I32X4_RELAXED_TRUNC_F32X4_U || op == I32X4_RELAXED_TRUNC_F64X2_U_ZERO;
                for (int k = 0; k < 4; k++) {
                    int r = i32(out, k);
                    if (f64 && k >= 2) {
                        if (r != 0) return false;
                        continue;
                    }
                    double z = f64 ? Double.longBitsToDouble(i64(in[0], k)) : Float.intBitsToFloat(i32(in[0], k));
                    double t = z < 0 ? Math.ceil(z) : Math.floor(z);
                    if (unsigned) {
                        boolean inRange = !Double.isNaN(z) && t >= 0 && t < 4294967296.0;
                        if (inRange ? r != (int) (long) t : r != SimdFloatOpsTest.truncSatU(z) && r != -1
                                && r != -2 && r != Integer.MIN_VALUE) return false;
                    } else {
                        boolean inRange = !Double.isNaN(z) && t >= -2147483648.0 && t < 2147483648.0;
                        if (inRange ? r != (int) t : r != (int) z && r != Integer.MIN_VALUE) return false;
                    }
                }
                return true;
            }
            case F32X4_RELAXED_MADD, F32X4_RELAXED_NMADD -> {
                for (int k = 0; k < 4; k++) {
                    if (got[k].kind() != Kind.EXACT) continue;
                    float a = Float.intBitsToFloat(i32(in[0], k)), b = Float.intBitsToFloat(i32(in[1], k));
                    float c = Float.intBitsToFloat(i32(in[2], k));
                    if (op == F32X4_RELAXED_NMADD) a = -a;
                    int r = i32(out, k);
                    if (r != bits(a * b + c) && r != bits(Math.fma(a, b, c))) return false;
                }
                return true;
            }
            case F64X2_RELAXED_MADD, F64X2_RELAXED_NMADD -> {
                for (int k = 0; k < 2; k++) {
                    if (got[k].kind() != Kind.EXACT) continue;
                    double a = Double.longBitsToDouble(i64(in[0], k)), b = Double.longBitsToDouble(i64(in[1], k));
                    double c = Double.longBitsToDouble(i64(in[2], k));
                    if (op == F64X2_RELAXED_NMADD) a = -a;
                    long r = i64(out, k);
                    if (r != bits(a * b + c) && r != bits(Math.fma(a, b, c))) return false;
                }
                return true;
            }
            case I8X16_RELAXED_LANESELECT, I16X8_RELAXED_LANESELECT, I32X4_RELAXED_LANESELECT,
                 I64X2_RELAXED_LANESELECT -> {
                int width = laneBytes(op);
                boolean bitwise = true, topBit = true;
                for (int k = 0; k < 16; k++) {
                    byte bs = (byte) (in[0][k] & in[2][k] | in[1][k] & ~in[2][k]);
                    byte tb = in[2][k / width * width + width - 1] < 0 ? in[0][k] : in[1][k];
                    bitwise &= out[k] == bs;
                    topBit &= out[k] == tb;
                }
                return bitwise || topBit;
            }
            case F32X4_RELAXED_MIN, F32X4_RELAXED_MAX -> {
                boolean min = op == F32X4_RELAXED_MIN;
                for (int k = 0; k < 4; k++) {
                    int a = i32(in[0], k), b = i32(in[1], k), r = i32(out, k);
                    float fa = Float.intBitsToFloat(a), fb = Float.intBitsToFloat(b);
                    boolean ok;
                    if (Float.isNaN(fa)) ok = Float.isNaN(Float.intBitsToFloat(r)) || r == b;
                    else if (Float.isNaN(fb)) ok = Float.isNaN(Float.intBitsToFloat(r)) || r == a;
                    else if (fa == 0 && fb == 0 && a != b) ok = r == a || r == b;
                    else ok = r == bits(min ? Math.min(fa, fb) : Math.max(fa, fb));
                    if (!ok) return false;
                }
                return true;
            }
            case F64X2_RELAXED_MIN, F64X2_RELAXED_MAX -> {
                boolean min = op == F64X2_RELAXED_MIN;
                for (int k = 0; k < 2; k++) {
                    long a = i64(in[0], k), b = i64(in[1], k), r = i64(out, k);
                    double fa = Double.longBitsToDouble(a), fb = Double.longBitsToDouble(b);
                    boolean ok;
                    if (Double.isNaN(fa)) ok = Double.isNaN(Double.longBitsToDouble(r)) || r == b;
                    else if (Double.isNaN(fb)) ok = Double.isNaN(Double.longBitsToDouble(r)) || r == a;
                    else if (fa == 0 && fb == 0 && a != b) ok = r == a || r == b;
                    else ok = r == bits(min ? Math.min(fa, fb) : Math.max(fa, fb));
                    if (!ok) return false;
                }
                return true;
            }
            case I16X8_RELAXED_Q15MULR_S -> {
                for (int k = 0; k < 8; k++) {
                    int a = s16(in[0], k), b = s16(in[1], k), r = s16(out, k);
                    int sat = sat16((a * b + 0x4000) >> 15);
                    boolean ok = a == Short.MIN_VALUE && b == Short.MIN_VALUE
                            ? r == Short.MAX_VALUE || r == Short.MIN_VALUE : r == sat;
                    if (!ok) return false;
                }
                return true;
            }
            case I16X8_RELAXED_DOT_I8X16_I7X16_S -> {
                for (int k = 0; k < 8; k++) {
                    int i = 2 * k, r = s16(out, k);
                    if (!dotAllowed(in, i, r, 16)) return false;
                }
                return true;
            }
            default -> { // i32x4.relaxed_dot_i8x16_i7x16_add_s
                for (int k = 0; k < 4; k++) {
                    int r = i32(out, k) - i32(in[2], k);
                    if (!dotAllowed(in, 4 * k, r, 32)) return false;
                }
                return true;
            }
        }
    }

    /**
     * A relaxed dot of {@code width / 8} byte pairs ... from byte {@code i}: each product signed * signed or signed *
     * unsigned (one choice for all); the i16 pair sums may saturate (the spec test accepts pmaddubsw's saturation).
     */
    static boolean dotAllowed(byte[][] in, int i, int r, int width) {
        int pairs = width == 16 ? 1 : 2;
        for (boolean unsignedB : new boolean[] {false, true}) {
            for (boolean saturate : new boolean[] {false, true}) {
                long sum = 0;
                for (int p = 0; p < pairs; p++) {
                    int j = i + 2 * p;
                    int b0 = unsignedB ? in[1][j] & 0xFF : in[1][j], b1 = unsignedB ? in[1][j + 1] & 0xFF : in[1][j + 1];
                    int s = in[0][j] * b0 + in[0][j + 1] * b1;
                    sum += saturate ? sat16(s) : width == 16 ? (short) s : s;
                }
                if ((width == 16 ? (short) sum : (int) sum) == r) return true;
            }
        }
        return false;
    }
}
