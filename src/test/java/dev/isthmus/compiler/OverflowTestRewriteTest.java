package dev.isthmus.compiler;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Simplifier's rewrite of an increment's unsigned overflow test ({@code x + 1 >=u x} is {@code x + 1 != 0},
 * {@code x + 1 <u x} is {@code x + 1 == 0}, also with the operands swapped and for i64): as a loop's exit test
 * (LLVM's loop that counts from -n up through the wrap to 0, which the rewrite lets {@code StripMining} count) and
 * as a value (0 or 1) used by arithmetic, run under both tiers from starts around the wrap; and the IR shows the
 * rewritten compare and the mined loop.
 */
class OverflowTestRewriteTest {
    private static final String MODULE = """
            (module
              (memory (export "m") 1)
              ;; counts up from $x through the wrap (at most 2000 steps); the test of the back edge is x + 1 >=u x
              (func (export "loop32") (param $x i32) (result i64)
                (local $n i64) (local $y i32)
                (block $done (loop $l
                  (local.set $n (i64.add (local.get $n) (i64.const 1)))
                  (br_if $done (i64.ge_u (local.get $n) (i64.const 2000)))
                  (local.set $y (i32.add (local.get $x) (i32.const 1)))
                  (local.set $n (i64.add (local.get $n) (i64.const 1000)))
                  (local.set $n (i64.sub (local.get $n) (i64.const 1000)))
                  (i32.ge_u (local.get $y) (local.get $x))
                  (local.set $x (local.get $y))
                  (br_if $l)))
                (i64.add (i64.shl (local.get $n) (i64.const 32)) (i64.extend_i32_u (local.get $x))))
              ;; the loop's only exit (mined): memory is written in it, the test is swapped (x <=u x + 1)
              (func (export "store32") (param $x i32) (param $n i32) (result i32)
                (local $y i32)
                (loop $l
                  (i32.store8 (i32.and (local.get $n) (i32.const 1023)) (local.get $x))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (local.set $y (i32.add (i32.const 1) (local.get $x)))
                  (i32.le_u (local.get $x) (local.get $y))
                  (local.set $x (local.get $y))
                  (br_if $l))
                (i32.add (local.get $x) (local.get $n)))
              ;; the four forms as values, i32 and i64
              (func (export "values32") (param $x i32) (result i32)
                (local $y i32)
                (local.set $y (i32.add (local.get $x) (i32.const 1)))
                (i32.add
                  (i32.add (i32.ge_u (local.get $y) (local.get $x))
                           (i32.shl (i32.lt_u (local.get $y) (local.get $x)) (i32.const 1)))
                  (i32.add (i32.shl (i32.le_u (local.get $x) (local.get $y)) (i32.const 2))
                           (i32.shl (i32.gt_u (local.get $x) (local.get $y)) (i32.const 3)))))
              (func (export "values64") (param $x i64) (result i32)
                (local $y i64)
                (local.set $y (i64.add (i64.const 1) (local.get $x)))
                (i32.add
                  (i32.add (i64.ge_u (local.get $y) (local.get $x))
                           (i32.shl (i64.lt_u (local.get $y) (local.get $x)) (i32.const 1)))
                  (i32.add (i32.shl (i64.le_u (local.get $x) (local.get $y)) (i32.const 2))
                           (i32.shl (i64.gt_u (local.get $x) (local.get $y)) (i32.const 3)))))
              ;; not an increment: x + 2 >=u x stays as it is
              (func (export "plusTwo") (param $x i32) (result i32)
                (i32.ge_u (i32.add (local.get $x) (i32.const 2)) (local.get $x))))
            """;

    private static final long[] STARTS = {0, 1, 5, -1, -2, -3, -999, -1000, -1001, -1998, -1999, -2000, -2001,
            0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, -1L << 33};

    @Test
    void bothTiersAgreeAroundTheWrap() {
        byte[] wasm = Wat.toBinary(MODULE);
        Isthmus optimizing = Isthmus.builder().tier(Tier.OPTIMIZING).build();
        Isthmus baseline = Isthmus.builder().tier(Tier.BASELINE).build();
        for (long s : STARTS) {
            for (String f : new String[] {"loop32", "store32", "values32", "values64", "plusTwo"}) {
                Object[] args = switch (f) {
                    case "store32" -> new Object[] {(int) -(s & 0x7FF) - 1, 7};   // at most 2048 iterations
                    case "values64" -> new Object[] {s};
                    default -> new Object[] {(int) s};
                };
                assertEquals(run(baseline, wasm, f, args), run(optimizing, wasm, f, args), f + "(" + s + ")");
            }
        }
        // the values: bit 0 x+1 >=u x, 1 x+1 <u x, 2 x <=u x+1, 3 x >u x+1
        assertTrue(run(optimizing, wasm, "values32", new Object[] {5}).startsWith("= 5,"));
        assertTrue(run(optimizing, wasm, "values32", new Object[] {-1}).startsWith("= 10,"));
        assertTrue(run(optimizing, wasm, "values64", new Object[] {-1L}).startsWith("= 10,"));
    }

    @Test
    void theLoopTestIsRewrittenAndMined() {
        byte[] wasm = Wat.toBinary(MODULE);
        String ir = TestInstance.simplifiedIr(wasm, 1, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING));
        assertTrue(ir.contains("; polls") && ir.contains("unpolled"), ir);
        String values = TestInstance.simplifiedIr(wasm, 2, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING));
        assertTrue(!values.contains("ge_u") && !values.contains("lt_u") && !values.contains("le_u")
                && !values.contains("gt_u"), values);
        String plusTwo = TestInstance.simplifiedIr(wasm, 4, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING));
        assertTrue(plusTwo.contains("ge_u"), plusTwo);
    }

    private static String run(Isthmus engine, byte[] wasm, String export, Object[] args) {
        try (Instance instance = engine.compile(wasm).instantiate()) {
            return DifferentialOutcome.of(instance, export, args);
        }
    }
}
