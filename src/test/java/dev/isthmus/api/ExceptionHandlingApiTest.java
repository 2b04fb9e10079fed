package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.CompiledModule;
import dev.isthmus.HostFunction;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Tag;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmThrow;
import dev.isthmus.WasmTrap;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.instance.ExnRefs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exception handling through the embedding API: exceptions leaving wasm as {@link WasmThrow} with their tag and
 * payload, host-made tags, host functions throwing wasm exceptions, wasm exceptions crossing host frames and
 * instances, exnref values at the boundary, and many throws in a row leaking neither stack nor handles.
 */
class ExceptionHandlingApiTest {
    private static final FuncType I32_TAG = FuncType.of(List.of(ValType.I32), List.of());

    private static CompiledModule compile(Tier tier, String wat) {
        return Isthmus.builder().tier(tier).build().compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void uncaughtExceptionLeavesAsWasmThrowWithTagAndPayload(Tier tier) {
        try (Instance instance = compile(tier, """
                (module
                  (tag $e (export "e") (param i32 f64 i64))
                  (func (export "throw") (param i32)
                    (throw $e (local.get 0) (f64.const 2.5) (i64.const -7))))
                """).instantiate()) {
            WasmThrow thrown = assertThrows(WasmThrow.class, () -> instance.call("throw", 42));
            assertEquals(instance.tag("e"), thrown.tag());
            assertArrayEquals(new Object[] {42, 2.5, -7L}, thrown.payload());
            assertEquals(FuncType.of(List.of(ValType.I32, ValType.F64, ValType.I64), List.of()), thrown.tag().type());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void trapsAreNotCaughtByCatchAll(Tier tier) {
        try (Instance instance = compile(tier, """
                (module
                  (func (export "f") (result i32)
                    (block $h (try_table (catch_all $h) (unreachable))) (i32.const 1)))
                """).instantiate()) {
            assertEquals(TrapKind.UNREACHABLE, assertThrows(WasmTrap.class, () -> instance.call("f")).kind());
        }
    }

    /** A tag made in Java, imported; a host function throws an exception of it, wasm catches it by the tag. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostFunctionThrowsAWasmExceptionThatWasmCatches(Tier tier) {
        Tag tag = new Tag(I32_TAG);
        Tag other = new Tag(I32_TAG);
        CompiledModule module = compile(tier, """
                (module
                  (tag $t (import "host" "t") (param i32))
                  (func $h (import "host" "h") (param i32))
                  (func (export "f") (param i32) (result i32)
                    (block $caught (result i32)
                      (try_table (catch $t $caught) (call $h (local.get 0)))
                      (i32.const -1))
                    (i32.const 1) (i32.add)))
                """);
        HostFunction throwing = args -> {
            throw new WasmThrow((int) args[0] < 0 ? other : tag, args[0]);
        };
        Imports imports = Imports.builder().tag("host", "t", tag)
                .function("host", "h", FuncType.of(List.of(ValType.I32), List.of()), throwing).build();
        try (Instance instance = module.instantiate(imports)) {
            assertEquals(8, instance.call("f", 7)[0]);
            // another tag with the same type is another tag: not caught, it reaches Java unchanged
            WasmThrow uncaught = assertThrows(WasmThrow.class, () -> instance.call("f", -3));
            assertEquals(other, uncaught.tag());
            assertNotEquals(tag, uncaught.tag());
            assertArrayEquals(new Object[] {-3}, uncaught.payload());
        }
    }

    /** A Java exception from a host function is not a wasm exception: catch_all does not see it (as wasmtime). */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void javaExceptionsOfHostFunctionsAreNotCatchable(Tier tier) {
        CompiledModule module = compile(tier, """
                (module
                  (func $h (import "host" "h"))
                  (func (export "f") (result i32)
                    (block $all (try_table (catch_all $all) (call $h)) (return (i32.const 0)))
                    (i32.const 1)))
                """);
        HostFunction failing = args -> {
            throw new IllegalStateException("from Java");
        };
        Imports imports = Imports.builder().function("host", "h", FuncType.of(List.of(), List.of()), failing).build();
        try (Instance instance = module.instantiate(imports)) {
            assertEquals("from Java", assertThrows(IllegalStateException.class, () -> instance.call("f")).getMessage());
        }
    }

    /**
     * wasm → host → wasm: the inner wasm throws, the host function lets it pass, the outer wasm frames catch it;
     * the tag and the throwing function come from another instance (a throw unwinds across instances).
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void exceptionsCrossHostFramesAndInstances(Tier tier) {
        try (Instance thrower = compile(tier, """
                (module
                  (tag $e (export "e") (param i32))
                  (func (export "throw") (param i32) (throw $e (local.get 0))))
                """).instantiate()) {
            CompiledModule outer = compile(tier, """
                    (module
                      (tag $e (import "a" "e") (param i32))
                      (func $host (import "host" "call-thrower") (param i32))
                      (func $direct (import "a" "throw") (param i32))
                      (func (export "via-host") (param i32) (result i32)
                        (block $c (result i32)
                          (try_table (catch $e $c) (call $host (local.get 0)))
                          (i32.const -1)))
                      (func (export "direct") (param i32) (result i32)
                        (block $c (result i32)
                          (try_table (catch $e $c) (call $direct (local.get 0)))
                          (i32.const -1))))
                    """);
            HostFunction callThrower = args -> thrower.call("throw", args[0]);
            Imports imports = Imports.builder().instance("a", thrower)
                    .function("host", "call-thrower", FuncType.of(List.of(ValType.I32), List.of()), callThrower)
                    .build();
            try (Instance instance = outer.instantiate(imports)) {
                assertEquals(5, instance.call("via-host", 5)[0]);
                assertEquals(6, instance.call("direct", 6)[0]);
            }
        }
    }

    /** An exnref leaves to Java as the exception object, and a Java exnref argument can be rethrown by wasm. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void exnrefCrossesTheBoundary(Tier tier) {
        try (Instance instance = compile(tier, """
                (module
                  (tag $e (export "e") (param i32))
                  (func (export "catch") (param i32) (result exnref)
                    (block $c (result exnref)
                      (try_table (catch_all_ref $c) (throw $e (local.get 0)))
                      (unreachable)))
                  (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
                  (func (export "null") (result exnref) (ref.null exn)))
                """).instantiate()) {
            WasmThrow caught = (WasmThrow) instance.call("catch", 11)[0];
            assertEquals(instance.tag("e"), caught.tag());
            assertArrayEquals(new Object[] {11}, caught.payload());
            assertSame(caught, assertThrows(WasmThrow.class, () -> instance.call("rethrow", caught)));
            WasmThrow fromJava = new WasmThrow(instance.tag("e"), 99);
            assertSame(fromJava, assertThrows(WasmThrow.class, () -> instance.call("rethrow", fromJava)));
            assertEquals(null, instance.call("null")[0]);
            assertEquals(TrapKind.NULL_REFERENCE,
                    assertThrows(WasmTrap.class, () -> instance.call("rethrow", (Object) null)).kind());
        }
    }

    /**
     * Throw and catch 200,000 times inside one call, 10 frames deep (try_table, then a legacy try), and 20,000 uncaught throws from Java: nothing
     * grows (a catch without _ref makes no exnref handle), and a deep recursion still fits on the stack afterwards.
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void manyThrowsLeakNeitherStackNorHandles(Tier tier) {
        try (Instance instance = compile(tier, """
                (module
                  (tag $e (param i32))
                  (func $deep (param i32 i32)
                    (if (i32.eqz (local.get 0)) (then (throw $e (local.get 1))))
                    (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))
                  (func (export "loop") (param i32) (result i32) (local $sum i32)
                    (loop $next
                      (block $c (result i32)
                        (try_table (catch $e $c) (call $deep (i32.const 10) (local.get 0)))
                        (unreachable))
                      (local.set $sum (i32.add (local.get $sum)))
                      (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                    (local.get $sum))
                  (func (export "legacy-loop") (param i32) (result i32) (local $sum i32)
                    (loop $next
                      (try (result i32)
                        (do (call $deep (i32.const 10) (local.get 0)) (unreachable))
                        (catch $e))
                      (local.set $sum (i32.add (local.get $sum)))
                      (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                    (local.get $sum))
                  (func (export "uncaught") (call $deep (i32.const 3) (i32.const 1)))
                  (func $rec (export "recurse") (param i32) (result i32)
                    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                      (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1))))))))
                """).instantiate()) {
            int handles = ExnRefs.count();
            long n = 200_000;
            assertEquals((int) (n * (n + 1) / 2), instance.call("loop", (int) n)[0]);
            assertEquals((int) (n * (n + 1) / 2), instance.call("legacy-loop", (int) n)[0]);
            for (int i = 0; i < 20_000; i++) assertThrows(WasmThrow.class, () -> instance.call("uncaught"));
            assertEquals(handles, ExnRefs.count());
            assertEquals(20_000, instance.call("recurse", 20_000)[0]);
        }
    }

    /**
     * The catching frame gets its callee-saved registers back: its locals live in rbx, r12-r14 (baseline), the
     * functions between it and the throw keep their own values in the same registers (saved by their prologues,
     * restored by the dispatch from the unwind tables' saved-register rules).
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void catchingFrameKeepsItsRegisters(Tier tier) {
        try (Instance instance = compile(tier, """
                (module
                  (tag $e (param i32))
                  (func $thrower (param i32) (if (i32.and (local.get 0) (i32.const 1)) (then (throw $e (local.get 0)))))
                  (func $middle (param i32) (result i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)
                    (local.set $a (i32.mul (local.get 0) (i32.const 3)))
                    (local.set $b (i32.mul (local.get 0) (i32.const 5)))
                    (local.set $c (i32.mul (local.get 0) (i32.const 7)))
                    (local.set $d (i32.mul (local.get 0) (i32.const 11)))
                    (call $thrower (local.get 0))
                    (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d))))
                  (func (export "f") (param i32) (result i32) (local $x i32) (local $y i32) (local $z i32) (local $w i32)
                    (local.set $x (i32.add (local.get 0) (i32.const 1)))
                    (local.set $y (i32.add (local.get 0) (i32.const 2)))
                    (local.set $z (i32.add (local.get 0) (i32.const 3)))
                    (local.set $w (i32.add (local.get 0) (i32.const 4)))
                    (i32.add
                      (block $c (result i32)
                        (try_table (result i32) (catch $e $c) (call $middle (local.get 0))))
                      (i32.add (i32.add (i32.mul (local.get $x) (i32.const 1000)) (i32.mul (local.get $y) (i32.const 100)))
                               (i32.add (i32.mul (local.get $z) (i32.const 10)) (local.get $w))))))
                """).instantiate()) {
            for (int p = 0; p < 8; p++) {
                int locals = (p + 1) * 1000 + (p + 2) * 100 + (p + 3) * 10 + (p + 4);
                int inner = (p & 1) == 1 ? p : 26 * p;
                assertEquals(inner + locals, instance.call("f", p)[0], "p = " + p);
            }
        }
    }

    /** Threads throw and catch at once: each has its own dispatch buffer and stack. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void threadsThrowAtOnce(Tier tier) throws Exception {
        try (Instance instance = compile(tier, """
                (module
                  (tag $e (param i32))
                  (func $deep (param i32 i32)
                    (if (i32.eqz (local.get 0)) (then (throw $e (local.get 1))))
                    (call $deep (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))
                  (func (export "loop") (param i32) (result i32) (local $sum i32)
                    (loop $next
                      (block $c (result i32)
                        (try_table (catch $e $c) (call $deep (i32.const 5) (local.get 0)))
                        (unreachable))
                      (local.set $sum (i32.add (local.get $sum)))
                      (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                    (local.get $sum)))
                """).instantiate()) {
            java.util.List<java.util.concurrent.Future<Object>> results = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (int t = 0; t < 4; t++) {
                    int n = 20_000 + t;
                    results.add(pool.submit(() -> instance.call("loop", n)[0]));
                }
                for (int t = 0; t < 4; t++) {
                    long n = 20_000 + t;
                    assertEquals((int) (n * (n + 1) / 2), results.get(t).get());
                }
            }
        }
    }

    /**
     * A try in unreachable code is skipped as a block (the optimizing tier counted only block, loop and if, so the
     * try's end closed the if around it and the else that followed failed: found by the binaryen EH corpus).
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void triesInUnreachableCodeAreSkippedAsBlocks(Tier tier) {
        try (Instance instance = compile(tier, """
                (module
                  (tag $e)
                  (func (export "f") (param i32) (result i32)
                    (if (result i32) (local.get 0)
                      (then (unreachable) (block $b (try_table (catch_all $b) (nop))) (i32.const 1))
                      (else (i32.const 2))))
                  (func (export "g") (param i32) (result i32)
                    (if (result i32) (local.get 0)
                      (then (unreachable) (try (do (nop)) (delegate 0)) (try (do) (catch $e)) (i32.const 1))
                      (else (i32.const 3)))))
                """).instantiate()) {
            assertEquals(2, instance.call("f", 0)[0]);
            assertEquals(3, instance.call("g", 0)[0]);
        }
    }

    /** Code files keep the handler tables: a module with a try_table loads and catches (more in CodeFileTest). */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void codeFilesKeepExceptionHandlers(Tier tier) {
        CompiledModule module = compile(tier, """
                (module (tag $e) (func (export "f") (result i32)
                  (block $h (try_table (catch $e $h) (throw $e))) (i32.const 5)))
                """);
        try (Instance instance = Isthmus.builder().tier(tier).build().deserialize(module.serialize()).instantiate()) {
            assertEquals(5, instance.call("f")[0]);
        }
    }
}
