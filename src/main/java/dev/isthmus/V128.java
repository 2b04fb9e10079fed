package dev.isthmus;

import java.util.Objects;

/**
 * A wasm {@code v128} value as Java sees it: 16 bytes, immutable. Lanes are numbered as in wasm, lane 0 in the
 * lowest bytes (little endian), so {@code V128.ofInts(1, 2, 3, 4).intLane(0) == 1} and a module's
 * {@code (i32x4.extract_lane 0 ...)} of that value is 1.
 *
 * <pre>
 *   bytes 0..7  = low()   (lanes 0.. of each shape)        i8x16  i16x8  i32x4  i64x2  f32x4  f64x2
 *   bytes 8..15 = high()                                   16     8      4      2      4      2 lanes
 * </pre>
 *
 * Floats keep their bits: {@code ofFloats} and {@code floatLane} use the raw bit patterns, so NaN payloads pass
 * through unchanged. Two values are {@link #equals equal} when their 16 bytes are. It is the Java type of a v128
 * everywhere it crosses the API: arguments and results of exports ({@link Instance#call}, exact-typed
 * {@link java.lang.invoke.MethodHandle}s with {@code V128} in their type), host functions, and {@link Global}s.
 */
public final class V128 {
    /** All 16 bytes zero. */
    public static final V128 ZERO = new V128(0, 0);

    private final long low;
    private final long high;

    private V128(long low, long high) {
        this.low = low;
        this.high = high;
    }

    /** The value whose bytes 0..7 are {@code low} and 8..15 are {@code high} (both little endian). */
    public static V128 of(long low, long high) {
        return low == 0 && high == 0 ? ZERO : new V128(low, high);
    }

    /** The value of these 16 bytes, byte 0 first. */
    public static V128 ofBytes(byte... bytes) {
        check(bytes.length, 16, "bytes");
        long low = 0;
        long high = 0;
        for (int i = 7; i >= 0; i--) {
            low = (low << 8) | (bytes[i] & 0xFF);
            high = (high << 8) | (bytes[i + 8] & 0xFF);
        }
        return of(low, high);
    }

    /** i16x8: eight lanes, lane 0 first. */
    public static V128 ofShorts(short... lanes) {
        check(lanes.length, 8, "shorts");
        long[] halves = new long[2];
        for (int i = 0; i < 8; i++) halves[i / 4] |= (lanes[i] & 0xFFFFL) << (16 * (i % 4));
        return of(halves[0], halves[1]);
    }

    /** i32x4: four lanes, lane 0 first. */
    public static V128 ofInts(int... lanes) {
        check(lanes.length, 4, "ints");
        return of((lanes[0] & 0xFFFF_FFFFL) | (long) lanes[1] << 32, (lanes[2] & 0xFFFF_FFFFL) | (long) lanes[3] << 32);
    }

    /** i64x2: two lanes, lane 0 first. */
    public static V128 ofLongs(long... lanes) {
        check(lanes.length, 2, "longs");
        return of(lanes[0], lanes[1]);
    }

    /** f32x4: four lanes, lane 0 first, bits preserved (NaN payloads too). */
    public static V128 ofFloats(float... lanes) {
        check(lanes.length, 4, "floats");
        int[] bits = new int[4];
        for (int i = 0; i < 4; i++) bits[i] = Float.floatToRawIntBits(lanes[i]);
        return ofInts(bits);
    }

    /** f64x2: two lanes, lane 0 first, bits preserved. */
    public static V128 ofDoubles(double... lanes) {
        check(lanes.length, 2, "doubles");
        return of(Double.doubleToRawLongBits(lanes[0]), Double.doubleToRawLongBits(lanes[1]));
    }

    private static void check(int length, int expected, String what) {
        if (length != expected) {
            throw new IllegalArgumentException("a v128 is " + expected + " " + what + ", got " + length);
        }
    }

    /** Bytes 0..7 as a little-endian long (i64x2 lane 0). */
    public long low() {
        return low;
    }

    /** Bytes 8..15 as a little-endian long (i64x2 lane 1). */
    public long high() {
        return high;
    }

    /** A copy of the 16 bytes, byte 0 first. */
    public byte[] bytes() {
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) out[i] = byteLane(i);
        return out;
    }

    /** i8x16 lane {@code lane} (0..15). */
    public byte byteLane(int lane) {
        Objects.checkIndex(lane, 16);
        return (byte) (half(lane, 8) >>> (8 * (lane % 8)));
    }

    /** i16x8 lane {@code lane} (0..7). */
    public short shortLane(int lane) {
        Objects.checkIndex(lane, 8);
        return (short) (half(lane, 4) >>> (16 * (lane % 4)));
    }

    /** i32x4 lane {@code lane} (0..3). */
    public int intLane(int lane) {
        Objects.checkIndex(lane, 4);
        return (int) (half(lane, 2) >>> (32 * (lane % 2)));
    }

    /** i64x2 lane {@code lane} (0..1). */
    public long longLane(int lane) {
        Objects.checkIndex(lane, 2);
        return lane == 0 ? low : high;
    }

    /** f32x4 lane {@code lane} (0..3), bits preserved. */
    public float floatLane(int lane) {
        return Float.intBitsToFloat(intLane(lane));
    }

    /** f64x2 lane {@code lane} (0..1), bits preserved. */
    public double doubleLane(int lane) {
        return Double.longBitsToDouble(longLane(lane));
    }

    /** The half holding {@code lane} of a shape with {@code perHalf} lanes in each half. */
    private long half(int lane, int perHalf) {
        return lane < perHalf ? low : high;
    }

    /** i16x8 lanes, lane 0 first. */
    public short[] toShorts() {
        short[] out = new short[8];
        for (int i = 0; i < 8; i++) out[i] = shortLane(i);
        return out;
    }

    /** i32x4 lanes, lane 0 first. */
    public int[] toInts() {
        return new int[] {intLane(0), intLane(1), intLane(2), intLane(3)};
    }

    /** i64x2 lanes, lane 0 first. */
    public long[] toLongs() {
        return new long[] {low, high};
    }

    /** f32x4 lanes, lane 0 first, bits preserved. */
    public float[] toFloats() {
        return new float[] {floatLane(0), floatLane(1), floatLane(2), floatLane(3)};
    }

    /** f64x2 lanes, lane 0 first, bits preserved. */
    public double[] toDoubles() {
        return new double[] {doubleLane(0), doubleLane(1)};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof V128 other && other.low == low && other.high == high;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(low) * 31 + Long.hashCode(high);
    }

    /** As i32x4 lanes in signed decimal, as the text format writes a constant: {@code i32x4 1 2 -3 4}. */
    @Override
    public String toString() {
        return "i32x4 " + intLane(0) + " " + intLane(1) + " " + intLane(2) + " " + intLane(3);
    }

    /** The 16 bytes in hexadecimal, byte 0 first: {@code 01 00 00 00 02 00 ...}. */
    public String toHexString() {
        StringBuilder s = new StringBuilder(47);
        for (int i = 0; i < 16; i++) {
            if (i > 0) s.append(' ');
            int b = byteLane(i);
            s.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return s.toString();
    }
}
