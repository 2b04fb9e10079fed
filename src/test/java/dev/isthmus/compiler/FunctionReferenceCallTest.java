package dev.isthmus.compiler;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.Tier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Typed function references executed: {@code call_ref}, {@code return_call_ref}, {@code br_on_null},
 * {@code br_on_non_null} and {@code ref.as_non_null} give the same results and traps in both tiers (the optimizing
 * tier compiles the functions using them, but those with {@code return_call_ref}, which fall back to the baseline's
 * code as every tail call does in that tier), null references trap with the spec's kinds, and
 * {@code return_call_ref} runs in constant stack space, to callees with more stack arguments and across instances.
 */
class FunctionReferenceCallTest {
    private static final long DEPTH = 1_000_000;

    private static CompiledModule compile(Isthmus engine, String wat) {
        return engine.compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    /** Dispatch through a typed table, call_ref and the null branches, with a selector choosing the callee. */
    private static final String DISPATCH = """
            (module
              (type $binop (func (param i32 i32) (result i32)))
              (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
              (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
              (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
              (table $ops 4 (ref null $binop) (ref.func $add))
              (elem (table $ops) (i32.const 1) (ref null $binop) (ref.func $sub) (ref.func $mul) (ref.null $binop))
              (func $op (param $k i32) (result (ref null $binop)) (table.get $ops (local.get $k)))
              (func (export "call") (param $k i32) (param i32 i32) (result i32)
                (call_ref $binop (local.get 1) (local.get 2) (call $op (local.get $k))))
              (func (export "tail") (param $k i32) (param i32 i32) (result i32)
                (return_call_ref $binop (local.get 1) (local.get 2) (call $op (local.get $k))))
              (func (export "isNull") (param $k i32) (result i32)
                (block $null (br_on_null $null (call $op (local.get $k))) (drop) (return (i32.const 0)))
                (i32.const 1))
              (func (export "viaNonNull") (param $k i32) (param i32 i32) (result i32) (local $r (ref $binop))
                (local.set $r (block $some (result (ref $binop))
                  (br_on_non_null $some (call $op (local.get $k)))
                  (return (i32.const -1))))
                (call_ref $binop (local.get 1) (local.get 2) (local.get $r)))
              (func (export "asNonNull") (param $k i32) (param i32 i32) (result i32)
                (call_ref $binop (local.get 1) (local.get 2) (ref.as_non_null (call $op (local.get $k))))))
            """;

    private static List<String> outcomes(Tier tier) {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        List<String> out = new ArrayList<>();
        try (Instance i = compile(engine, DISPATCH).instantiate()) {
            for (String f : List.of("call", "tail", "viaNonNull", "asNonNull")) {
                for (int k = 0; k < 4; k++) {
                    for (int[] xy : new int[][] {{7, 3}, {-5, 9}, {Integer.MIN_VALUE, -1}}) {
                        out.add(f + "(" + k + "," + xy[0] + "," + xy[1] + ") = " + outcome(i, f, k, xy[0], xy[1]));
                    }
                }
            }
            for (int k = 0; k < 4; k++) out.add("isNull(" + k + ") = " + outcome(i, "isNull", k));
        }
        return out;
    }

    private static String outcome(Instance instance, String function, Object... args) {
        try {
            return Arrays.toString(instance.call(function, args));
        } catch (WasmTrap trap) {
            return "trap " + trap.kind();
        }
    }

    @Test
    void bothTiersAgree() {
        List<String> baseline = outcomes(Tier.BASELINE);
        assertEquals(baseline, outcomes(Tier.OPTIMIZING));
        // spot checks: table[0] = add (the initialiser), 1 sub, 2 mul, 3 null
        assertEquals("call(0,7,3) = [10]", baseline.get(0));
        assertEquals("call(1,7,3) = [4]", baseline.get(3));
        assertEquals("call(2,7,3) = [21]", baseline.get(6));
        assertEquals("call(3,7,3) = trap " + TrapKind.NULL_FUNCTION_REFERENCE, baseline.get(9));
        assertEquals("tail(3,7,3) = trap " + TrapKind.NULL_FUNCTION_REFERENCE, baseline.get(21));
        assertEquals("viaNonNull(3,7,3) = [-1]", baseline.get(33));
        assertEquals("asNonNull(3,7,3) = trap " + TrapKind.NULL_REFERENCE, baseline.get(45));
        assertEquals(List.of("isNull(0) = [0]", "isNull(1) = [0]", "isNull(2) = [0]", "isNull(3) = [1]"),
                baseline.subList(48, 52));
    }

    /** f (2 parameters) and h (10, four on the stack) return_call_ref each other a million times. */
    private static final String WIDE = """
            (module
              (type $narrow (func (param i64 i64) (result i64)))
              (type $wide (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
              (elem declare func $f $h)
              (func $f (export "f") (type $narrow)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (local.get 1))
                  (else (return_call_ref $wide (i64.sub (local.get 0) (i64.const 1)) (local.get 1)
                    (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4)
                    (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (ref.func $h)))))
              (func $h (type $wide)
                (return_call_ref $narrow (local.get 0) (i64.add (local.get 1)
                  (i64.add (i64.add (i64.add (local.get 2) (local.get 3)) (i64.add (local.get 4) (local.get 5)))
                    (i64.add (i64.add (local.get 6) (local.get 7)) (i64.add (local.get 8) (local.get 9)))))
                  (ref.func $f)))
              (func (export "caller") (param i64) (result i64)
                (i64.add (call $f (local.get 0) (i64.const 0)) (i64.const 1))))
            """;

    @Test
    void returnCallRefRunsInConstantStackSpace() {
        for (Tier tier : Tier.values()) {
            try (Instance i = compile(Isthmus.builder().tier(tier).build(), WIDE).instantiate()) {
                assertArrayEquals(new Object[] {DEPTH * 36}, i.call("f", DEPTH, 0L), tier.toString());
                assertArrayEquals(new Object[] {DEPTH * 36 + 1}, i.call("caller", DEPTH), tier.toString());
            }
        }
    }

    /** A: f(n, acc) return_call_refs table[0] of its exported typed table (B puts its g there). */
    private static final String PEER = """
            (module
              (type $t (func (param i64 i64) (result i64)))
              (table (export "t") 1 (ref null $t))
              (func $f (export "f") (type $t)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (local.get 1))
                  (else (return_call_ref $t (i64.sub (local.get 0) (i64.const 1))
                    (i64.add (local.get 1) (i64.const 1)) (table.get 0 (i32.const 0)))))))
            """;

    /** B: g(n, acc) return_call_refs A's f through ref.func of the import; puts g into A's table. */
    private static final String OWNER = """
            (module
              (type $t (func (param i64 i64) (result i64)))
              (import "a" "t" (table 1 (ref null $t)))
              (import "a" "f" (func $f (type $t)))
              (elem (table 0) (i32.const 0) (ref null $t) (ref.func $g))
              (elem declare func $f)
              (func $g (export "g") (type $t)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (local.get 1))
                  (else (return_call_ref $t (i64.sub (local.get 0) (i64.const 1))
                    (i64.add (local.get 1) (i64.const 2)) (ref.func $f))))))
            """;

    @Test
    void returnCallRefAcrossInstances() {
        for (Tier tier : Tier.values()) {
            Isthmus engine = Isthmus.builder().tier(tier).build();
            try (Instance a = compile(engine, PEER).instantiate();
                 Instance b = compile(engine, OWNER).instantiate(Imports.builder().instance("a", a).build())) {
                assertArrayEquals(new Object[] {DEPTH / 2 * 3}, b.call("g", DEPTH, 0L), tier.toString());
                assertArrayEquals(new Object[] {DEPTH / 2 * 3}, a.call("f", DEPTH, 0L), tier.toString());
            }
        }
    }

    @Test
    void nullTrapsNameTheirKind() {
        String wat = """
                (module
                  (type $t (func))
                  (func (export "callNull") (call_ref $t (ref.null $t)))
                  (func (export "tailNull") (return_call_ref $t (ref.null $t)))
                  (func (export "asNonNull") (drop (ref.as_non_null (ref.null extern)))))
                """;
        for (Tier tier : Tier.values()) {
            try (Instance i = compile(Isthmus.builder().tier(tier).build(), wat).instantiate()) {
                assertEquals(TrapKind.NULL_FUNCTION_REFERENCE, assertThrows(WasmTrap.class, () -> i.call("callNull")).kind());
                assertEquals(TrapKind.NULL_FUNCTION_REFERENCE, assertThrows(WasmTrap.class, () -> i.call("tailNull")).kind());
                assertEquals(TrapKind.NULL_REFERENCE, assertThrows(WasmTrap.class, () -> i.call("asNonNull")).kind());
            }
        }
    }
}
