package dev.isthmus.binary;

import dev.isthmus.model.Leb128;
import dev.isthmus.binary.DecodeException;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LEB128 limits and unused-bit rules, floats, names and end-of-input errors. */
class ByteReaderTest {
    private static ByteReader reader(String hex) {
        return new ByteReader(HexFormat.ofDelimiter(" ").parseHex(hex));
    }

    private static void assertMalformed(String expected, Runnable r) {
        DecodeException e = assertThrows(DecodeException.class, r::run);
        assertTrue(e.reason().startsWith(expected), e.getMessage());
    }

    @Test
    void unsigned32() {
        assertEquals(0, reader("00").u32());
        assertEquals(0, reader("80 80 80 80 00").u32());           // padded zero is allowed
        assertEquals(0xFFFFFFFFL, reader("ff ff ff ff 0f").u32());
        assertMalformed("integer too large", () -> reader("ff ff ff ff 1f").u32());
        assertMalformed("integer too large", () -> reader("80 80 80 80 70").u32());
        assertMalformed("integer representation too long", () -> reader("80 80 80 80 80 00").u32());
        assertMalformed("unexpected end", () -> reader("80 80").u32());
    }

    @Test
    void signed32() {
        assertEquals(-1, reader("7f").s32());
        assertEquals(Integer.MIN_VALUE, reader("80 80 80 80 78").s32());
        assertEquals(Integer.MAX_VALUE, reader("ff ff ff ff 07").s32());
        assertEquals(-1, reader("ff ff ff ff 7f").s32());
        assertMalformed("integer too large", () -> reader("ff ff ff ff 0f").s32());
        assertMalformed("integer too large", () -> reader("80 80 80 80 70").s32());
        assertMalformed("integer representation too long", () -> reader("ff ff ff ff ff 7f").s32());
    }

    @Test
    void signed33And64() {
        assertEquals(0xFFFFFFFFL, reader("ff ff ff ff 0f").s33());
        assertEquals(-1L << 32, reader("80 80 80 80 70").s33());
        assertMalformed("integer too large", () -> reader("80 80 80 80 10").s33());
        assertEquals(Long.MIN_VALUE, reader("80 80 80 80 80 80 80 80 80 7f").s64());
        assertEquals(Long.MAX_VALUE, reader("ff ff ff ff ff ff ff ff ff 00").s64());
        assertMalformed("integer too large", () -> reader("ff ff ff ff ff ff ff ff ff 01").s64());
        assertMalformed("integer too large", () -> reader("80 80 80 80 80 80 80 80 80 7e").s64());
        assertMalformed("integer representation too long", () -> reader("80 80 80 80 80 80 80 80 80 80 00").s64());
    }

    @Test
    void roundTripsEncoderOutput() {
        Random rnd = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long v = switch (i % 4) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextInt();
                case 2 -> rnd.nextLong() >> rnd.nextInt(64);
                default -> (long) rnd.nextInt(300) - 150;
            };
            assertEquals(v, new ByteReader(Leb128.encodeSigned(v)).s64());
            int w = (int) v;
            assertEquals(w, new ByteReader(Leb128.encodeSigned(w)).s32());
            long u = Integer.toUnsignedLong(w);
            assertEquals(u, new ByteReader(Leb128.encodeUnsigned(u)).u32());
        }
    }

    @Test
    void floatsAndNames() {
        assertEquals(Float.floatToRawIntBits(1.5f), reader("00 00 c0 3f").f32Bits());
        assertEquals(Double.doubleToRawLongBits(-2.0), reader("00 00 00 00 00 00 00 c0").f64Bits());
        assertEquals("héllo", reader("06 68 c3 a9 6c 6c 6f").name());
        assertMalformed("malformed UTF-8 encoding", () -> reader("02 c0 80").name());     // overlong
        assertMalformed("malformed UTF-8 encoding", () -> reader("03 ed a0 80").name());  // surrogate
        assertMalformed("unexpected end", () -> reader("05 61 62").name());
    }

    @Test
    void sliceReportsItsOwnEnd() {
        ByteReader outer = reader("01 02 03 04");
        ByteReader inner = outer.slice(2, "unexpected end of section or function");
        assertEquals(2, outer.position());
        inner.u8();
        inner.u8();
        assertMalformed("unexpected end of section or function", inner::u8);
        assertMalformed("unexpected end", () -> outer.slice(3, "x"));
    }

    @Test
    void offsetsAreAbsolute() {
        ByteReader r = new ByteReader(new byte[] {(byte) 0xff}, 0, 1, 100, "unexpected end");
        DecodeException e = assertThrows(DecodeException.class, r::u32);
        assertEquals(101, e.offset());   // the missing continuation byte, counted from the base
    }
}
