package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Java model of the 139 integer SIMD instructions (lane loops, as the spec defines them), for
 * {@link SimdIntegerOpsTest}. Operands and results are 16-byte little-endian arrays; an i32 operand (a shift count)
 * is in the low 4 bytes; an i32 result is in the low 4 bytes, the other 12 zero (the harness stores the whole
 * zero-extended register).
 */
final class SimdIntegerModel {
    private SimdIntegerModel() {}

    /** The integer family as the contract defines it (every i8x16..i64x2 op that is not a lane/memory/trunc_sat op, and the v128 bitwise ops). */
    static List<Opcode> family() {
        List<Opcode> ops = new ArrayList<>();
        for (Opcode op : Opcode.values()) {
            String t = op.text();
            boolean shaped = t.startsWith("i8x16.") || t.startsWith("i16x8.") || t.startsWith("i32x4.")
                    || t.startsWith("i64x2.");
            boolean excluded = t.contains("splat") || t.contains("lane") || t.contains("load") || t.contains("store")
                    || t.contains("trunc_sat") || t.contains("relaxed") || t.equals("i8x16.shuffle")
                    || t.equals("i8x16.swizzle");
            boolean bitwise = t.equals("v128.not") || t.equals("v128.and") || t.equals("v128.andnot")
                    || t.equals("v128.or") || t.equals("v128.xor") || t.equals("v128.bitselect")
                    || t.equals("v128.any_true");
            if ((shaped && !excluded) || bitwise) ops.add(op);
        }
        return ops;
    }

    // ---------------------------------------------------------------- lanes

    static long signed(byte[] v, int bytes, int i) {
        long x = 0;
        for (int k = bytes - 1; k >= 0; k--) x = x << 8 | (v[i * bytes + k] & 0xFF);
        int shift = 64 - 8 * bytes;
        return x << shift >> shift;
    }

    static long unsigned(byte[] v, int bytes, int i) {
        long x = signed(v, bytes, i);
        return bytes == 8 ? x : x & ((1L << (8 * bytes)) - 1);
    }

    static void set(byte[] v, int bytes, int i, long x) {
        for (int k = 0; k < bytes; k++) v[i * bytes + k] = (byte) (x >> (8 * k));
    }

    private static long min(int bytes) {
        return bytes == 8 ? Long.MIN_VALUE : -(1L << (8 * bytes - 1));
    }

    private static long max(int bytes) {
        return bytes == 8 ? Long.MAX_VALUE : (1L << (8 * bytes - 1)) - 1;
    }

    private static long umax(int bytes) {
        return (1L << (8 * bytes)) - 1;
    }

    private static long clamp(long x, long lo, long hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    private static int width(String shape) {
        return switch (shape) {
            case "i8x16" -> 1;
            case "i16x8" -> 2;
            case "i32x4" -> 4;
            case "i64x2" -> 8;
            default -> throw new IllegalArgumentException(shape);
        };
    }

    private static byte[] scalar(long x) {
        byte[] r = new byte[16];
        set(r, 4, 0, x);
        return r;
    }

    private static long bool(boolean b) {
        return b ? -1 : 0;
    }

    // ---------------------------------------------------------------- the model

    /** The result of {@code op} on {@code in}. */
    static byte[] eval(Opcode op, byte[][] in) {
        String text = op.text();
        int dot = text.indexOf('.');
        String shape = text.substring(0, dot), name = text.substring(dot + 1);
        if (shape.equals("v128")) return bitwise(name, in);
        int w = width(shape), n = 16 / w;
        byte[] a = in[0], b = in.length > 1 ? in[1] : null;
        byte[] r = new byte[16];
        if (name.startsWith("narrow_")) {
            int from = 2 * w;
            boolean s = name.endsWith("_s");
            for (int i = 0; i < n; i++) {
                long x = i < n / 2 ? signed(a, from, i) : signed(b, from, i - n / 2);
                set(r, w, i, s ? clamp(x, min(w), max(w)) : clamp(x, 0, umax(w)));
            }
            return r;
        }
        if (name.startsWith("extend_")) {
            int from = w / 2, off = name.contains("high") ? n : 0;
            boolean s = name.endsWith("_s");
            for (int i = 0; i < n; i++) set(r, w, i, s ? signed(a, from, i + off) : unsigned(a, from, i + off));
            return r;
        }
        if (name.startsWith("extmul_")) {
            int from = w / 2, off = name.contains("high") ? n : 0;
            boolean s = name.endsWith("_s");
            for (int i = 0; i < n; i++) {
                long x = s ? signed(a, from, i + off) : unsigned(a, from, i + off);
                long y = s ? signed(b, from, i + off) : unsigned(b, from, i + off);
                set(r, w, i, x * y);
            }
            return r;
        }
        if (name.startsWith("extadd_pairwise_")) {
            int from = w / 2;
            boolean s = name.endsWith("_s");
            for (int i = 0; i < n; i++) {
                long x = s ? signed(a, from, 2 * i) : unsigned(a, from, 2 * i);
                long y = s ? signed(a, from, 2 * i + 1) : unsigned(a, from, 2 * i + 1);
                set(r, w, i, x + y);
            }
            return r;
        }
        switch (name) {
            case "all_true" -> {
                boolean all = true;
                for (int i = 0; i < n; i++) all &= signed(a, w, i) != 0;
                return scalar(all ? 1 : 0);
            }
            case "bitmask" -> {
                long m = 0;
                for (int i = 0; i < n; i++) if (signed(a, w, i) < 0) m |= 1L << i;
                return scalar(m);
            }
            case "shl", "shr_s", "shr_u" -> {
                int count = (int) (signed(b, 4, 0) & (8L * w - 1));
                for (int i = 0; i < n; i++) {
                    long x = switch (name) {
                        case "shl" -> signed(a, w, i) << count;
                        case "shr_s" -> signed(a, w, i) >> count;
                        default -> w == 8 ? unsigned(a, w, i) >>> count : unsigned(a, w, i) >> count;
                    };
                    set(r, w, i, x);
                }
                return r;
            }
            case "dot_i16x8_s" -> {
                for (int i = 0; i < n; i++) {
                    set(r, w, i, signed(a, 2, 2 * i) * signed(b, 2, 2 * i) + signed(a, 2, 2 * i + 1) * signed(b, 2, 2 * i + 1));
                }
                return r;
            }
            default -> {
            }
        }
        for (int i = 0; i < n; i++) {
            long x = signed(a, w, i), ux = unsigned(a, w, i);
            long y = b == null ? 0 : signed(b, w, i), uy = b == null ? 0 : unsigned(b, w, i);
            long v = switch (name) {
                case "abs" -> Math.abs(x);
                case "neg" -> -x;
                case "popcnt" -> Long.bitCount(ux);
                case "add" -> x + y;
                case "sub" -> x - y;
                case "mul" -> x * y;
                case "add_sat_s" -> clamp(x + y, min(w), max(w));
                case "sub_sat_s" -> clamp(x - y, min(w), max(w));
                case "add_sat_u" -> clamp(ux + uy, 0, umax(w));
                case "sub_sat_u" -> clamp(ux - uy, 0, umax(w));
                case "min_s" -> Math.min(x, y);
                case "max_s" -> Math.max(x, y);
                case "min_u" -> Long.compareUnsigned(ux, uy) <= 0 ? ux : uy;
                case "max_u" -> Long.compareUnsigned(ux, uy) >= 0 ? ux : uy;
                case "avgr_u" -> (ux + uy + 1) >>> 1;
                case "q15mulr_sat_s" -> clamp((x * y + 0x4000) >> 15, min(w), max(w));
                case "eq" -> bool(x == y);
                case "ne" -> bool(x != y);
                case "lt_s" -> bool(x < y);
                case "gt_s" -> bool(x > y);
                case "le_s" -> bool(x <= y);
                case "ge_s" -> bool(x >= y);
                case "lt_u" -> bool(Long.compareUnsigned(ux, uy) < 0);
                case "gt_u" -> bool(Long.compareUnsigned(ux, uy) > 0);
                case "le_u" -> bool(Long.compareUnsigned(ux, uy) <= 0);
                case "ge_u" -> bool(Long.compareUnsigned(ux, uy) >= 0);
                default -> throw new IllegalArgumentException("no model for " + text);
            };
            set(r, w, i, v);
        }
        return r;
    }

    private static byte[] bitwise(String name, byte[][] in) {
        byte[] r = new byte[16];
        if (name.equals("any_true")) {
            boolean any = false;
            for (byte x : in[0]) any |= x != 0;
            return scalar(any ? 1 : 0);
        }
        for (int i = 0; i < 16; i++) {
            int x = in[0][i], y = in.length > 1 ? in[1][i] : 0, c = in.length > 2 ? in[2][i] : 0;
            r[i] = (byte) switch (name) {
                case "not" -> ~x;
                case "and" -> x & y;
                case "andnot" -> x & ~y;
                case "or" -> x | y;
                case "xor" -> x ^ y;
                case "bitselect" -> (x & c) | (y & ~c);
                default -> throw new IllegalArgumentException("no model for v128." + name);
            };
        }
        return r;
    }

    /** {@code v} as hex lanes of {@code bytes} bytes, for failure messages. */
    static String hex(byte[] v, int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16 / bytes; i++) {
            if (i > 0) sb.append(' ');
            sb.append(String.format(Locale.ROOT, "%0" + 2 * bytes + "x", unsigned(v, bytes, i)));
        }
        return sb.toString();
    }
}
