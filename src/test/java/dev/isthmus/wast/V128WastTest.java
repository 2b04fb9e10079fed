package dev.isthmus.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.text.script.LaneShape;
import dev.isthmus.text.script.WastExpected;
import dev.isthmus.text.script.WastValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v128 in spec scripts: results compared lane by lane with the NaN rules ({@code nan:canonical},
 * {@code nan:arithmetic} per float lane), {@code (either ...)} of relaxed SIMD (any alternative matches), and v128
 * values through the Isthmus engine (globals read with {@code get}; arguments and results of {@code invoke}).
 */
class V128WastTest {
    @TempDir
    Path dir;

    private static byte[] f32x4(int... bits) {
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) out[i] = (byte) (bits[i / 4] >>> (8 * (i % 4)));
        return out;
    }

    private static WastExpected.V128Lanes f32Lanes(WastExpected.Lane... lanes) {
        return new WastExpected.V128Lanes(LaneShape.F32X4, List.of(lanes));
    }

    private static final WastExpected.Lane CANONICAL = new WastExpected.Lane.Canonical();
    private static final WastExpected.Lane ARITHMETIC = new WastExpected.Lane.Arithmetic();

    private static WastExpected.Lane bits(long bits) {
        return new WastExpected.Lane.Bits(bits);
    }

    @Test
    void eachFloatLaneFollowsItsOwnNanRule() {
        WastExpected expected = f32Lanes(CANONICAL, ARITHMETIC, bits(0x3F80_0000), bits(0x8000_0000L));
        assertTrue(ResultMatcher.matches(expected, new Value.V128(f32x4(0xFFC0_0000, 0x7FC0_0001, 0x3F80_0000,
                0x8000_0000))));
        // lane 0 arithmetic but not canonical
        assertFalse(ResultMatcher.matches(expected, new Value.V128(f32x4(0x7FC0_0001, 0x7FC0_0001, 0x3F80_0000,
                0x8000_0000))));
        // lane 1 a signalling NaN: not arithmetic
        assertFalse(ResultMatcher.matches(expected, new Value.V128(f32x4(0x7FC0_0000, 0x7F80_0001, 0x3F80_0000,
                0x8000_0000))));
        // -0 is not +0
        assertFalse(ResultMatcher.matches(expected, new Value.V128(f32x4(0x7FC0_0000, 0x7FC0_0000, 0x3F80_0000,
                0))));
        WastExpected f64 = new WastExpected.V128Lanes(LaneShape.F64X2, List.of(ARITHMETIC, bits(-1L)));
        byte[] b = new byte[16];
        long nan = 0xFFF8_0000_0000_0042L;
        for (int i = 0; i < 8; i++) b[i] = (byte) (nan >>> (8 * i));
        for (int i = 8; i < 16; i++) b[i] = -1;
        assertTrue(ResultMatcher.matches(f64, new Value.V128(b)));
        b[6] = (byte) 0xF0; // exponent all ones, quiet bit clear: signalling (payload 0x42)
        assertFalse(ResultMatcher.matches(f64, new Value.V128(b)));
    }

    @Test
    void eitherMatchesAnyAlternative() {
        // as relaxed_min_max: x86's minps gives the second operand for NaN, others a canonical NaN
        WastExpected either = new WastExpected.Either(List.of(
                f32Lanes(CANONICAL, CANONICAL, bits(0), bits(0)),
                new WastExpected.Exact(new WastValue.V128(f32x4(0x7FC0_0000, 0x3F80_0000, 0, 0), LaneShape.F32X4)),
                f32Lanes(bits(0x3F80_0000), CANONICAL, bits(0), bits(0))));
        assertTrue(ResultMatcher.matches(either, new Value.V128(f32x4(0xFFC0_0000, 0x7FC0_0000, 0, 0))));
        assertTrue(ResultMatcher.matches(either, new Value.V128(f32x4(0x7FC0_0000, 0x3F80_0000, 0, 0))));
        assertTrue(ResultMatcher.matches(either, new Value.V128(f32x4(0x3F80_0000, 0x7FC0_0000, 0, 0))));
        assertFalse(ResultMatcher.matches(either, new Value.V128(f32x4(0x3F80_0000, 0x3F80_0000, 0, 0))));
        assertFalse(ResultMatcher.matches(either, new Value.Num(dev.isthmus.model.ValType.I32, 0)));
        String mismatch = ResultMatcher.mismatch(List.of(either),
                List.of(new Value.V128(f32x4(0x3F80_0000, 0x3F80_0000, 0, 0))));
        assertEquals("expected (either v128:f32x4 nan:canonical nan:canonical 0 0 v128:f32x4 nan 1 0 0 "
                + "v128:f32x4 1 nan:canonical 0 0), got v128:f32x4 1 1 0 0", mismatch);
    }

    private FileReport runScript(String text) throws IOException {
        return InlineScripts.run(dir.resolve("v128.wast"), text);
    }

    private static String failures(FileReport report) {
        return InlineScripts.failures(report);
    }

    @Test
    void v128GlobalsThroughTheEngine() throws IOException {
        FileReport report = runScript("""
                (module
                  (global (export "i") v128 (v128.const i32x4 1 -2 3 0x7fffffff))
                  (global (export "f") v128 (v128.const f32x4 nan -nan 1.5 -0))
                  (global (export "d") v128 (v128.const f64x2 nan:0x8000000000004 inf)))
                (assert_return (get "i") (v128.const i32x4 1 -2 3 0x7fffffff))
                (assert_return (get "i") (v128.const i16x8 1 0 -2 -1 3 0 -1 0x7fff))
                (assert_return (get "f") (v128.const f32x4 nan:canonical nan:canonical 1.5 -0))
                (assert_return (get "f") (v128.const f32x4 nan:arithmetic nan:arithmetic 1.5 -0))
                (assert_return (get "d") (v128.const f64x2 nan:arithmetic inf))
                (assert_return (get "d") (either (v128.const f64x2 nan:canonical inf) (v128.const i64x2 0x7ff8000000000004 0x7ff0000000000000)))
                """);
        assertEquals(7, report.tally().passed(), failures(report));
        assertEquals(0, report.tally().failed(), failures(report));

        FileReport wrong = runScript("""
                (module (global (export "d") v128 (v128.const f64x2 nan:0x4 inf)))
                (assert_return (get "d") (v128.const f64x2 nan:canonical inf))
                (assert_return (get "d") (v128.const i32x4 0 0 0 0))
                """);
        assertEquals(2, wrong.tally().failed(), failures(wrong));
        assertEquals("expected v128:f64x2 nan:canonical inf, got v128:f64x2 nan:0x4 inf",
                wrong.failures().getFirst().message());
    }

    private static final String INVOKE = """
            (module
              (func (export "id") (param v128) (result v128) (local.get 0))
              (func (export "swap") (param v128 v128) (result v128 v128) (local.get 1) (local.get 0))
              (func (export "lane") (param v128 i32) (result f32) (f32x4.extract_lane 1 (local.get 0)))
              (func (export "splat") (param f64) (result v128) (f64x2.splat (local.get 0))))
            (assert_return (invoke "id" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 0xff))
                           (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1))
            (assert_return (invoke "id" (v128.const f32x4 nan -nan nan:0x600001 -0))
                           (v128.const f32x4 nan:canonical nan:canonical nan:arithmetic -0))
            (assert_return (invoke "swap" (v128.const i64x2 1 2) (v128.const i32x4 3 4 5 6))
                           (v128.const i32x4 3 4 5 6) (v128.const i64x2 1 2))
            (assert_return (invoke "lane" (v128.const f32x4 0 -inf 0 0) (i32.const 0)) (f32.const -inf))
            (assert_return (invoke "splat" (f64.const nan:0x8000000000001))
                           (either (v128.const f64x2 nan:canonical nan:canonical) (v128.const f64x2 nan:arithmetic nan:arithmetic)))
            (assert_return (invoke "id" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 5))
            """;

    @Test
    void v128ArgumentsAndResultsOfInvokeWithAndWithoutAvx() throws IOException {
        Path file = dir.resolve("invoke.wast");
        Files.writeString(file, INVOKE);
        for (String[] flags : List.of(new String[0], new String[] {"-C", "has-avx=false"}, new String[] {"-Chas-avx=n"})) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            List<String> args = new java.util.ArrayList<>(List.of(flags));
            args.add(file.toString());
            int status = dev.isthmus.cli.WastCommand.run(args.toArray(String[]::new),
                    new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), System.err);
            String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(1, status, text);
            assertTrue(text.contains("invoke.wast:15: assert_return: expected v128:i32x4 1 2 3 5, got v128:i32x4 1 2 3 4"), text);
            assertTrue(text.endsWith("6 passed, 1 failed, 0 skipped" + System.lineSeparator()), text);
        }
    }
}
