package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.options.BoundsChecks;
import dev.isthmus.CompiledModule;
import dev.isthmus.FunctionRef;
import dev.isthmus.Global;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import dev.isthmus.Table;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The API with Isthmus's compiler: values of every type, host functions, traps, backtraces, threads. */
class CompiledCodeTest {
    private static final Isthmus ENGINE = Isthmus.create();

    private static CompiledModule compile(String wat) {
        return ENGINE.compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void valuesOfEveryNumericTypeRoundTrip() throws Throwable {
        try (Instance instance = compile("""
                (module
                  (func (export "mix") (param i32 i64 f32 f64) (result f64)
                    local.get 0 f64.convert_i32_s local.get 1 f64.convert_i64_s f64.add
                    local.get 2 f64.promote_f32 f64.add local.get 3 f64.add)
                  (func (export "swap") (param i32 i64) (result i64 i32) local.get 1 local.get 0)
                  (func (export "nanBits") (param f32) (result f32) local.get 0))
                """).instantiate()) {
            MethodHandle mix = instance.function("mix");
            assertEquals(MethodType.methodType(double.class, int.class, long.class, float.class, double.class),
                    mix.type());
            assertEquals(10.5, (double) mix.invokeExact(1, 2L, 3.5f, 4.0));
            assertArrayEquals(new Object[] {7L, 3}, (Object[]) instance.function("swap").invokeExact(3, 7L));
            float signalingNan = Float.intBitsToFloat(0x7FA0_0001);
            float back = (float) instance.function("nanBits").invokeExact(signalingNan);
            assertEquals(0x7FA0_0001, Float.floatToRawIntBits(back));
        }
    }

    static long scale(long x, double factor) {
        return (long) (x * factor);
    }

    @Test
    void hostFunctionsOfEveryFormAndReentry() throws Throwable {
        MethodHandle scale = MethodHandles.lookup().findStatic(CompiledCodeTest.class, "scale",
                MethodType.methodType(long.class, long.class, double.class));
        Instance[] self = new Instance[1];
        Imports imports = Imports.builder()
                .function("env", "scale", scale)
                .function("env", "pair", new FuncType(List.of(ValType.I32), List.of(ValType.I32, ValType.F64)),
                        args -> new Object[] {(int) args[0] + 1, 0.5})
                .function("env", "again", new FuncType(List.of(ValType.I32), List.of(ValType.I32)),
                        args -> new Object[] {(int) args[0] <= 0 ? 0
                                : (int) args[0] + (int) self[0].call("viaHost", (int) args[0] - 1)[0]})
                .build();
        try (Instance instance = compile("""
                (module
                  (import "env" "scale" (func $scale (param i64 f64) (result i64)))
                  (import "env" "pair" (func $pair (param i32) (result i32 f64)))
                  (import "env" "again" (func $again (param i32) (result i32)))
                  (func (export "scaled") (param i64) (result i64) local.get 0 f64.const 2.5 call $scale)
                  (func (export "pairSum") (param i32) (result f64)
                    local.get 0 call $pair local.set 1 f64.convert_i32_s local.get 1 f64.add)
                  (func (export "viaHost") (param i32) (result i32) local.get 0 call $again))
                """.replace("(param i32) (result f64)\n", "(param i32) (result f64) (local f64)\n"))
                .instantiate(imports)) {
            self[0] = instance;
            assertEquals(25L, (long) instance.function("scaled").invokeExact(10L));
            assertEquals(4.5, (double) instance.function("pairSum").invokeExact(3));
            assertEquals(5050, (int) instance.function("viaHost").invokeExact(100));
        }
    }

    static void overflow(int depth) {
        overflow(depth + 1);
    }

    @Test
    void hostExceptionsPropagateAndJavaStackOverflowIsATrap() throws Throwable {
        MethodHandle overflow = MethodHandles.lookup().findStatic(CompiledCodeTest.class, "overflow",
                MethodType.methodType(void.class, int.class));
        IllegalArgumentException thrown = new IllegalArgumentException("no");
        Imports imports = Imports.builder()
                .function("env", "overflow", overflow)
                .function("env", "fail", new FuncType(List.of(), List.of()), args -> {
                    throw thrown;
                }).build();
        try (Instance instance = compile("""
                (module (import "env" "overflow" (func $o (param i32))) (import "env" "fail" (func $f))
                  (func (export "overflow") i32.const 0 call $o) (func (export "fail") call $f))
                """).instantiate(imports)) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("overflow"));
            assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
            assertFalse(trap.backtrace().isEmpty(), trap::describe);
            assertSame(thrown, assertThrows(IllegalArgumentException.class, () -> instance.call("fail")));
            assertEquals(TrapKind.CALL_STACK_EXHAUSTED,
                    assertThrows(WasmTrap.class, () -> instance.call("overflow")).kind());
        }
    }

    @Test
    void trapsCarryANamedBacktraceAndExhaustionIsATrap() {
        try (Instance instance = compile("""
                (module
                  (func $inner (param i32) (result i32) local.get 0 i32.const 0 i32.div_u)
                  (func $outer (export "outer") (param i32) (result i32) local.get 0 call $inner)
                  (func $forever (export "forever") call $forever))
                """).instantiate()) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("outer", 1));
            assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, trap.kind());
            assertEquals(2, trap.backtrace().size(), trap.describe());
            assertEquals(Optional.of("inner"), trap.backtrace().get(0).name());
            assertEquals(Optional.of("outer"), trap.backtrace().get(1).name());
            assertTrue(trap.backtrace().get(0).codeOffset() > 0);
            for (int i = 0; i < 3; i++) {
                assertEquals(TrapKind.CALL_STACK_EXHAUSTED,
                        assertThrows(WasmTrap.class, () -> instance.call("forever")).kind());
            }
            assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO,
                    assertThrows(WasmTrap.class, () -> instance.call("outer", 4)).kind());
        }
    }

    @Test
    void referencesTablesAndImportedObjects() throws Throwable {
        try (Table table = Table.create(ValType.EXTERNREF, 2, 4);
             Global counter = Global.create(ValType.I64, true, 5L);
             Memory memory = Memory.create(1, 2)) {
            Imports imports = Imports.builder().table("env", "t", table).global("env", "g", counter)
                    .memory("env", "m", memory).build();
            try (Instance instance = compile("""
                    (module
                      (import "env" "t" (table 2 externref)) (import "env" "g" (global $g (mut i64)))
                      (import "env" "m" (memory 1))
                      (table $f (export "funcs") 1 funcref) (elem (table $f) (i32.const 0) func $id)
                      (func $id (export "id") (param externref) (result externref) local.get 0)
                      (func (export "put") (param i32 externref) local.get 0 local.get 1 table.set 0)
                      (func (export "bump") global.get $g i64.const 1 i64.add global.set $g)
                      (func (export "grow") (result i32) i32.const 1 memory.grow)
                      (func (export "ref") (result funcref) i32.const 0 table.get $f))
                    """).instantiate(imports)) {
                Object token = new Object();
                assertSame(token, (Object) instance.function("id").invokeExact(token));
                assertNull((Object) instance.function("id").invokeExact((Object) null));
                instance.function("put").invokeExact(1, (Object) "hello");
                assertEquals("hello", table.get(1));
                instance.function("bump").invokeExact();
                assertEquals(6L, counter.get());
                assertEquals(1, (int) instance.function("grow").invokeExact());
                assertEquals(2, memory.pages());
                FunctionRef ref = (FunctionRef) instance.function("ref").invokeExact();
                assertInstanceOf(FunctionRef.class, ref);
                assertEquals(ref, instance.table("funcs").get(0));
            }
        }
    }

    @Test
    void explicitBoundsChecksTrapToo() {
        Isthmus explicit = Isthmus.builder().boundsChecks(BoundsChecks.EXPLICIT).build();
        try (Instance instance = explicit.compile("""
                (module (memory 1 2) (func (export "load") (param i32) (result i32) local.get 0 i32.load))
                """.getBytes(StandardCharsets.UTF_8)).instantiate()) {
            assertArrayEquals(new Object[] {0}, instance.call("load", 65532));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS,
                    assertThrows(WasmTrap.class, () -> instance.call("load", 65533)).kind());
        }
    }

    @Test
    void oneCompiledModuleServesManyThreads() throws Exception {
        CompiledModule module = compile("""
                (module (memory 1) (global $n (mut i32) (i32.const 0))
                  (func (export "work") (param i32) (result i32) (local i32)
                    (loop $l local.get 1 local.get 0 i32.add local.set 1
                      local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l)
                    i32.const 8 local.get 1 i32.store i32.const 8 i32.load))
                """);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    int sum = 0;
                    for (int i = 0; i < 50; i++) {
                        try (Instance instance = module.instantiate()) {
                            sum += (int) instance.call("work", 100)[0];
                        }
                    }
                    return sum;
                }));
            }
            for (Future<Integer> r : results) assertEquals(50 * 5050, r.get());
        } finally {
            pool.shutdown();
        }
        try (var virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object[]>> results = new ArrayList<>();
            try (Instance instance = module.instantiate()) {
                for (int t = 0; t < 100; t++) results.add(virtual.submit(() -> instance.call("work", 10)));
                for (Future<Object[]> r : results) assertEquals(55, r.get()[0]);
            }
        }
    }
}
