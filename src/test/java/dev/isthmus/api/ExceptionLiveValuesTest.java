package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values live across a call that throws come back intact where the exception is caught: many values of every class
 * (i32, i64, f32, f64, v128, externref, funcref) — more than the callee-saved registers hold, so some are in
 * registers the dispatch restores and the rest in stack slots — caught in the same function (also when the values
 * are live only into the landing, the other path returning at once), and caught in a caller
 * of a frame that holds as many values of its own (the dispatch restores the caller's registers from the callee's
 * saved-register slots). The function without a throw gives the reference: the locals' part of the checksum is the
 * same whether the call threw or not.
 */
class ExceptionLiveValuesTest {
    private static final int N = 6;

    /** Locals of every class, each set from the parameter, then folded into $acc after the try. */
    private static String module() {
        StringBuilder locals = new StringBuilder();
        StringBuilder init = new StringBuilder();
        StringBuilder fold = new StringBuilder();
        for (int k = 0; k < N; k++) {
            locals.append(" (local $i").append(k).append(" i32) (local $l").append(k).append(" i64) (local $f")
                    .append(k).append(" f32) (local $d").append(k).append(" f64) (local $v").append(k).append(" v128)");
            init.append("(local.set $i").append(k).append(" (i32.add (local.get $p) (i32.const ").append(k * 7 + 1)
                    .append(")))\n");
            init.append("(local.set $l").append(k).append(" (i64.mul (i64.extend_i32_s (local.get $p)) (i64.const ")
                    .append(-(k * 1_000_003L + 5)).append(")))\n");
            init.append("(local.set $f").append(k).append(" (f32.add (f32.convert_i32_s (local.get $p)) (f32.const ")
                    .append(k + 0.25).append(")))\n");
            init.append("(local.set $d").append(k).append(" (f64.sub (f64.convert_i32_s (local.get $p)) (f64.const ")
                    .append(k * 3 + 0.125).append(")))\n");
            init.append("(local.set $v").append(k).append(" (i64x2.replace_lane 1 (i32x4.splat (i32.add (local.get $p)")
                    .append(" (i32.const ").append(k).append("))) (i64.const ").append(0x1234_5678_9ABCL * (k + 1))
                    .append(")))\n");
            for (String x : new String[] {"(i64.extend_i32_u (local.get $i" + k + "))", "(local.get $l" + k + ")",
                    "(i64.extend_i32_u (i32.reinterpret_f32 (local.get $f" + k + ")))",
                    "(i64.reinterpret_f64 (local.get $d" + k + "))",
                    "(i64x2.extract_lane 0 (local.get $v" + k + "))", "(i64x2.extract_lane 1 (local.get $v" + k + "))"}) {
                fold.append("(local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) ").append(x).append("))\n");
            }
        }
        String head = "(param $p i32) (param $r1 externref) (param $r2 externref) (result i64 externref externref)"
                + " (local $acc i64) (local $g funcref)" + locals;
        String refs = "(local.set $g (ref.func $thrower))\n";
        String tail = "(local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (ref.is_null (local.get $g)))))\n"
                + "(local.get $acc) (local.get $r1) (local.get $r2)";
        return "(module\n"
                + "  (tag $e (param i32 i64 f32 f64 v128))\n"
                + "  (elem declare func $thrower)\n"
                + "  (func $thrower (param $k i32)\n"
                + "    (if (i32.and (local.get $k) (i32.const 1)) (then (throw $e (local.get $k) (i64.const -5)"
                + " (f32.const 1.5) (f64.const -2.25) (v128.const i32x4 1 2 3 4)))))\n"
                // caught here: the locals are live across the call, into the landing
                + "  (func $same (export \"same\") " + head + "\n" + init + refs
                + "    (block $h (result i32 i64 f32 f64 v128)\n"
                + "      (try_table (catch $e $h) (call $thrower (local.get $p)))\n"
                + "      (i32.const 0) (i64.const 0) (f32.const 0) (f64.const 0) (v128.const i64x2 0 0))\n"
                + "    (drop) (drop) (drop) (drop) (local.set $acc (i64.extend_i32_u))\n"
                + fold + tail + ")\n"
                // the middle frame holds values of its own across the throwing call and does not catch
                + "  (func $middle (export \"middle\") " + head + "\n" + init + refs
                + "    (call $thrower (local.get $p))\n"
                + fold + tail + ")\n"
                // caught in the caller of the middle frame, its own values live across the call
                + "  (func (export \"caller\") " + head + "\n" + init + refs
                + "    (block $h (result i32 i64 f32 f64 v128)\n"
                + "      (try_table (catch $e $h) (call $middle (i32.add (local.get $p) (i32.const 1))"
                + " (local.get $r2) (local.get $r1)) (drop) (drop) (drop))\n"
                + "      (i32.const 0) (i64.const 0) (f32.const 0) (f64.const 0) (v128.const i64x2 0 0))\n"
                + "    (drop) (drop) (drop) (drop) (local.set $acc (i64.extend_i32_u))\n"
                + fold + tail + ")\n"
                // the values are live only into the landing: the path that does not throw returns at once
                + "  (func (export \"landing-only\") " + head + "\n" + init + refs
                + "    (block $h (result i32 i64 f32 f64 v128)\n"
                + "      (try_table (catch $e $h) (call $thrower (local.get $p)))\n"
                + "      (return (i64.const -1) (local.get $r1) (local.get $r2)))\n"
                + "    (drop) (drop) (drop) (drop) (local.set $acc (i64.extend_i32_u))\n"
                + fold + tail + ")\n"
                // legacy try in the same shape
                + "  (func (export \"legacy\") " + head + "\n" + init + refs
                + "    (try (result i32 i64 f32 f64 v128)\n"
                + "      (do (call $thrower (local.get $p))"
                + " (i32.const 0) (i64.const 0) (f32.const 0) (f64.const 0) (v128.const i64x2 0 0))\n"
                + "      (catch $e))\n"
                + "    (drop) (drop) (drop) (drop) (local.set $acc (i64.extend_i32_u))\n"
                + fold + tail + "))\n";
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void valuesOfEveryClassSurviveTheThrow(Tier tier) {
        byte[] binary = Wat.toBinary(module());
        WasmModule m = ModuleDecoder.decode(binary);
        for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
            assertNotNull(OptimizingCompiler.tryCompile(m, VmContextLayout.of(m), f), "optimizing declined " + f);
        }
        Object r1 = new Object();
        Object r2 = "second";
        try (Instance instance = Isthmus.builder().tier(tier).build().compile(binary).instantiate()) {
            for (int p = -3; p <= 6; p++) {
                boolean throwsHere = (p & 1) != 0;
                for (String export : new String[] {"same", "legacy"}) {
                    Object[] caught = instance.call(export, p, r1, r2);
                    // without a throw the payload part is 0; with one it is the thrower's p: the locals' part is
                    // what the even neighbour's would be for the same p, which the reference computes
                    assertEquals(expected(p, throwsHere ? p : 0), caught[0], export + " p = " + p);
                    assertSame(r1, caught[1]);
                    assertSame(r2, caught[2]);
                }
                Object[] landed = instance.call("landing-only", p, r1, r2);
                assertEquals(throwsHere ? expected(p, p) : -1L, landed[0], "landing-only p = " + p);
                assertSame(r1, landed[1]);
                // the caller's call of middle throws when p + 1 is odd; middle's own values then never return
                Object[] viaCaller = instance.call("caller", p, r1, r2);
                long expectedCaller = (p & 1) == 0 ? expected(p, p + 1) : expected(p, 0);  // (else middle returned)
                assertEquals(expectedCaller, viaCaller[0], "caller p = " + p);
                assertSame(r1, viaCaller[1]);
                assertSame(r2, viaCaller[2]);
            }
        }
    }

    /**
     * The checksum the functions compute for parameter {@code p} and a caught payload whose i32 is {@code k} (0
     * and zeros: nothing caught), in Java.
     */
    private static long expected(int p, int k) {
        long acc = Integer.toUnsignedLong(k);
        for (int j = 0; j < N; j++) {
            int i = p + j * 7 + 1;
            long l = (long) p * -(j * 1_000_003L + 5);
            float f = (float) p + (float) (j + 0.25);
            double d = (double) p - (j * 3 + 0.125);
            long lane0 = Integer.toUnsignedLong(p + j) | ((long) (p + j) << 32);
            long lane1 = 0x1234_5678_9ABCL * (j + 1);
            for (long x : new long[] {Integer.toUnsignedLong(i), l, Integer.toUnsignedLong(Float.floatToRawIntBits(f)),
                    Double.doubleToRawLongBits(d), lane0, lane1}) {
                acc = acc * 31 + x;
            }
        }
        return acc;                                              // + ref.is_null($g) = 0
    }
}
