package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.Caller;
import dev.isthmus.HostException;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free paths across the boundary (issue #14): export handles of number types
 * ({@code runtime.instance.DirectCalls}) and host functions from number-typed handles ({@code RawSlots}), checked
 * value by value against the boxing paths they replace — every number type in both directions, NaN payloads kept,
 * 0 to 8 parameters and the 9-parameter fallback, traps, host exceptions and closed instances.
 */
class DirectBoundaryTest {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private static final String WAT = """
            (module
              (import "env" "mix" (func $mix (param i32 i64 f32 f64) (result f64)))
              (import "env" "f32id" (func $f32id (param f32) (result f32)))
              (import "env" "i64id" (func $i64id (param i64) (result i64)))
              (import "env" "fail" (func $fail (param i32)))
              (import "env" "withCaller" (func $withCaller (param i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "none"))
              (func (export "one") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
              (func (export "sum8") (param i32 i64 f32 f64 i32 i64 f32 f64) (result f64)
                (f64.add
                  (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
                           (f64.add (f64.promote_f32 (local.get 2)) (local.get 3)))
                  (f64.add (f64.add (f64.convert_i32_s (local.get 4)) (f64.convert_i64_s (local.get 5)))
                           (f64.add (f64.promote_f32 (local.get 6)) (local.get 7)))))
              (func (export "sum9") (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
                (i32.add (local.get 0) (i32.add (local.get 1) (i32.add (local.get 2) (i32.add (local.get 3)
                  (i32.add (local.get 4) (i32.add (local.get 5) (i32.add (local.get 6)
                  (i32.add (local.get 7) (local.get 8))))))))))
              (func (export "f32bits") (param f32) (result f32) (local.get 0))
              (func (export "u32") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
              (func (export "callMix") (param i32 i64 f32 f64) (result f64)
                (call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
              (func (export "callF32") (param f32) (result f32) (call $f32id (local.get 0)))
              (func (export "callI64") (param i64) (result i64) (call $i64id (local.get 0)))
              (func (export "callFail") (param i32) (call $fail (local.get 0)))
              (func (export "callWithCaller") (param i32) (result i32) (call $withCaller (local.get 0)))
              (func (export "trap") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
            """;

    static double mix(int a, long b, float c, double d) {
        return a * 1000.0 + b * 100.0 + c * 10.0 + d;
    }

    static float f32id(float x) {
        return x;
    }

    static long i64id(long x) {
        return x;
    }

    static void fail(int kind) throws IOException {
        if (kind == 1) throw new IOException("checked from the host");
        throw new IllegalArgumentException("unchecked from the host");
    }

    static int withCaller(Caller caller, int x) {
        return caller.memory().readInt(0) + x;
    }

    private static Instance instance() throws ReflectiveOperationException {
        Imports imports = Imports.builder()
                .function("env", "mix", LOOKUP.findStatic(DirectBoundaryTest.class, "mix",
                        MethodType.methodType(double.class, int.class, long.class, float.class, double.class)))
                .function("env", "f32id", LOOKUP.findStatic(DirectBoundaryTest.class, "f32id",
                        MethodType.methodType(float.class, float.class)))
                .function("env", "i64id", LOOKUP.findStatic(DirectBoundaryTest.class, "i64id",
                        MethodType.methodType(long.class, long.class)))
                .function("env", "fail", LOOKUP.findStatic(DirectBoundaryTest.class, "fail",
                        MethodType.methodType(void.class, int.class)))
                .function("env", "withCaller", LOOKUP.findStatic(DirectBoundaryTest.class, "withCaller",
                        MethodType.methodType(int.class, Caller.class, int.class)))
                .build();
        return Isthmus.create().compile(WAT.getBytes(StandardCharsets.UTF_8)).instantiate(imports);
    }

    @Test
    void exportsOfEveryNumberTypeAgreeWithTheBoxingPath() throws Throwable {
        try (Instance instance = instance()) {
            instance.function("none").invokeExact();
            assertEquals(-21, (int) instance.function("one").invokeExact(-7));
            double direct = (double) instance.function("sum8").invokeExact(1, 2L, 3.5f, 4.25, -5, -6L, 7.5f, 0.125);
            assertEquals(instance.call("sum8", 1, 2L, 3.5f, 4.25, -5, -6L, 7.5f, 0.125)[0], direct);
            assertEquals(7.375, direct);
            // nine parameters: the boxing path, same answers
            assertEquals(45, (int) instance.function("sum9").invokeExact(1, 2, 3, 4, 5, 6, 7, 8, 9));
            // an i32 argument arrives as 32 bits (no sign extension into the high half)
            assertEquals(0xFFFF_FFFFL, (long) instance.function("u32").invokeExact(-1));
            float signaling = Float.intBitsToFloat(0x7FA0_0001);
            assertEquals(0x7FA0_0001,
                    Float.floatToRawIntBits((float) instance.function("f32bits").invokeExact(signaling)));
        }
    }

    @Test
    void hostFunctionsOfEveryNumberType() throws Throwable {
        try (Instance instance = instance()) {
            assertEquals(mix(3, -4L, 2.5f, 0.75),
                    (double) instance.function("callMix").invokeExact(3, -4L, 2.5f, 0.75));
            float quiet = Float.intBitsToFloat(0x7FC1_2345);
            assertEquals(0x7FC1_2345,
                    Float.floatToRawIntBits((float) instance.function("callF32").invokeExact(quiet)));
            assertEquals(Long.MIN_VALUE + 5, (long) instance.function("callI64").invokeExact(Long.MIN_VALUE + 5));
            instance.memory("memory").writeInt(0, 40);
            assertEquals(42, (int) instance.function("callWithCaller").invokeExact(2));
        }
    }

    @Test
    void trapsAndHostExceptionsCrossTheDirectPaths() throws Throwable {
        try (Instance instance = instance()) {
            MethodHandle trap = instance.function("trap");
            WasmTrap trapped = assertThrows(WasmTrap.class, () -> {
                int ignored = (int) trap.invokeExact(0);
            });
            assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, trapped.kind());
            assertEquals(1, (int) trap.invokeExact(1));                      // usable after the trap
            MethodHandle callFail = instance.function("callFail");
            HostException checked = assertThrows(HostException.class, () -> {
                callFail.invokeExact(1);
            });
            assertEquals("checked from the host", checked.getCause().getMessage());
            IllegalArgumentException unchecked = assertThrows(IllegalArgumentException.class, () -> {
                callFail.invokeExact(2);
            });
            assertEquals("unchecked from the host", unchecked.getMessage());
        }
    }

    @Test
    void aHandleOfAClosedInstanceRefusesBeforeRunning() throws Throwable {
        Instance instance = instance();
        MethodHandle one = instance.function("one");
        assertEquals(3, (int) one.invokeExact(1));
        instance.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> {
            int ignored = (int) one.invokeExact(1);
        });
        assertEquals("instance is closed", closed.getMessage());
        assertSame(closed.getClass(), IllegalStateException.class);
    }
}
