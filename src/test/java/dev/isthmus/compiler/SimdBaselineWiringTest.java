package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.model.ExternKind;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.text.Wat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * v128 values through the baseline tier's plumbing (value stack, spills, locals, blocks and branches, select, calls
 * with v128 arguments and results in registers and on the stack, tail calls, memory with both bounds-check modes),
 * observed through exports that take and return scalars only, with and without AVX.
 */
class SimdBaselineWiringTest {
    private static final String WAT = """
            (module
              (memory 1)
              (data (i32.const 0) "\\00\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\f0\\f1\\f2\\f3")
              (type $vv (func (param v128) (result v128)))
              (table 2 funcref)
              (elem (i32.const 0) $id $swap)
              (func $id (type $vv) (local.get 0))
              (func $swap (type $vv) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get 0) (local.get 0)))
              ;; nine v128 parameters: the ninth goes on the stack (two slots), and two v128 results
              (func $many (param v128 v128 v128 v128 v128 v128 v128 v128 v128 i32) (result v128 v128)
                (local.get 8) (local.get 0))
              (func $manyResults (result v128 v128 v128 i64)
                (i64x2.splat (i64.const 1)) (i64x2.splat (i64.const 2)) (i64x2.splat (i64.const 3)) (i64.const 4))
              (func (export "const_lane") (param i32) (result i64)
                (i64x2.extract_lane 1 (v128.const i64x2 0x1111222233334444 0x5555666677778888)))
              (func (export "splat_extract") (param i32) (result i32)
                (i8x16.extract_lane_s 5 (i8x16.splat (local.get 0))))
              (func (export "local_roundtrip") (param i64 i64) (result i64)
                (local v128 v128)
                (local.set 2 (i64x2.replace_lane 1 (local.get 2) (local.get 1)))
                (local.set 3 (i64x2.replace_lane 0 (local.get 2) (local.get 0)))
                (i64.add (i64x2.extract_lane 0 (local.get 3)) (i64x2.extract_lane 1 (local.get 3))))
              (func (export "zero_local") (result i64)
                (local v128)
                (i64.or (i64x2.extract_lane 0 (local.get 0)) (i64x2.extract_lane 1 (local.get 0))))
              (func (export "load_lane") (param i32) (result i32)
                (i32x4.extract_lane 2 (v128.load offset=1 (local.get 0))))
              (func (export "store_load") (param i32 i64) (result i64)
                (v128.store offset=100 (local.get 0) (i64x2.splat (local.get 1)))
                (v128.store64_lane offset=200 1 (local.get 0) (v128.load offset=92 (local.get 0)))
                (i64.load offset=200 (local.get 0)))
              (func (export "call_id") (param i64) (result i64)
                (i64x2.extract_lane 1 (call $id (i64x2.replace_lane 1 (v128.const i64x2 0 0) (local.get 0)))))
              (func (export "call_indirect") (param i32 i64) (result i64)
                (i64x2.extract_lane 0
                  (call_indirect (type $vv) (i64x2.replace_lane 1 (v128.const i64x2 7 0) (local.get 1)) (local.get 0))))
              (func (export "many") (param i64) (result i64)
                (local v128 v128)
                (call $many (v128.const i64x2 1 1) (v128.const i64x2 2 2) (v128.const i64x2 3 3)
                  (v128.const i64x2 4 4) (v128.const i64x2 5 5) (v128.const i64x2 6 6) (v128.const i64x2 7 7)
                  (v128.const i64x2 8 8) (i64x2.splat (local.get 0)) (i32.const 0))
                (local.set 1)
                (local.set 2)
                (i64.add (i64x2.extract_lane 1 (local.get 1)) (i64x2.extract_lane 1 (local.get 2))))
              (func (export "many_results") (result i64)
                (local i64)
                (call $manyResults)
                (local.set 0)
                (i64x2.extract_lane 1) (local.get 0) (i64.add) (local.set 0)
                (i64x2.extract_lane 0) (local.get 0) (i64.add) (local.set 0)
                (i64x2.extract_lane 1) (local.get 0) (i64.add))
              (func $tail (param v128 v128 v128 v128 v128 v128 v128 v128 v128) (result v128)
                (return_call $many_tail (local.get 8) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
                  (local.get 5) (local.get 6) (local.get 7) (local.get 0) (i32.const 0)))
              (func $many_tail (param v128 v128 v128 v128 v128 v128 v128 v128 v128 i32) (result v128)
                (i64x2.replace_lane 1 (local.get 0) (i64.add (i64x2.extract_lane 1 (local.get 0)) (i64x2.extract_lane 1 (local.get 8)))))
              (func (export "tail") (param i64) (result i64)
                (i64x2.extract_lane 1 (call $tail (i64x2.splat (local.get 0)) (v128.const i64x2 2 2)
                  (v128.const i64x2 3 3) (v128.const i64x2 4 4) (v128.const i64x2 5 5) (v128.const i64x2 6 6)
                  (v128.const i64x2 7 7) (v128.const i64x2 8 8) (v128.const i64x2 9 0x100))))
              ;; a tail call to a function with more stack slots (the return address moves) and back to fewer
              (func $grow (param v128 v128 v128 v128 v128 v128 v128 v128 v128 i64) (result v128)
                (return_call $ten (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)
                  (local.get 6) (local.get 7) (local.get 8) (i64x2.splat (local.get 9)) (i32.const 0)))
              (func $ten (param v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 i32) (result v128)
                (if (i32.eqz (local.get 10))
                  (then (return_call $shrink (local.get 9) (local.get 8))))
                (local.get 9))
              (func $shrink (param v128 v128) (result v128)
                (i64x2.replace_lane 0 (local.get 0) (i64x2.extract_lane 1 (local.get 1))))
              (func (export "tail_resize") (param i64) (result i64)
                (local v128)
                (local.set 1 (call $grow (v128.const i64x2 1 1) (v128.const i64x2 2 2) (v128.const i64x2 3 3)
                  (v128.const i64x2 4 4) (v128.const i64x2 5 5) (v128.const i64x2 6 6) (v128.const i64x2 7 7)
                  (v128.const i64x2 8 8) (v128.const i64x2 9 0x900) (local.get 0)))
                (i64.add (i64x2.extract_lane 0 (local.get 1)) (i64x2.extract_lane 1 (local.get 1))))
              (func (export "blocks") (param i32 i64) (result i64)
                (i64x2.extract_lane 1
                  (block (result v128)
                    (v128.const i64x2 1 2)
                    (br_if 0 (i32.eqz (local.get 0)))
                    (drop)
                    (if (result v128) (i32.eq (local.get 0) (i32.const 1))
                      (then (i64x2.splat (local.get 1)))
                      (else
                        (block (result v128)
                          (br_table 0 1 (v128.const i64x2 3 4) (i32.sub (local.get 0) (i32.const 2)))))))))
              (func (export "loop") (param i32) (result i64)
                (local v128)
                (v128.const i64x2 0 0)
                (loop $l (param v128) (result v128)
                  (local.set 1)
                  (i64x2.replace_lane 1 (local.get 1) (i64.add (i64x2.extract_lane 1 (local.get 1)) (i64.const 1)))
                  (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                (i64x2.extract_lane 1))
              (func (export "select") (param i32) (result i64)
                (i64x2.extract_lane 0 (select (result v128) (v128.const i64x2 11 0) (v128.const i64x2 22 0) (local.get 0))))
              (func (export "pressure") (param i64) (result i64)
                ;; twenty v128 values live at once: xmm registers run out, the oldest go to their slots
                (i64x2.splat (local.get 0)) (i64x2.splat (i64.const 1)) (i64x2.splat (i64.const 2))
                (i64x2.splat (i64.const 3)) (i64x2.splat (i64.const 4)) (i64x2.splat (i64.const 5))
                (i64x2.splat (i64.const 6)) (i64x2.splat (i64.const 7)) (i64x2.splat (i64.const 8))
                (i64x2.splat (i64.const 9)) (i64x2.splat (i64.const 10)) (i64x2.splat (i64.const 11))
                (i64x2.splat (i64.const 12)) (i64x2.splat (i64.const 13)) (i64x2.splat (i64.const 14))
                (i64x2.splat (i64.const 15)) (i64x2.splat (i64.const 16)) (i64x2.splat (i64.const 17))
                (i64x2.splat (i64.const 18)) (i64x2.splat (i64.const 19))
                (i64x2.extract_lane 1) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop)
                (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop)
                (i64x2.extract_lane 1))
              (func (export "spill_across_call") (param i64) (result i64)
                (i64x2.splat (local.get 0))
                (drop (call $id (v128.const i64x2 0 0)))
                (i64x2.extract_lane 1))
              ;; stack garbage, then locals that must start zeroed (20 slot-homed locals: the zeroing loop)
              (func $dirty (param i64) (result i64)
                (local v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128)
                (local.set 1 (i64x2.splat (local.get 0))) (local.set 2 (local.get 1)) (local.set 3 (local.get 1))
                (local.set 4 (local.get 1)) (local.set 5 (local.get 1)) (local.set 6 (local.get 1))
                (local.set 7 (local.get 1)) (local.set 8 (local.get 1)) (local.set 9 (local.get 1))
                (local.set 10 (local.get 1)) (local.set 11 (local.get 1)) (local.set 12 (local.get 1))
                (local.set 13 (local.get 1)) (local.set 14 (local.get 1)) (local.set 15 (local.get 1))
                (local.set 16 (local.get 1)) (local.set 17 (local.get 1)) (local.set 18 (local.get 1))
                (local.set 19 (local.get 1)) (local.set 20 (local.get 1))
                (i64x2.extract_lane 1 (call $id (local.get 20))))
              (func $fresh (param i64) (result i64)
                (local v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128)
                (local $few v128)
                (drop (call $id (local.get 1)))
                (i64.or (i64.or (i64x2.extract_lane 0 (local.get 1)) (i64x2.extract_lane 1 (local.get 20)))
                  (i64.or (i64x2.extract_lane 1 (local.get 10)) (i64x2.extract_lane 1 (local.get $few)))))
              (func $fewLocals (param i64) (result i64)
                (local v128 v128 i64)
                (drop (call $id (v128.const i64x2 0 0)))
                (i64.or (i64x2.extract_lane 1 (local.get 1)) (i64x2.extract_lane 1 (local.get 2))))
              (func (export "zeroed") (param i64) (result i64)
                (drop (call $dirty (local.get 0)))
                (call $fresh (i64.const 0)))
              (func (export "zeroed_few") (param i64) (result i64)
                (drop (call $dirty (local.get 0)))
                (call $fewLocals (i64.const 0)))
              (func (export "oob") (param i32) (result i32)
                (i32x4.extract_lane 0 (v128.load (local.get 0))))
              (func (export "oob_lane") (param i32)
                (v128.store32_lane 3 (local.get 0) (v128.const i64x2 0 0)))
            )
            """;

    static Stream<Arguments> modes() {
        List<Arguments> modes = new ArrayList<>();
        for (boolean avx : new boolean[] {true, false}) {
            for (BoundsChecks b : BoundsChecks.values()) modes.add(Arguments.of(avx, b));
        }
        return modes.stream();
    }

    @ParameterizedTest(name = "avx={0} {1}")
    @MethodSource("modes")
    void wiring(boolean avx, BoundsChecks checks) throws Exception {
        CpuFeatures cpu = avx ? CpuFeatures.host() : CpuFeatures.host().withoutAvx();
        CompilerOptions options = new CompilerOptions(checks).withTier(Tier.BASELINE);
        try (TestInstance t = new TestInstance(TestInstance.load(Wat.toBinary(WAT)), options, imp -> null, cpu)) {
            assertEquals(0x5555666677778888L, call(t, "const_lane", 0));
            assertEquals(0xFFFF_FF85L, call(t, "splat_extract", 0x85));
            assertEquals(0x7FL, call(t, "splat_extract", 0x7F));
            assertEquals(11L, call(t, "local_roundtrip", 5, 6));
            assertEquals(0L, call(t, "zero_local"));
            assertEquals(0x0C0B0A09L, call(t, "load_lane", 0));
            assertEquals(0x5A5AL, call(t, "store_load", 1000, 0x5A5AL));
            assertEquals(-3L, call(t, "call_id", -3));
            assertEquals(7L, call(t, "call_indirect", 0, 9));
            assertEquals(9L, call(t, "call_indirect", 1, 9));
            assertEquals(42L + 1, call(t, "many", 42));
            assertEquals(10L, call(t, "many_results"));
            assertEquals(5L + 0x100, call(t, "tail", 5));
            assertEquals(0x900L + 70, call(t, "tail_resize", 70));
            assertEquals(2L, call(t, "blocks", 0, 9));
            assertEquals(9L, call(t, "blocks", 1, 9));
            assertEquals(4L, call(t, "blocks", 2, 9));
            assertEquals(4L, call(t, "blocks", 3, 9));
            assertEquals(5L, call(t, "loop", 5));
            assertEquals(11L, call(t, "select", 1));
            assertEquals(22L, call(t, "select", 0));
            assertEquals(123L, call(t, "pressure", 123));
            assertEquals(77L, call(t, "spill_across_call", 77));
            assertEquals(0L, call(t, "zeroed", -1));
            assertEquals(0L, call(t, "zeroed_few", -1));
            assertEquals(0x03020100L, call(t, "oob", 0));
            assertEquals(0L, call(t, "oob", 65536 - 16));
            assertThrows(Exception.class, () -> call(t, "oob", 65536 - 15));
            assertThrows(Exception.class, () -> call(t, "oob_lane", 65536 - 3));
            call(t, "oob_lane", 65536 - 4);
        }
    }

    private static long call(TestInstance t, String name, long... args) throws Exception {
        int f = t.export(name, ExternKind.FUNC);
        long[] r = t.invoke(f, args);
        return r.length == 0 ? 0 : r[0];
    }
}
