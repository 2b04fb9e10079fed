package dev.isthmus.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.Caller;
import dev.isthmus.CompiledModule;
import dev.isthmus.Global;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.V128;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import dev.isthmus.options.CompilerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * v128 values across the API in both directions: export arguments and results ({@link Instance#call} and exact-typed
 * handles), host functions (typed handles and the generic form), v128 in registers and in stack slots (more than
 * eight, and a third result), and v128 globals (get/set, imported, exported, initialised from an import). The wasm
 * side re-exports imported host functions, so each call runs Java → entry adapter → host-call adapter → Java: both
 * adapters move every v128 without any SIMD instruction being compiled.
 */
class V128BoundaryTest {
    private static final String MODULE = """
            (module
              (import "h" "reverse" (func $reverse (param v128) (result v128)))
              (import "h" "add" (func $add (param i32 v128 f64 v128) (result v128)))
              (import "h" "many" (func $many (param v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 i32 f64)
                                             (result v128 v128 v128 i32)))
              (import "h" "g" (global $hg v128))
              (global (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
              (global (export "copy") v128 (global.get $hg))
              (export "reverse" (func $reverse))
              (export "add" (func $add))
              (export "many" (func $many))
              (export "hg" (global $hg)))
            """;

    static V128 reverse(V128 v) {
        int[] lanes = v.toInts();
        return V128.ofInts(lanes[3], lanes[2], lanes[1], lanes[0]);
    }

    /** i32x4 lane-wise a + b + x + (int) y. */
    static V128 add(int x, V128 a, double y, V128 b) {
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) out[i] = a.intLane(i) + b.intLane(i) + x + (int) y;
        return V128.ofInts(out);
    }

    private static final List<Object[]> MANY_CALLS = Collections.synchronizedList(new ArrayList<>());

    private static Instance instantiate(Global hostGlobal) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        FuncType manyType = new FuncType(List.of(ValType.V128, ValType.V128, ValType.V128, ValType.V128,
                ValType.V128, ValType.V128, ValType.V128, ValType.V128, ValType.V128, ValType.V128, ValType.I32,
                ValType.F64), List.of(ValType.V128, ValType.V128, ValType.V128, ValType.I32));
        Imports imports = Imports.builder()
                .function("h", "reverse", lookup.findStatic(V128BoundaryTest.class, "reverse",
                        MethodType.methodType(V128.class, V128.class)))
                .function("h", "add", lookup.findStatic(V128BoundaryTest.class, "add",
                        MethodType.methodType(V128.class, int.class, V128.class, double.class, V128.class)))
                .function("h", "many", manyType, args -> {
                    MANY_CALLS.add(args.clone());
                    // the two v128 passed on the stack, the first in a register, and the scalars after them
                    return new Object[] {args[8], args[9], args[0], (Integer) args[10] + (int) (double) (Double) args[11]};
                })
                .global("h", "g", hostGlobal)
                .build();
        CompiledModule module = Isthmus.create().compile(MODULE.getBytes(UTF_8));
        return module.instantiate(imports);
    }

    @Test
    void exportsTakeAndReturnV128() throws Throwable {
        try (Global g = Global.create(ValType.V128, false, V128.ZERO); Instance instance = instantiate(g)) {
            V128 v = V128.ofInts(1, -2, 3, Integer.MIN_VALUE);
            assertEquals(V128.ofInts(Integer.MIN_VALUE, 3, -2, 1), instance.call("reverse", v)[0]);
            MethodHandle reverse = instance.function("reverse");
            assertEquals(MethodType.methodType(V128.class, V128.class), reverse.type());
            assertEquals(v, (V128) reverse.invokeExact((V128) instance.call("reverse", v)[0]));

            MethodHandle add = instance.function("add");
            assertEquals(MethodType.methodType(V128.class, int.class, V128.class, double.class, V128.class), add.type());
            V128 sum = (V128) add.invokeExact(10, V128.ofInts(1, 2, 3, 4), 100.0, V128.ofInts(-1, -1, -1, 0x7FFF_FFFF));
            assertEquals(V128.ofInts(110, 111, 112, 0x7FFF_FFFF + 114), sum);
            // every bit pattern passes through unchanged, floats' NaN payloads too
            V128 bits = V128.ofFloats(Float.intBitsToFloat(0x7F80_0001), -0.0f, Float.intBitsToFloat(0xFFC0_1234), 1f);
            assertEquals(bits, instance.call("reverse", instance.call("reverse", bits)[0])[0]);
        }
    }

    @Test
    void v128InStackSlotsAndSeveralResults() throws Throwable {
        try (Global g = Global.create(ValType.V128, false, V128.ZERO); Instance instance = instantiate(g)) {
            Object[] args = new Object[12];
            for (int i = 0; i < 10; i++) {
                args[i] = V128.ofLongs(0x0101_0101_0101_0101L * (i + 1), -(i + 1) * 0x1_0000_0001L);
            }
            args[10] = 7;
            args[11] = 35.5;
            MANY_CALLS.clear();
            Object[] results = instance.call("many", args);
            assertArrayEquals(new Object[] {args[8], args[9], args[0], 42}, results);
            assertEquals(1, MANY_CALLS.size());
            assertArrayEquals(args, MANY_CALLS.getFirst(), "what the host function got");

            MethodHandle many = instance.function("many");
            assertEquals(Object[].class, many.type().returnType());
            assertEquals(V128.class, many.type().parameterType(9));
            Object[] again = (Object[]) many.invokeWithArguments(args);
            assertArrayEquals(results, again);
        }
    }

    @Test
    void v128Globals() {
        V128 hostValue = V128.ofLongs(-1, 0x0123_4567_89AB_CDEFL);
        try (Global host = Global.create(ValType.V128, false, hostValue); Instance instance = instantiate(host)) {
            Global g = instance.global("g");
            assertEquals(ValType.V128, g.type());
            assertEquals(V128.ofInts(1, 2, 3, 4), g.get());
            V128 next = V128.ofShorts((short) -1, (short) 2, (short) -3, (short) 4, (short) -5, (short) 6, (short) -7,
                    (short) 8);
            g.set(next);
            assertEquals(next, instance.global("g").get());
            assertEquals(hostValue, instance.global("copy").get(), "initialised from the imported global");
            assertEquals(hostValue, instance.global("hg").get(), "the imported global re-exported");
            assertEquals("a global of type v128 holds a V128, got a java.lang.Long",
                    assertThrows(IllegalArgumentException.class, () -> g.set(5L)).getMessage());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Compiled wasm functions (not only re-exported host functions) taking, returning and passing on v128. */
    private static final String WASM = """
            (module
              (import "h" "reverse" (func $reverse (param v128) (result v128)))
              (import "h" "nested" (func $nested (param i32 v128) (result v128)))
              (global $g (export "g") (mut v128) (v128.const i64x2 0 0))
              (func (export "id") (param v128) (result v128) (local.get 0))
              (func (export "tenth") (param v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 i32) (result v128)
                (local.get 9))
              (func (export "rotate") (param v128 v128 v128) (result v128 v128 v128 i32)
                (local.get 2) (local.get 0) (local.get 1) (i32.const 5))
              (func (export "lane2") (param v128) (result i32) (i32x4.extract_lane 2 (local.get 0)))
              (func (export "viaHost") (param v128) (result v128) (call $reverse (local.get 0)))
              (func (export "set") (param v128) (global.set $g (local.get 0)))
              (func (export "viaNested") (param v128) (result v128) (call $nested (i32.const 1) (local.get 0))))
            """;

    /** A host function calling back into the calling instance with a v128 (wasm → Java → wasm → Java). */
    static V128 nested(Caller caller, int depth, V128 v) {
        V128 r = (V128) caller.instance().call("viaHost", v)[0];
        return V128.ofLongs(r.low() + depth, r.high());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void wasmFunctionsTakeAndReturnV128(boolean avx) throws Throwable {
        Isthmus engine = Isthmus.builder().compilerOptions(CompilerOptions.DEFAULT.withAvx(avx)).build();
        MethodHandle reverseHandle = MethodHandles.lookup().findStatic(V128BoundaryTest.class, "reverse",
                MethodType.methodType(V128.class, V128.class));
        Imports imports = Imports.builder().function("h", "reverse", reverseHandle)
                .function("h", "nested", MethodHandles.lookup().findStatic(V128BoundaryTest.class, "nested",
                        MethodType.methodType(V128.class, Caller.class, int.class, V128.class)))
                .build();
        CompiledModule module = engine.compile(WASM.getBytes(UTF_8));
        try (Instance instance = module.instantiate(imports)) {
            V128 v = V128.ofLongs(0x0706_0504_0302_0100L, 0x8F8E_8D8C_8B8A_8988L);
            assertEquals(v, (V128) instance.function("id").invokeExact(v));
            Object[] ten = new Object[11];
            for (int i = 0; i < 10; i++) ten[i] = V128.ofInts(i, -i, i * 1000, ~i);
            ten[10] = 3;
            assertEquals(ten[9], instance.call("tenth", ten)[0]);
            V128 a = V128.ofInts(1, 2, 3, 4);
            V128 b = V128.ofFloats(Float.NaN, -0f, 1f, Float.intBitsToFloat(0x7F80_0001));
            V128 c = V128.ofDoubles(-1.5, Double.longBitsToDouble(0xFFF0_0000_0000_0002L));
            assertArrayEquals(new Object[] {c, a, b, 5}, instance.call("rotate", a, b, c));
            assertEquals(3, (int) instance.function("lane2").invokeExact(a));
            assertEquals(V128.ofInts(4, 3, 2, 1), (V128) instance.function("viaHost").invokeExact(a));
            assertEquals(V128.ofInts(5, 3, 2, 1), instance.call("viaNested", a)[0]);
            instance.call("set", c);
            assertEquals(c, instance.global("g").get());
        }
    }

    @Test
    void wrongJavaValuesAreRefusedWithTheType() throws ReflectiveOperationException {
        try (Global g = Global.create(ValType.V128, false, V128.ZERO); Instance instance = instantiate(g)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> instance.call("reverse", 5));
            assertEquals("function \"reverse\" (func (param v128) (result v128)): parameter 0 is a v128 (pass a V128), got a "
                    + "java.lang.Integer", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Global.create(ValType.V128, true, null));
        }
    }

    @Test
    void aHostFunctionReturningNoV128FailsTheCall() {
        FuncType type = new FuncType(List.of(), List.of(ValType.V128));
        Imports imports = Imports.builder().function("h", "bad", type, args -> new Object[] {42}).build();
        CompiledModule module = Isthmus.create().compile(("(module (import \"h\" \"bad\" (func (result v128)))"
                + " (export \"bad\" (func 0)))").getBytes(UTF_8));
        try (Instance instance = module.instantiate(imports)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> instance.call("bad"));
            assertEquals("host function returned a java.lang.Integer for result 0 of (func (result v128)), which takes"
                    + " a V128", e.getMessage());
        }
    }

    @Test
    void typedHostHandlesAreCheckedAgainstV128Signatures() throws ReflectiveOperationException {
        MethodHandle reverse = MethodHandles.lookup().findStatic(V128BoundaryTest.class, "reverse",
                MethodType.methodType(V128.class, V128.class));
        FuncType wrong = new FuncType(List.of(ValType.I64), List.of(ValType.V128));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Imports.builder().function("h", "r", wrong, reverse));
        assertEquals("host function h.r: parameter 0 of the handle is V128, but wasm parameter 0 of [i64] -> [v128] "
                + "is i64 (Java long)", e.getMessage());
        Imports.builder().function("h", "r", new FuncType(List.of(ValType.V128), List.of(ValType.V128)), reverse);
    }
}
