package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.options.Tier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** abs, neg and copysign act on the sign bit only (NaN payloads kept), both tiers. */
class FloatSignTest {
    private static final long[] F64 = {0, Long.MIN_VALUE, 0x7FF0_0000_0000_0000L, 0xFFF0_0000_0000_0000L,
            0x7FF8_0000_0000_0001L, 0xFFF4_0000_0000_0000L, 0x3FF0_0000_0000_0000L, 0xBFF0_0000_0000_0000L, 1};
    private static final long[] F32 = {0, 0x8000_0000L, 0x7F80_0000L, 0xFF80_0000L, 0x7FC0_0001L, 0xFFA0_0000L,
            0x3F80_0000L, 0xBF80_0000L, 1};

    @ParameterizedTest
    @EnumSource(Tier.class)
    void signBits(Tier tier) {
        List<String[]> functions = List.of(
                new String[] {"f32.abs", "(param f32) (result f32) (f32.abs (local.get 0))"},
                new String[] {"f32.neg", "(param f32) (result f32) (f32.neg (local.get 0))"},
                new String[] {"f32.copysign", "(param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1))"},
                new String[] {"f64.abs", "(param f64) (result f64) (f64.abs (local.get 0))"},
                new String[] {"f64.neg", "(param f64) (result f64) (f64.neg (local.get 0))"},
                new String[] {"f64.copysign", "(param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1))"});
        try (Compiled c = new Compiled(tier, functions)) {
            for (boolean f64 : new boolean[] {false, true}) {
                String t = f64 ? "f64" : "f32";
                long sign = f64 ? Long.MIN_VALUE : 0x8000_0000L;
                for (long x : f64 ? F64 : F32) {
                    assertEquals(x & ~sign, c.run(t + ".abs", x).bits(), tier + " abs " + Long.toHexString(x));
                    assertEquals(x ^ sign, c.run(t + ".neg", x).bits(), tier + " neg " + Long.toHexString(x));
                    for (long y : f64 ? F64 : F32) {
                        assertEquals((x & ~sign) | (y & sign), c.run(t + ".copysign", x, y).bits(),
                                tier + " copysign " + Long.toHexString(x) + " " + Long.toHexString(y));
                    }
                }
            }
        }
    }
}
