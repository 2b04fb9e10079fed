package dev.isthmus.compiler.machine.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Lane helpers, edge-case values and NaN-aware lane comparison for the float SIMD tests. An expected lane is a
 * {@link Lane}: exact bits, or a NaN class ({@code nan:canonical} / {@code nan:arithmetic}, as the spec's
 * assert_return checks them).
 */
final class SimdFloatModel {
    private SimdFloatModel() {}

    enum Kind { EXACT, CANONICAL, ARITHMETIC }

    /** One expected lane: {@code bits} when exact, else a NaN class; {@code f64} tells the width. */
    record Lane(Kind kind, long bits, boolean f64) {
        static Lane exact32(int bits) {
            return new Lane(Kind.EXACT, bits & 0xFFFF_FFFFL, false);
        }

        static Lane exact64(long bits) {
            return new Lane(Kind.EXACT, bits, true);
        }

        boolean matches(long actual) {
            if (!f64) actual &= 0xFFFF_FFFFL;
            long quietNan = f64 ? 0x7FF8_0000_0000_0000L : 0x7FC0_0000L;
            long magnitude = f64 ? actual & Long.MAX_VALUE : actual & 0x7FFF_FFFFL;
            return switch (kind) {
                case EXACT -> actual == bits;
                case CANONICAL -> magnitude == quietNan;
                case ARITHMETIC -> (magnitude & quietNan) == quietNan;
            };
        }

        @Override
        public String toString() {
            return kind == Kind.EXACT ? (f64 ? String.format("%016x", bits) : String.format("%08x", bits))
                    : "nan:" + kind.name().toLowerCase();
        }
    }

    // ---------------------------------------------------------------- NaN classes of results

    static boolean isCanonical32(int bits) {
        return (bits & 0x7FFF_FFFF) == 0x7FC0_0000;
    }

    static boolean isCanonical64(long bits) {
        return (bits & Long.MAX_VALUE) == 0x7FF8_0000_0000_0000L;
    }

    /**
     * The expected lane of an f32 operation with float inputs {@code in} and exact result {@code r}: a NaN result is
     * canonical when every NaN input is canonical (or there is none), else arithmetic.
     */
    static Lane nanAware32(float r, int... in) {
        if (!Float.isNaN(r)) return Lane.exact32(Float.floatToRawIntBits(r));
        for (int b : in) if (Float.isNaN(Float.intBitsToFloat(b)) && !isCanonical32(b)) {
            return new Lane(Kind.ARITHMETIC, 0, false);
        }
        return new Lane(Kind.CANONICAL, 0, false);
    }

    static Lane nanAware64(double r, long... in) {
        if (!Double.isNaN(r)) return Lane.exact64(Double.doubleToRawLongBits(r));
        for (long b : in) if (Double.isNaN(Double.longBitsToDouble(b)) && !isCanonical64(b)) {
            return new Lane(Kind.ARITHMETIC, 0, true);
        }
        return new Lane(Kind.CANONICAL, 0, true);
    }

    // ---------------------------------------------------------------- lanes <-> bytes

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] ints(int... lanes) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : lanes) b.putInt(v);
        return b.array();
    }

    static byte[] longs(long... lanes) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : lanes) b.putLong(v);
        return b.array();
    }

    static int i32(byte[] v, int lane) {
        return le(v).getInt(4 * lane);
    }

    static long i64(byte[] v, int lane) {
        return le(v).getLong(8 * lane);
    }

    // ---------------------------------------------------------------- edge values

    static final int[] F32_EDGES = {
            0x0000_0000, 0x8000_0000, // ±0
            bits(1f), bits(-1f), bits(0.5f), bits(-0.5f), bits(1.5f), bits(-1.5f), bits(2.5f), bits(-2.5f),
            bits(0.49999997f), bits(-0.49999997f), bits(3.5f), bits(8388607.5f), bits(-8388607.5f), bits(8388609f),
            0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x807F_FFFF, // denormals
            0x0080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF, // smallest normal, ±max
            0x7F80_0000, 0xFF80_0000, // ±inf
            0x7FC0_0000, 0xFFC0_0000, 0x7FC1_2345, 0xFFE0_0001, 0x7F80_0001, 0xFF81_2345, 0x7FBF_FFFF, // NaNs
            bits(2147483647.5f), bits(2147483520f), bits(2147483648f), bits(-2147483648f), bits(-2147483904f),
            bits(4294967040f), bits(4294967296f), bits(4294967295f), bits(-1f), bits(-0.99999994f),
            bits(0.99999994f), bits(1e10f), bits(-1e10f), bits(16777217f), bits(33554436f), bits(123.456f),
            bits(-7.25f), bits(1e-40f)
    };

    static final long[] F64_EDGES = {
            0L, 0x8000_0000_0000_0000L,
            bits(1.0), bits(-1.0), bits(0.5), bits(-0.5), bits(1.5), bits(-1.5), bits(2.5), bits(-2.5),
            bits(0.49999999999999994), bits(-0.49999999999999994), bits(4503599627370495.5),
            bits(-4503599627370495.5), bits(4503599627370497.0),
            1L, 0x8000_0000_0000_0001L, 0x000F_FFFF_FFFF_FFFFL, 0x800F_FFFF_FFFF_FFFFL,
            0x0010_0000_0000_0000L, 0x7FEF_FFFF_FFFF_FFFFL, 0xFFEF_FFFF_FFFF_FFFFL,
            0x7FF0_0000_0000_0000L, 0xFFF0_0000_0000_0000L,
            0x7FF8_0000_0000_0000L, 0xFFF8_0000_0000_0000L, 0x7FF8_0000_0012_3456L, 0xFFFC_0000_0000_0001L,
            0x7FF0_0000_0000_0001L, 0xFFF0_1234_5678_9ABCL, 0x7FF7_FFFF_FFFF_FFFFL,
            bits(2147483647.0), bits(2147483647.5), bits(2147483648.0), bits(-2147483648.0), bits(-2147483648.5),
            bits(-2147483649.0), bits(4294967295.0), bits(4294967295.5), bits(4294967296.0), bits(-1.0),
            bits(-0.9999999999999999), bits(0.9999999999999999), bits(1e300), bits(-1e300), bits(1e-310),
            bits(3.4028235677973366e38), bits(3.4028234663852886e38), bits(1.401298464324817e-45),
            bits(7.006492321624085e-46), bits(123.456), bits(1e10)
    };

    static final int[] I32_EDGES = {
            0, 1, -1, 2, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 0xFFFF_FFFE, 0x0000_FFFF,
            0x0001_0000, 0x00FF_FFFF, 0x0100_0001, 0x7FFF_FF80, 0x7FFF_FFC0, 0xFFFF_FF80, 0x8000_0080, 0x8000_0040,
            0x1234_5678, 0x89AB_CDEF, 16777217, 0x0100_0003, 0xFFFF_0001
    };

    static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }

    static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    /** The edge values in groups of {@code lanes}, each value in every lane position, plus random values. */
    static List<int[]> groups32(int[] values, Random r, int randomCount, boolean floats) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new int[] {values[i], values[(i + 1) % values.length], values[(i + 2) % values.length],
                    values[(i + 3) % values.length]});
        }
        for (int i = 0; i < randomCount; i++) out.add(new int[] {rand32(r, floats), rand32(r, floats),
                rand32(r, floats), rand32(r, floats)});
        return out;
    }

    static List<long[]> groups64(long[] values, Random r, int randomCount) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new long[] {values[i], values[(i + 1) % values.length]});
        }
        for (int i = 0; i < randomCount; i++) out.add(new long[] {rand64(r), rand64(r)});
        return out;
    }

    /** All pairs (x, y) of edge values, four (f32) or two (f64) per vector, plus random pairs. */
    static List<int[][]> pairs32(int[] values, Random r, int randomCount) {
        List<int[][]> out = new ArrayList<>();
        List<int[]> all = new ArrayList<>();
        for (int x : values) for (int y : values) all.add(new int[] {x, y});
        for (int i = 0; i < randomCount * 4; i++) all.add(new int[] {rand32(r, true), rand32(r, true)});
        for (int i = 0; i + 4 <= all.size(); i += 4) {
            int[] a = new int[4], b = new int[4];
            for (int k = 0; k < 4; k++) {
                a[k] = all.get(i + k)[0];
                b[k] = all.get(i + k)[1];
            }
            out.add(new int[][] {a, b});
        }
        return out;
    }

    static List<long[][]> pairs64(long[] values, Random r, int randomCount) {
        List<long[][]> out = new ArrayList<>();
        List<long[]> all = new ArrayList<>();
        for (long x : values) for (long y : values) all.add(new long[] {x, y});
        for (int i = 0; i < randomCount * 2; i++) all.add(new long[] {rand64(r), rand64(r)});
        for (int i = 0; i + 2 <= all.size(); i += 2) {
            out.add(new long[][] {{all.get(i)[0], all.get(i + 1)[0]}, {all.get(i)[1], all.get(i + 1)[1]}});
        }
        return out;
    }

    /** Random bits, or (half of the time, when {@code floats}) a float near the integer ranges. */
    static int rand32(Random r, boolean floats) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt();
            case 1 -> floats ? bits((float) (r.nextDouble() * 1e10 - 5e9)) : r.nextInt(1 << 20) - (1 << 19);
            case 2 -> floats ? bits((float) (r.nextGaussian() * 100)) : r.nextInt();
            default -> floats ? bits((float) (r.nextLong() >> r.nextInt(40))) : r.nextInt(256) - 128;
        };
    }

    static long rand64(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> bits(r.nextDouble() * 1e10 - 5e9);
            case 2 -> bits(r.nextGaussian() * 100);
            default -> bits((double) (r.nextLong() >> r.nextInt(60)));
        };
    }
}
