package dev.isthmus.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

/**
 * Tail calls run in constant stack space in every case: across instances (imports, {@code return_call_indirect}),
 * to callees with more stack arguments than the caller, and to host functions. A million-deep chain would exhaust
 * the 1 MiB wasm stack if any of them were a call + return.
 */
class TailCallStackTest {
    private static final long DEPTH = 1_000_000;
    private static final Isthmus ENGINE = Isthmus.create();

    private static CompiledModule compile(String wat) {
        return ENGINE.compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    /** B: g(n, acc) tail-calls table[0] (filled by A); exports its table. */
    private static final String TABLE_OWNER = """
            (module
              (type $t (func (param i64 i64) (result i64)))
              (table (export "t") 1 funcref)
              (func (export "g") (param $n i64) (param $acc i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n))
                  (then (local.get $acc))
                  (else (return_call_indirect (type $t)
                    (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 2)) (i32.const 0))))))
            """;

    /** A: f(n, acc) tail-calls B's g (an import); puts f into B's table; caller(n) calls f and adds 1. */
    private static final String IMPORTER = """
            (module
              (type $t (func (param i64 i64) (result i64)))
              (import "b" "g" (func $g (type $t)))
              (import "b" "t" (table 1 funcref))
              (elem (i32.const 0) $f)
              (func $f (export "f") (type $t)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (local.get 1))
                  (else (return_call $g (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 1))))))
              (func (export "viaImport") (param i64) (result i64)
                (i64.add (call $g (local.get 0) (i64.const 0)) (i64.const 1)))
              (func (export "direct") (param i64) (result i64)
                (i64.add (call $f (local.get 0) (i64.const 0)) (i64.const 1))))
            """;

    @Test
    void mutualRecursionBetweenInstancesThroughImportAndTable() {
        try (Instance b = compile(TABLE_OWNER).instantiate();
             Instance a = compile(IMPORTER).instantiate(Imports.builder().instance("b", b).build())) {
            // f and g alternate: half the steps add 1, half add 2
            assertArrayEquals(new Object[] {DEPTH / 2 * 3}, a.call("f", DEPTH, 0L));
            assertArrayEquals(new Object[] {DEPTH / 2 * 3}, b.call("g", DEPTH, 0L));
            assertArrayEquals(new Object[] {DEPTH / 2 * 3 + 1}, a.call("viaImport", DEPTH));
            assertArrayEquals(new Object[] {DEPTH / 2 * 3 + 1}, a.call("direct", DEPTH));
        }
    }

    /** f has 2 parameters, h 10 (4 of them on the stack); they tail-call each other, directly and indirectly. */
    private static final String WIDE = """
            (module
              (type $narrow (func (param i64 i64) (result i64)))
              (type $wide (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
              (table 2 funcref)
              (elem (i32.const 0) $f $h)
              (func $f (export "f") (type $narrow)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (local.get 1))
                  (else (return_call $h (i64.sub (local.get 0) (i64.const 1)) (local.get 1)
                    (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4)
                    (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8)))))
              (func $h (type $wide)
                (return_call $f (local.get 0) (i64.add (local.get 1)
                  (i64.add (i64.add (i64.add (local.get 2) (local.get 3)) (i64.add (local.get 4) (local.get 5)))
                    (i64.add (i64.add (local.get 6) (local.get 7)) (i64.add (local.get 8) (local.get 9)))))))
              (func $fi (export "fi") (type $narrow)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (local.get 1))
                  (else (return_call_indirect (type $wide) (i64.sub (local.get 0) (i64.const 1)) (local.get 1)
                    (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4)
                    (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (i32.const 1)))))
              (func (export "caller") (param i64) (result i64)
                (i64.add (call $f (local.get 0) (i64.const 0)) (i64.const 1)))
              (func (export "wideEntry") (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (return_call $h (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
                  (local.get 5) (local.get 6) (local.get 7) (local.get 8) (local.get 9))))
            """;

    @Test
    void calleeWithMoreStackArgumentsBothWays() {
        try (Instance w = compile(WIDE).instantiate()) {
            assertArrayEquals(new Object[] {DEPTH * 36}, w.call("f", DEPTH, 0L));
            assertArrayEquals(new Object[] {DEPTH * 36 + 1}, w.call("caller", DEPTH));
            // fi steps through h (indirectly), h continues with f
            assertArrayEquals(new Object[] {DEPTH * 36}, w.call("fi", DEPTH, 0L));
            assertArrayEquals(new Object[] {DEPTH * 36 + 100 + 36}, w.call("wideEntry", DEPTH, 100L,
                    1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L));
        }
    }

    /** An importer whose narrow function tail-calls another instance's wide export. */
    @Test
    void wideCalleeInAnotherInstance() {
        String importer = """
                (module
                  (import "w" "wideEntry" (func $h (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
                  (func $k (export "k") (param i64 i64) (result i64)
                    (return_call $h (local.get 0) (local.get 1) (i64.const 1) (i64.const 2) (i64.const 3)
                      (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8)))
                  (func (export "callsK") (param i64) (result i64)
                    (i64.add (call $k (local.get 0) (i64.const 0)) (i64.const 1))))
                """;
        // calls k through an import (a func ref) in a loop: each call returns with rsp lowered, reset by the caller
        String looper = """
                (module
                  (import "i" "k" (func $k (param i64 i64) (result i64)))
                  (func (export "loop") (param i64) (result i64) (local i64)
                    (loop $l
                      (local.set 1 (i64.add (local.get 1) (call $k (i64.const 1) (i64.const 0))))
                      (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
                      (br_if $l (i64.ne (local.get 0) (i64.const 0))))
                    (local.get 1)))
                """;
        try (Instance w = compile(WIDE).instantiate();
             Instance i = compile(importer).instantiate(Imports.builder().instance("w", w).build());
             Instance l = compile(looper).instantiate(Imports.builder().instance("i", i).build())) {
            assertArrayEquals(new Object[] {DEPTH * 36 + 36}, i.call("k", DEPTH, 0L));
            for (int round = 0; round < 3; round++) {
                assertArrayEquals(new Object[] {DEPTH * 36 + 37}, i.call("callsK", DEPTH));
            }
            assertArrayEquals(new Object[] {100_000L * 72}, l.call("loop", 100_000L));
        }
    }

    static long sum10(long a, long b, long c, long d, long e, long f, long g, long h, long i, long j) {
        return a + b + c + d + e + f + g + h + i + j;
    }

    static long twice(long x) {
        return 2 * x;
    }

    @Test
    void tailCallsToHostFunctions() throws ReflectiveOperationException {
        MethodHandle sum = MethodHandles.lookup().findStatic(TailCallStackTest.class, "sum10",
                MethodType.methodType(long.class, long.class, long.class, long.class, long.class, long.class,
                        long.class, long.class, long.class, long.class, long.class));
        MethodHandle twice = MethodHandles.lookup().findStatic(TailCallStackTest.class, "twice",
                MethodType.methodType(long.class, long.class));
        String wat = """
                (module
                  (import "env" "twice" (func $twice (param i64) (result i64)))
                  (import "env" "sum" (func $sum (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
                  (func $count (export "count") (param i64 i64) (result i64)
                    (if (result i64) (i64.eqz (local.get 0))
                      (then (return_call $twice (local.get 1)))
                      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                        (i64.add (local.get 1) (i64.const 1))))))
                  (func $wide (export "wide") (param i64 i64) (result i64)
                    (return_call $sum (local.get 0) (local.get 1) (i64.const 1) (i64.const 2) (i64.const 3)
                      (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8)))
                  (func (export "loop") (param i64) (result i64) (local i64)
                    (loop $l
                      (local.set 1 (i64.add (local.get 1) (call $wide (local.get 0) (i64.const 0))))
                      (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
                      (br_if $l (i64.ne (local.get 0) (i64.const 0))))
                    (local.get 1)))
                """;
        Imports imports = Imports.builder().function("env", "twice", twice).function("env", "sum", sum).build();
        try (Instance i = compile(wat).instantiate(imports)) {
            assertArrayEquals(new Object[] {2 * DEPTH}, i.call("count", DEPTH, 0L));
            assertArrayEquals(new Object[] {47L}, i.call("wide", 10L, 1L));
            // 10000 non-tail calls of a function whose tail call grows the argument area: rsp is reset each time
            assertArrayEquals(new Object[] {10000L * 10001 / 2 + 36 * 10000L}, i.call("loop", 10000L));
        }
    }

    /**
     * Stack results (3 i64 results: one beyond the registers) and float stack arguments while the slot area is
     * resized back and forth; the last callee leaves the results where the original caller reads them.
     */
    @Test
    void stackResultsAndFloatStackArgumentsAcrossResizedAreas() {
        String wat = """
                (module
                  (type $narrow (func (param i64 f64) (result i64 i64 i64)))
                  (type $wide (func (param i64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result i64 i64 i64)))
                  (table 1 funcref)
                  (elem (i32.const 0) $h)
                  (func $f (export "f") (type $narrow)
                    (if (i64.eqz (local.get 0))
                      (then (return (local.get 0) (i64.trunc_f64_s (local.get 1)) (i64.const 7))))
                    (return_call_indirect (type $wide) (i64.sub (local.get 0) (i64.const 1)) (local.get 1)
                      (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4) (f64.const 5)
                      (f64.const 6) (f64.const 7) (f64.const 8) (f64.const 9) (i32.const 0)))
                  (func $h (type $wide)
                    (return_call $f (local.get 0) (f64.add (local.get 1) (f64.add (local.get 10) (local.get 9)))))
                  (func (export "sum") (param i64) (result i64)
                    (call $f (local.get 0) (f64.const 0))
                    (i64.add) (i64.add)))
                """;
        try (Instance i = compile(wat).instantiate()) {
            assertArrayEquals(new Object[] {0L, 17 * DEPTH, 7L}, i.call("f", DEPTH, 0.0));
            assertArrayEquals(new Object[] {17 * DEPTH + 7}, i.call("sum", DEPTH));
        }
    }

    /**
     * A function whose parameters are all in registers and whose stack slots are only for its results, tail-calling
     * a function that takes as many stack slots of arguments (a same-size tail call, written into the caller's
     * incoming slots, rbp-relative): the optimizing tier must set up the frame pointer for it. It did not, and wrote
     * the arguments through whatever rbp held (a JVM crash found by a reftypes campaign, silent corruption at other
     * times). The optimizing code of {@code $f} saves and sets rbp, and both tiers give the right sums.
     */
    @Test
    void sameSizeTailCallWithStackArgumentsSetsUpTheFramePointer() throws Exception {
        String wat = """
                (module
                  (func $g (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64 i64 i64 i64)
                    (local.get 0) (local.get 6) (local.get 7) (i64.add (local.get 6) (local.get 7)))
                  (func $f (param i64) (result i64 i64 i64 i64)
                    (return_call $g (local.get 0) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
                      (i64.const 70) (i64.const 80)))
                  (func (export "run") (param i64) (result i64)
                    (call $f (local.get 0)) (i64.add) (i64.add) (i64.add)))
                """;
        // the listing first: without the frame pointer, running the code would write through a stray rbp
        var module = dev.isthmus.tooling.Tooling.decode(dev.isthmus.tooling.Tooling.watToBinary(wat));
        var code = ModuleCompiler.compile(module, dev.isthmus.options.CompilerOptions.DEFAULT
                .withTier(dev.isthmus.options.Tier.OPTIMIZING));
        String f = PrologueVariantListingTest.listing(code, 1);
        org.junit.jupiter.api.Assertions.assertTrue(f.contains("mov rbp, rsp"), f);
        for (var tier : dev.isthmus.options.Tier.values()) {
            try (Instance instance = Isthmus.builder().tier(tier).build().compile(wat.getBytes(StandardCharsets.UTF_8))
                    .instantiate()) {
                assertEquals(9L + 70 + 80 + 150, instance.call("run", 9L)[0], tier.toString());
            }
        }
    }
}
