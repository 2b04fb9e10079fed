package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semantics the spec scripts exercise lightly: deep tail calls, big frames, fallback paths, rounding corners. */
class CompilerSemanticsTest {
    private static TestInstance instance(String wat) {
        return new TestInstance(TestInstance.load(Wat.toBinary(wat)), CompilerOptions.DEFAULT);
    }

    @Test
    void mutualTailRecursionRunsInConstantStack() {
        try (TestInstance i = instance("""
                (module
                  (func $even (export "even") (param i64) (result i32)
                    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
                      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
                  (func $odd (param i64) (result i32)
                    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
                      (else (return_call $even (i64.sub (local.get 0) (i64.const 1)))))))
                """)) {
            assertArrayEquals(new long[] {1}, i.invoke(0, 1_000_000));
            assertArrayEquals(new long[] {0}, i.invoke(0, 1_000_001));
        }
    }

    @Test
    void tailCallsWithStackArgumentsRunInConstantStack() {
        try (TestInstance i = instance("""
                (module
                  (type $t (func (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
                  (table funcref (elem $count))
                  (func $count (export "count") (type $t)
                    (if (result i64) (i64.eqz (local.get 0)) (then (i64.add (local.get 6) (local.get 7)))
                      (else (return_call_indirect (type $t)
                        (i64.sub (local.get 0) (i64.const 1)) (local.get 1) (local.get 2) (local.get 3)
                        (local.get 4) (local.get 5) (i64.add (local.get 6) (i64.const 1)) (local.get 7)
                        (i32.const 0))))))
                """)) {
            assertArrayEquals(new long[] {1_000_005}, i.invoke(0, 1_000_000, 0, 0, 0, 0, 0, 0, 5));
        }
    }

    @Test
    void deepRecursionExhaustsTheStackWithATrap() {
        try (TestInstance i = instance("""
                (module (func $f (export "f") (param i32) (result i32)
                  (i32.add (call $f (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))
                """)) {
            TrapException t = assertThrows(TrapException.class, () -> i.invoke(0, 0));
            assertEquals(TrapCode.CALL_STACK_EXHAUSTED, t.kind());
        }
    }

    @Test
    void largeFramesAreProbedPageByPage() {
        StringBuilder locals = new StringBuilder();
        for (int k = 0; k < 1500; k++) locals.append(" i64");
        try (TestInstance i = instance("""
                (module (func $f (export "f") (param i32) (result i64) (local %s)
                  (local.set 1000 (i64.extend_i32_u (local.get 0)))
                  (if (result i64) (i32.eqz (local.get 0)) (then (i64.const 0))
                    (else (i64.add (local.get 1000) (call $f (i32.sub (local.get 0) (i32.const 1))))))))
                """.formatted(locals))) {
            assertArrayEquals(new long[] {210}, i.invoke(0, 20));
            TrapException t = assertThrows(TrapException.class, () -> i.invoke(0, 1_000_000));
            assertEquals(TrapCode.CALL_STACK_EXHAUSTED, t.kind());
        }
    }

    @Test
    void manyLocalsStartAtZeroAndParametersSurviveTheZeroing() {
        StringBuilder locals = new StringBuilder();
        StringBuilder sum = new StringBuilder("(i64.add (local.get 0) (local.get 7))");
        StringBuilder fsum = new StringBuilder("(f64.const 0)");
        for (int k = 0; k < 40; k++) {
            boolean f64 = k % 3 == 0;
            locals.append(f64 ? " f64" : " i64");
            if (f64) fsum.insert(0, "(f64.add ").append(" (local.get ").append(8 + k).append("))");
            else sum.insert(0, "(i64.add ").append(" (local.get ").append(8 + k).append("))");
        }
        try (TestInstance i = instance("""
                (module (func (export "f") (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64) (local %s)
                  (i64.add %s (i64.add (i64.trunc_f64_s %s) (local.get 3)))))
                """.formatted(locals, sum, fsum))) {
            assertArrayEquals(new long[] {1 + 8 + 4}, i.invoke(0, 1, 2, 3, 4, 5, 6, 7, 8));
        }
    }

    @Test
    void deepOperandStacksCompileInLinearTimeAndHugeFramesTrap() {
        int depth = 150_000;
        String body = "i32.const 1 i32.load8_u ".repeat(depth) + "i32.add ".repeat(depth - 1);
        long start = System.nanoTime();
        try (TestInstance i = instance("(module (memory 1) (data (i32.const 1) \"\\03\") (func (export \"f\") (result i32) "
                + body + "))")) {
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "compiling a deep stack took too long");
            // 150k spilled values (1.2 MB) need a frame larger than the 1 MiB wasm stack: a trap, not a crash
            TrapException t = assertThrows(TrapException.class, () -> i.invoke(0));
            assertEquals(TrapCode.CALL_STACK_EXHAUSTED, t.kind());
        }
        try (TestInstance i = instance("(module (memory 1) (data (i32.const 1) \"\\03\") (func (export \"f\") (result i32) "
                + "i32.const 1 i32.load8_u ".repeat(5000) + "i32.add ".repeat(4999) + "))")) {
            assertArrayEquals(new long[] {15000}, i.invoke(0));
        }
    }

    @Test
    void bitCountingFallbacksMatchJava() {
        String wat = """
                (module
                  (func (export "clz32") (param i32) (result i32) (i32.clz (local.get 0)))
                  (func (export "ctz32") (param i32) (result i32) (i32.ctz (local.get 0)))
                  (func (export "pop32") (param i32) (result i32) (i32.popcnt (local.get 0)))
                  (func (export "clz64") (param i64) (result i64) (i64.clz (local.get 0)))
                  (func (export "ctz64") (param i64) (result i64) (i64.ctz (local.get 0)))
                  (func (export "pop64") (param i64) (result i64) (i64.popcnt (local.get 0))))
                """;
        for (CpuFeatures cpu : new CpuFeatures[] {CpuFeatures.BASELINE, CpuFeatures.host()}) {
            try (TestInstance i = new TestInstance(TestInstance.load(Wat.toBinary(wat)), CompilerOptions.DEFAULT,
                    imp -> null, cpu)) {
                Random random = new Random(7);
                for (int n = 0; n < 300; n++) {
                    long x = switch (n) {
                        case 0 -> 0;
                        case 1 -> -1;
                        case 2 -> Long.MIN_VALUE;
                        default -> random.nextLong() >>> random.nextInt(64);
                    };
                    int y = (int) x;
                    long yu = y & 0xFFFF_FFFFL;
                    assertEquals(Integer.numberOfLeadingZeros(y), i.invoke(0, yu)[0], cpu + " clz32 " + y);
                    assertEquals(Integer.numberOfTrailingZeros(y), i.invoke(1, yu)[0], cpu + " ctz32 " + y);
                    assertEquals(Integer.bitCount(y), i.invoke(2, yu)[0], cpu + " popcnt32 " + y);
                    assertEquals(Long.numberOfLeadingZeros(x), i.invoke(3, x)[0], cpu + " clz64 " + x);
                    assertEquals(Long.numberOfTrailingZeros(x), i.invoke(4, x)[0], cpu + " ctz64 " + x);
                    assertEquals(Long.bitCount(x), i.invoke(5, x)[0], cpu + " popcnt64 " + x);
                }
            }
        }
    }

    @Test
    void unsignedSixtyFourBitConversionsRoundOnce() {
        try (TestInstance i = instance("""
                (module
                  (func (export "f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
                  (func (export "f64") (param i64) (result f64) (f64.convert_i64_u (local.get 0))))
                """)) {
            long[] values = {0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, 0x8000008000000001L, 0x8000000000000401L,
                    0xFFFFFF7FFFFFFFFFL, 0x0000000000FFFFFFL};
            for (long v : values) {
                java.math.BigDecimal exact = new java.math.BigDecimal(Long.toUnsignedString(v));
                float f = new java.math.BigDecimal(exact.toBigInteger()).floatValue();
                double d = exact.doubleValue();
                assertEquals(Float.floatToRawIntBits(f), (int) i.invoke(0, v)[0], "f32 of " + Long.toUnsignedString(v));
                assertEquals(Double.doubleToRawLongBits(d), i.invoke(1, v)[0], "f64 of " + Long.toUnsignedString(v));
            }
        }
    }

    @Test
    void explicitBoundsChecksTrapAtTheEdge() {
        String wat = """
                (module (memory 1)
                  (func (export "load") (param i32) (result i64) (i64.load offset=65528 (local.get 0)))
                  (func (export "store") (param i32) (i32.store8 offset=4294967295 (local.get 0) (i32.const 1))))
                """;
        for (BoundsChecks mode : BoundsChecks.values()) {
            try (TestInstance i = new TestInstance(TestInstance.load(Wat.toBinary(wat)), new CompilerOptions(mode))) {
                assertArrayEquals(new long[] {0}, i.invoke(0, 0));
                assertEquals(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS,
                        assertThrows(TrapException.class, () -> i.invoke(0, 1)).kind(), mode.toString());
                assertEquals(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS,
                        assertThrows(TrapException.class, () -> i.invoke(1, 0)).kind(), mode.toString());
            }
        }
    }

    @Test
    void codeOffsetsMapBackToFunctionsAndInstructions() {
        byte[] binary = Wat.toBinary("""
                (module
                  (func (export "a") (result i32) (i32.const 1))
                  (func (export "b") (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0))))
                """);
        var module = TestInstance.load(binary);
        MachineCode code = ModuleCompiler.compile(module, CompilerOptions.DEFAULT);
        for (int f = 0; f < 2; f++) {
            int start = code.functionOffset(f);
            assertEquals(f, code.functionAt(start));
            assertEquals(f, code.functionAt(code.functionEnd(f) - 1));
            int wasm = code.wasmOffsetAt(code.functionEnd(f) - 1);
            int bodyStart = module.codes().get(f).codeOffset();
            assertTrue(wasm >= bodyStart && wasm < bodyStart + module.codes().get(f).codeUnsafe().length,
                    "offset " + wasm + " in body at " + bodyStart);
        }
        assertEquals(-1, code.functionAt(code.entryAdapterOffset(0)));
    }
}
