package dev.isthmus.wast;

import dev.isthmus.model.ValType;
import dev.isthmus.text.script.LaneShape;
import dev.isthmus.text.script.WastExpected;
import dev.isthmus.text.script.WastValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultMatcherTest {

    private static Value f32(int bits) {
        return new Value.Num(ValType.F32, bits & 0xFFFF_FFFFL);
    }

    private static Value f64(long bits) {
        return new Value.Num(ValType.F64, bits);
    }

    @Test
    void canonicalNanHasOnlyTheQuietBitEitherSign() {
        WastExpected canonical = new WastExpected.CanonicalNan(ValType.F32);
        assertTrue(ResultMatcher.matches(canonical, f32(0x7FC0_0000)));
        assertTrue(ResultMatcher.matches(canonical, f32(0xFFC0_0000)));
        assertFalse(ResultMatcher.matches(canonical, f32(0x7FC0_0001)));
        assertFalse(ResultMatcher.matches(canonical, f32(0x7F80_0001)));
        assertFalse(ResultMatcher.matches(canonical, f64(0x7FF8_0000_0000_0000L)));
        WastExpected canonical64 = new WastExpected.CanonicalNan(ValType.F64);
        assertTrue(ResultMatcher.matches(canonical64, f64(0xFFF8_0000_0000_0000L)));
        assertFalse(ResultMatcher.matches(canonical64, f64(0x7FF8_0000_0000_0001L)));
    }

    @Test
    void arithmeticNanNeedsTheQuietBit() {
        WastExpected arithmetic = new WastExpected.ArithmeticNan(ValType.F64);
        assertTrue(ResultMatcher.matches(arithmetic, f64(0x7FF8_0000_0000_0001L)));
        assertTrue(ResultMatcher.matches(arithmetic, f64(0xFFFC_0000_0000_0000L)));
        assertFalse(ResultMatcher.matches(arithmetic, f64(0x7FF0_0000_0000_0001L)));
        assertFalse(ResultMatcher.matches(arithmetic, f64(0x7FF0_0000_0000_0000L)));
    }

    @Test
    void exactNumbersCompareBitsOfTheirWidth() {
        WastExpected minusOne = new WastExpected.Exact(new WastValue.Num(ValType.I32, -1L));
        assertTrue(ResultMatcher.matches(minusOne, new Value.Num(ValType.I32, 0xFFFF_FFFFL)));
        assertFalse(ResultMatcher.matches(minusOne, new Value.Num(ValType.I64, -1L)));
        WastExpected negZero = new WastExpected.Exact(new WastValue.Num(ValType.F32, 0x8000_0000L));
        assertFalse(ResultMatcher.matches(negZero, f32(0)));
    }

    @Test
    void v128LanesMayMixBitsAndNans() {
        byte[] bytes = new byte[16];
        // lane 0 = 1.0f (0x3F800000), lane 1 = canonical NaN, lanes 2 and 3 = 0
        bytes[2] = (byte) 0x80;
        bytes[3] = 0x3F;
        bytes[6] = (byte) 0xC0;
        bytes[7] = 0x7F;
        WastExpected expected = new WastExpected.V128Lanes(LaneShape.F32X4, List.of(
                new WastExpected.Lane.Bits(0x3F80_0000L), new WastExpected.Lane.Canonical(),
                new WastExpected.Lane.Bits(0), new WastExpected.Lane.Arithmetic()));
        assertFalse(ResultMatcher.matches(expected, new Value.V128(bytes)));
        bytes[14] = (byte) 0xC0;
        bytes[15] = (byte) 0xFF;
        assertTrue(ResultMatcher.matches(expected, new Value.V128(bytes)));
        WastExpected i8 = new WastExpected.V128Lanes(LaneShape.I8X16, java.util.Collections.nCopies(16,
                new WastExpected.Lane.Bits(-1)));
        byte[] ones = new byte[16];
        java.util.Arrays.fill(ones, (byte) -1);
        assertTrue(ResultMatcher.matches(i8, new Value.V128(ones)));
    }

    @Test
    void referencesMatchByKind() {
        assertTrue(ResultMatcher.matches(new WastExpected.Exact(new WastValue.RefNull("func")),
                new Value.Null(ValType.FUNCREF)));
        assertFalse(ResultMatcher.matches(new WastExpected.Exact(new WastValue.RefNull("func")),
                new Value.Null(ValType.EXTERNREF)));
        assertTrue(ResultMatcher.matches(new WastExpected.Exact(new WastValue.RefExtern(3)), new Value.Extern(3)));
        assertFalse(ResultMatcher.matches(new WastExpected.Exact(new WastValue.RefExtern(3)), new Value.Extern(4)));
        assertTrue(ResultMatcher.matches(new WastExpected.AnyRef("func"), new Value.Func("f")));
        assertFalse(ResultMatcher.matches(new WastExpected.AnyRef("func"), new Value.Null(ValType.FUNCREF)));
    }

    @Test
    void mismatchNamesTheResult() {
        assertNull(ResultMatcher.mismatch(List.of(), List.of()));
        assertNotNull(ResultMatcher.mismatch(List.of(new WastExpected.AnyNull()), List.of()));
        String m = ResultMatcher.mismatch(List.of(new WastExpected.AnyNull()), List.of(new Value.Extern(1)));
        assertEquals("expected ref.null, got ref.extern 1", m);
        assertEquals("expected i32:42 f32:nan:canonical, got i32:-1 f32:nan:0x1", ResultMatcher.mismatch(
                List.of(new WastExpected.Exact(new WastValue.Num(ValType.I32, 42)),
                        new WastExpected.CanonicalNan(ValType.F32)),
                List.of(new Value.Num(ValType.I32, 0xFFFF_FFFFL), new Value.Num(ValType.F32, 0x7F80_0001L))));
        assertEquals("expected (), got f64:-inf ref.null func", ResultMatcher.mismatch(List.of(),
                List.of(new Value.Num(ValType.F64, Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY)),
                        new Value.Null(ValType.FUNCREF))));
    }
}
