package dev.isthmus.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextNumbersTest {

    @Test
    void integersAcceptSignsHexAndUnderscores() {
        assertEquals(1_000_000, TextNumbers.i32("1_000_000"));
        assertEquals(-1, TextNumbers.i32("0xffff_ffff"));
        assertEquals(-1, TextNumbers.i32("-1"));
        assertEquals(Integer.MIN_VALUE, TextNumbers.i32("-0x8000_0000"));
        assertEquals(42, TextNumbers.i32("+42"));
        assertEquals(-1L, TextNumbers.i64("0xffffffffffffffff"));
        assertEquals(Long.MIN_VALUE, TextNumbers.i64("-9223372036854775808"));
    }

    @Test
    void integersOutOfRangeAndMalformed() {
        assertEquals("constant out of range", assertThrows(TextNumbers.LiteralException.class,
                () -> TextNumbers.i32("4294967296")).getMessage());
        assertEquals("constant out of range", assertThrows(TextNumbers.LiteralException.class,
                () -> TextNumbers.i32("-2147483649")).getMessage());
        for (String bad : new String[] {"1__0", "_1", "1_", "0x", "0x_1", "1a", "+", "--1"}) {
            assertEquals("unknown operator", assertThrows(TextNumbers.LiteralException.class,
                    () -> TextNumbers.i32(bad)).getMessage(), bad);
        }
        assertThrows(TextNumbers.LiteralException.class, () -> TextNumbers.u32("-1"));
    }

    @Test
    void decimalAndHexFloats() {
        assertEquals(Float.floatToRawIntBits(1.5f), TextNumbers.f32("1.5"));
        assertEquals(Float.floatToRawIntBits(1e10f), TextNumbers.f32("1e1_0"));
        assertEquals(Float.floatToRawIntBits(-12f), TextNumbers.f32("-0x1.8p3"));
        assertEquals(1, TextNumbers.f32("0x1p-149"));
        assertEquals(Float.floatToRawIntBits(Float.MAX_VALUE), TextNumbers.f32("0x1.fffffep127"));
        assertEquals(Double.doubleToRawLongBits(0x1.0000000000001p0), TextNumbers.f64("0x1.0000000000001p0"));
        assertEquals(Double.doubleToRawLongBits(Double.MIN_VALUE), TextNumbers.f64("0x1p-1074"));
        assertEquals(Double.doubleToRawLongBits(10.0), TextNumbers.f64("10"));
        assertEquals(Double.doubleToRawLongBits(-0.0), TextNumbers.f64("-0"));
    }

    @Test
    void hexFloatsRoundToNearestEven() {
        // 1 + 2^-24 is exactly half way between 1 and the next float: ties to even gives 1.
        assertEquals(0x3f800000, TextNumbers.f32("0x1.000001p0"));
        // a bit above half way rounds up
        assertEquals(0x3f800001, TextNumbers.f32("0x1.0000011p0"));
        // 1 + 3*2^-24 is half way between two floats with odd/even mantissas: goes to even (up)
        assertEquals(0x3f800002, TextNumbers.f32("0x1.000003p0"));
        // largest subnormal rounding up into the smallest normal
        assertEquals(0x00800000, TextNumbers.f32("0x1.fffffffp-127"));
    }

    @Test
    void infinityNanAndPayloads() {
        assertEquals(0x7f800000, TextNumbers.f32("inf"));
        assertEquals(0xff800000, TextNumbers.f32("-inf"));
        assertEquals(0x7fc00000, TextNumbers.f32("nan"));
        assertEquals(0xffc00000, TextNumbers.f32("-nan"));
        assertEquals(0x7f800001, TextNumbers.f32("nan:0x1"));
        assertEquals(0x7ff0000000000001L, TextNumbers.f64("+nan:0x1"));
        assertEquals("constant out of range", assertThrows(TextNumbers.LiteralException.class,
                () -> TextNumbers.f32("nan:0x80_0000")).getMessage());
        assertEquals("constant out of range", assertThrows(TextNumbers.LiteralException.class,
                () -> TextNumbers.f32("nan:0x0")).getMessage());
    }

    @Test
    void floatsThatRoundToInfinityAreOutOfRange() {
        assertEquals("constant out of range", assertThrows(TextNumbers.LiteralException.class,
                () -> TextNumbers.f32("0x1p128")).getMessage());
        assertEquals("constant out of range", assertThrows(TextNumbers.LiteralException.class,
                () -> TextNumbers.f32("1e39")).getMessage());
        assertEquals("constant out of range", assertThrows(TextNumbers.LiteralException.class,
                () -> TextNumbers.f64("0x1.fffffffffffff8p1023")).getMessage());
        assertEquals("unknown operator", assertThrows(TextNumbers.LiteralException.class,
                () -> TextNumbers.f32("1.e")).getMessage());
    }
}
