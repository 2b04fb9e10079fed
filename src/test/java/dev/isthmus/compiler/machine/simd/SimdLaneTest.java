package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lane family ({@link SimdLaneOps}) against a Java model: constants, shuffles, swizzle, splats, extract and
 * replace of every lane, on edge and random inputs, with and without AVX and with every aliasing of the harness.
 */
class SimdLaneTest {
    private static final Random RANDOM = new Random(0x51AD);
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyLaneInstructionIsLowered() {
        for (Opcode op : List.of(Opcode.V128_CONST, Opcode.I8X16_SHUFFLE, Opcode.I8X16_SWIZZLE, Opcode.I8X16_SPLAT,
                Opcode.I16X8_SPLAT, Opcode.I32X4_SPLAT, Opcode.I64X2_SPLAT, Opcode.F32X4_SPLAT, Opcode.F64X2_SPLAT,
                Opcode.I8X16_EXTRACT_LANE_S, Opcode.I8X16_EXTRACT_LANE_U, Opcode.I8X16_REPLACE_LANE,
                Opcode.I16X8_EXTRACT_LANE_S, Opcode.I16X8_EXTRACT_LANE_U, Opcode.I16X8_REPLACE_LANE,
                Opcode.I32X4_EXTRACT_LANE, Opcode.I32X4_REPLACE_LANE, Opcode.I64X2_EXTRACT_LANE,
                Opcode.I64X2_REPLACE_LANE, Opcode.F32X4_EXTRACT_LANE, Opcode.F32X4_REPLACE_LANE,
                Opcode.F64X2_EXTRACT_LANE, Opcode.F64X2_REPLACE_LANE)) {
            assertTrue(SimdLowering.isLowered(op), op.text());
        }
    }

    /** Edge vectors (zeros, ones, sign bits, lane extremes) and random ones. */
    static List<byte[]> vectors() {
        List<byte[]> vs = new ArrayList<>();
        vs.add(new byte[16]);
        byte[] ones = new byte[16];
        Arrays.fill(ones, (byte) -1);
        vs.add(ones);
        byte[] ramp = new byte[16];
        for (int i = 0; i < 16; i++) ramp[i] = (byte) (0x80 + 0x11 * i);
        vs.add(ramp);
        byte[] signs = new byte[16];
        for (int i = 0; i < 16; i++) signs[i] = (byte) (i % 2 == 0 ? 0x7F : 0x80);
        vs.add(signs);
        for (int i = 0; i < 4; i++) vs.add(random());
        return vs;
    }

    static byte[] random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Runs {@code op} for AVX on/off and every aliasing and compares the first {@code bytes} result bytes. */
    static void check(Opcode op, int lane, byte[] imm, byte[] expected, int bytes, byte[]... inputs) throws Throwable {
        for (boolean avx : new boolean[] {true, false}) {
            if (avx && !SimdHarness.cpu(true).avx()) continue;
            for (SimdHarness.Aliasing al : SimdHarness.Aliasing.values()) {
                byte[][] copies = new byte[inputs.length][];
                for (int i = 0; i < inputs.length; i++) copies[i] = inputs[i].clone();
                byte[] out = SimdHarness.run(op, avx, al, lane, imm, copies);
                assertEquals(HEX.formatHex(expected, 0, bytes), HEX.formatHex(out, 0, bytes),
                        () -> op.text() + " lane " + lane + " avx " + avx + " " + al + " inputs "
                                + Arrays.stream(inputs).map(HEX::formatHex).toList()
                                + (imm == null ? "" : " imm " + HEX.formatHex(imm)));
            }
        }
    }

    @Test
    void constants() throws Throwable {
        List<byte[]> cs = vectors();
        byte[] low = new byte[16];
        low[0] = 1;
        cs.add(low);
        byte[] high = new byte[16];
        high[15] = (byte) 0x80;
        cs.add(high);
        for (byte[] c : cs) check(Opcode.V128_CONST, 0, c, c, 16);
    }

    @Test
    void shuffles() throws Throwable {
        List<byte[]> masks = new ArrayList<>();
        byte[] identity = new byte[16];
        byte[] second = new byte[16];
        byte[] reverse = new byte[16];
        byte[] interleave = new byte[16];
        byte[] broadcast = new byte[16];
        for (int i = 0; i < 16; i++) {
            identity[i] = (byte) i;
            second[i] = (byte) (16 + i);
            reverse[i] = (byte) (31 - i);
            interleave[i] = (byte) (i / 2 + (i % 2) * 16);
            broadcast[i] = 17;
        }
        masks.addAll(List.of(identity, second, reverse, interleave, broadcast));
        // pshufd patterns (dwords of one operand) and palignr patterns (a byte rotation of b:a)
        for (int[] dw : new int[][] {{3, 2, 1, 0}, {0, 0, 0, 0}, {1, 3, 0, 2}, {6, 7, 4, 5}, {5, 5, 6, 6}}) {
            byte[] m = new byte[16];
            for (int i = 0; i < 16; i++) m[i] = (byte) (dw[i / 4] * 4 + i % 4);
            masks.add(m);
        }
        for (int from : new int[] {1, 4, 8, 15}) {
            byte[] m = new byte[16];
            for (int i = 0; i < 16; i++) m[i] = (byte) (from + i);
            masks.add(m);
        }
        // punpckl/h patterns: every element size, low and high halves, either operand first
        for (int w = 1; w <= 8; w *= 2) {
            for (int high = 0; high < 2; high++) {
                for (int swap = 0; swap < 2; swap++) {
                    byte[] m = new byte[16];
                    for (int i = 0; i < 16; i++) {
                        int k = i / w;
                        m[i] = (byte) ((((k % 2) ^ swap) * 16) + (high * (8 / w) + k / 2) * w + i % w);
                    }
                    masks.add(m);
                }
            }
        }
        byte[] almostDwords = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16};
        byte[] misalignedDwords = {1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        masks.add(almostDwords);
        masks.add(misalignedDwords);
        for (int k = 0; k < 6; k++) {
            byte[] m = new byte[16];
            for (int i = 0; i < 16; i++) m[i] = (byte) RANDOM.nextInt(32);
            masks.add(m);
        }
        List<byte[]> vs = vectors();
        for (byte[] m : masks) {
            for (int k = 0; k + 1 < vs.size(); k += 3) {
                byte[] a = vs.get(k);
                byte[] b = vs.get(k + 1);
                byte[] e = new byte[16];
                for (int i = 0; i < 16; i++) e[i] = m[i] < 16 ? a[m[i]] : b[m[i] - 16];
                check(Opcode.I8X16_SHUFFLE, 0, m, e, 16, a, b);
            }
        }
    }

    @Test
    void swizzle() throws Throwable {
        byte[] edges = {0, 1, 15, 16, 17, 0x1F, 0x70, 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0xF0, (byte) 0xFF, 8, 3, 31,
            14};
        List<byte[]> indices = new ArrayList<>(List.of(edges));
        for (int k = 0; k < 4; k++) {
            byte[] s = new byte[16];
            for (int i = 0; i < 16; i++) s[i] = (byte) (RANDOM.nextBoolean() ? RANDOM.nextInt(16) : RANDOM.nextInt(256));
            indices.add(s);
        }
        for (byte[] s : indices) {
            for (byte[] a : vectors()) {
                byte[] e = new byte[16];
                for (int i = 0; i < 16; i++) e[i] = (s[i] & 0xFF) < 16 ? a[s[i]] : 0;
                check(Opcode.I8X16_SWIZZLE, 0, null, e, 16, a, s);
            }
        }
    }

    @Test
    void splats() throws Throwable {
        for (byte[] v : vectors()) {
            // scalar operands: garbage above the value's width must not matter
            for (int width : new int[] {1, 2, 4, 8}) {
                Opcode op = switch (width) {
                    case 1 -> Opcode.I8X16_SPLAT;
                    case 2 -> Opcode.I16X8_SPLAT;
                    case 4 -> Opcode.I32X4_SPLAT;
                    default -> Opcode.I64X2_SPLAT;
                };
                check(op, 0, null, splat(v, width), 16, v);
            }
            check(Opcode.F32X4_SPLAT, 0, null, splat(v, 4), 16, v);
            check(Opcode.F64X2_SPLAT, 0, null, splat(v, 8), 16, v);
        }
    }

    private static byte[] splat(byte[] v, int width) {
        byte[] e = new byte[16];
        for (int i = 0; i < 16; i++) e[i] = v[i % width];
        return e;
    }

    @Test
    void extracts() throws Throwable {
        for (byte[] v : vectors()) {
            for (int lane = 0; lane < 16; lane++) {
                long s = v[lane];
                check(Opcode.I8X16_EXTRACT_LANE_S, lane, null, le(s & 0xFFFF_FFFFL, 8), 8, v);
                check(Opcode.I8X16_EXTRACT_LANE_U, lane, null, le(s & 0xFF, 8), 8, v);
            }
            for (int lane = 0; lane < 8; lane++) {
                long s = (short) get(v, lane * 2, 2);
                check(Opcode.I16X8_EXTRACT_LANE_S, lane, null, le(s & 0xFFFF_FFFFL, 8), 8, v);
                check(Opcode.I16X8_EXTRACT_LANE_U, lane, null, le(s & 0xFFFF, 8), 8, v);
            }
            for (int lane = 0; lane < 4; lane++) {
                long x = get(v, lane * 4, 4);
                check(Opcode.I32X4_EXTRACT_LANE, lane, null, le(x, 8), 8, v);
                check(Opcode.F32X4_EXTRACT_LANE, lane, null, le(x, 4), 4, v);
            }
            for (int lane = 0; lane < 2; lane++) {
                long x = get(v, lane * 8, 8);
                check(Opcode.I64X2_EXTRACT_LANE, lane, null, le(x, 8), 8, v);
                check(Opcode.F64X2_EXTRACT_LANE, lane, null, le(x, 8), 8, v);
            }
        }
    }

    @Test
    void replaces() throws Throwable {
        List<byte[]> vs = vectors();
        for (int k = 0; k < vs.size(); k++) {
            byte[] v = vs.get(k);
            byte[] x = vs.get((k + 3) % vs.size());
            replace(Opcode.I8X16_REPLACE_LANE, 1, v, x);
            replace(Opcode.I16X8_REPLACE_LANE, 2, v, x);
            replace(Opcode.I32X4_REPLACE_LANE, 4, v, x);
            replace(Opcode.I64X2_REPLACE_LANE, 8, v, x);
            replace(Opcode.F32X4_REPLACE_LANE, 4, v, x);
            replace(Opcode.F64X2_REPLACE_LANE, 8, v, x);
        }
    }

    private static void replace(Opcode op, int width, byte[] v, byte[] x) throws Throwable {
        for (int lane = 0; lane < 16 / width; lane++) {
            byte[] e = v.clone();
            System.arraycopy(x, 0, e, lane * width, width);
            check(op, lane, null, e, 16, v, x);
        }
    }

    static long get(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFF);
        return v;
    }

    static byte[] le(long v, int bytes) {
        byte[] b = new byte[16];
        for (int i = 0; i < bytes; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }
}
