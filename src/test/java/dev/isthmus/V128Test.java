package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The {@link V128} value type: lanes little endian, lane 0 in the lowest bytes, bits of floats preserved. */
class V128Test {
    @Test
    void lanesOfEveryShapeShareTheBytes() {
        V128 v = V128.ofInts(1, 2, -3, 0x7FFF_FFFF);
        assertEquals(1, v.intLane(0));
        assertEquals(-3, v.intLane(2));
        assertEquals(0x7FFF_FFFF, v.intLane(3));
        assertEquals(0x0000_0002_0000_0001L, v.low());
        assertEquals(0x7FFF_FFFF_FFFF_FFFDL, v.high());
        assertEquals(1, v.byteLane(0));
        assertEquals(2, v.byteLane(4));
        assertEquals((byte) 0xFD, v.byteLane(8));
        assertEquals((byte) 0x7F, v.byteLane(15));
        assertEquals(1, v.shortLane(0));
        assertEquals(0, v.shortLane(1));
        assertEquals(-3, v.shortLane(4));
        assertEquals(0x7FFF, v.shortLane(7));
        assertArrayEquals(new int[] {1, 2, -3, 0x7FFF_FFFF}, v.toInts());
        assertEquals(v, V128.ofBytes(v.bytes()));
        assertEquals(v, V128.ofShorts(v.toShorts()));
        assertEquals(v, V128.ofLongs(v.toLongs()));
        assertEquals(v, V128.of(v.low(), v.high()));
        assertEquals(v.hashCode(), V128.ofBytes(v.bytes()).hashCode());
        assertNotEquals(v, V128.ofInts(1, 2, -3, 0));
    }

    @Test
    void bytesAndShortsInLaneOrder() {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 16; i++) bytes[i] = (byte) (i * 17 - 100);
        V128 v = V128.ofBytes(bytes);
        assertArrayEquals(bytes, v.bytes());
        for (int i = 0; i < 16; i++) assertEquals(bytes[i], v.byteLane(i));
        short[] shorts = {-1, 0, 1, Short.MIN_VALUE, Short.MAX_VALUE, 0x1234, -2, 7};
        assertArrayEquals(shorts, V128.ofShorts(shorts).toShorts());
        assertEquals((short) ((bytes[1] & 0xFF) << 8 | (bytes[0] & 0xFF)), v.shortLane(0));
        assertEquals((short) ((bytes[15] & 0xFF) << 8 | (bytes[14] & 0xFF)), v.shortLane(7));
    }

    @Test
    void floatBitsArePreserved() {
        float signallingNan = Float.intBitsToFloat(0xFF80_0001);
        V128 f = V128.ofFloats(1.5f, -0.0f, signallingNan, Float.NEGATIVE_INFINITY);
        assertEquals(0x3FC0_0000, f.intLane(0));
        assertEquals(0x8000_0000, f.intLane(1));
        assertEquals(0xFF80_0001, f.intLane(2));
        assertEquals(0xFF80_0001, Float.floatToRawIntBits(f.floatLane(2)));
        assertEquals(0xFF80_0001, Float.floatToRawIntBits(f.toFloats()[2]));
        double nan = Double.longBitsToDouble(0x7FF0_0000_0000_0001L);
        V128 d = V128.ofDoubles(nan, -2.25);
        assertEquals(0x7FF0_0000_0000_0001L, d.longLane(0));
        assertEquals(0x7FF0_0000_0000_0001L, Double.doubleToRawLongBits(d.doubleLane(0)));
        assertEquals(-2.25, d.toDoubles()[1]);
    }

    @Test
    void textForms() {
        assertEquals("i32x4 1 2 -3 4", V128.ofInts(1, 2, -3, 4).toString());
        assertEquals("01 00 00 00 02 00 00 00 ff ff ff ff 04 00 00 00", V128.ofInts(1, 2, -1, 4).toHexString());
        assertSame(V128.ZERO, V128.of(0, 0));
        assertEquals("i32x4 0 0 0 0", V128.ZERO.toString());
    }

    @Test
    void wrongLengthsAndLanesAreRefused() {
        assertEquals("a v128 is 4 ints, got 3",
                assertThrows(IllegalArgumentException.class, () -> V128.ofInts(1, 2, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> V128.ofBytes(new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> V128.ofShorts(new short[9]));
        assertThrows(IllegalArgumentException.class, () -> V128.ofLongs(1));
        assertThrows(IllegalArgumentException.class, () -> V128.ofFloats(1, 2));
        assertThrows(IllegalArgumentException.class, () -> V128.ofDoubles(1, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> V128.ZERO.intLane(4));
        assertThrows(IndexOutOfBoundsException.class, () -> V128.ZERO.byteLane(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> V128.ZERO.longLane(2));
    }
}
