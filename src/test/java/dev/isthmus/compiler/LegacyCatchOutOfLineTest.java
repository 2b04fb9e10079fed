package dev.isthmus.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.WasmThrow;
import dev.isthmus.options.Tier;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The baseline compiles a legacy try's catch blocks out of line, after the function's body: their code lies outside
 * the code ranges of the tries around them, so their exceptions are handled through the named continuations of the
 * handler table. Each case throws from out-of-line code (a catch block, a try nested in one, a delegate leaving
 * one) and checks which handler ran, and branches from out-of-line code back to labels of the body.
 */
class LegacyCatchOutOfLineTest {
    private static final String WAT = """
            (module
              (tag $e (param i32))
              (tag $f)
              (func $thrower (param i32) (throw $e (local.get 0)))
              ;; a catch block throws: the legacy try around its try catches
              (func (export "catch_throws_to_legacy") (result i32)
                (try (result i32)
                  (do
                    (try (result i32)
                      (do (throw $e (i32.const 1)))
                      (catch $e (drop) (throw $e (i32.const 2)))))
                  (catch $e (i32.const 10) (i32.add))))
              ;; a catch block calls a thrower: the try_table around its try catches
              (func (export "catch_throws_to_try_table") (result i32)
                (block $h (result i32)
                  (try_table (result i32) (catch $e $h)
                    (try (result i32)
                      (do (throw $e (i32.const 1)))
                      (catch $e (call $thrower (i32.add (i32.const 20)))
                                (i32.const 0))))))
              ;; a try in a catch block (itself out of line) whose catch block throws
              (func (export "nested_catch_blocks") (result i32)
                (try (result i32)
                  (do
                    (try (result i32)
                      (do (throw $e (i32.const 1)))
                      (catch $e
                        (drop)
                        (try (result i32)
                          (do (throw $e (i32.const 2)))
                          (catch $e (drop) (throw $e (i32.const 3)))))))
                  (catch $e (i32.const 100) (i32.add))))
              ;; a delegate in a catch block to a try outside it, past one that delegates to the caller
              (func (export "delegate_out_of_catch") (result i32)
                (try $t (result i32)
                  (do
                    (try $q (result i32)
                      (do
                        (try $s (result i32)
                          (do (throw $f))
                          (catch_all
                            (try (result i32)
                              (do (throw $e (i32.const 5)))
                              (delegate $t)))))
                      (delegate 1)))
                  (catch $e (i32.const 1000) (i32.add))))
              ;; the same, delegating to the try that delegates to the caller: uncaught
              (func (export "delegate_out_of_catch_to_caller") (result i32)
                (try $t (result i32)
                  (do
                    (try $q (result i32)
                      (do
                        (try $s (result i32)
                          (do (throw $f))
                          (catch_all
                            (try (result i32)
                              (do (throw $e (i32.const 6)))
                              (delegate $q)))))
                      (delegate 1)))
                  (catch $e (i32.const 1000) (i32.add))))
              ;; rethrow of an outer catch's exception from a catch block nested in it
              (func (export "rethrow_outer") (result i32)
                (try (result i32)
                  (do
                    (try
                      (do (throw $e (i32.const 7)))
                      (catch $e
                        (drop)
                        (try
                          (do (throw $e (i32.const 8)))
                          (catch $e (drop) (rethrow 1)))))
                    (i32.const 0))
                  (catch $e (i32.const 1000) (i32.add))))
              ;; a branch from a catch block to a block of the body, with the payload
              (func (export "branch_out_of_catch") (result i32)
                (block $out (result i32)
                  (try (result i32)
                    (do (throw $e (i32.const 4)))
                    (catch $e (br $out)))
                  (i32.const 50)
                  (i32.add)))
              ;; a loop continued from a catch block; values below the try stay
              (func (export "loop_from_catch") (result i32)
                (local $n i32)
                (i32.const 5000)
                (loop $l
                  (try
                    (do (if (i32.lt_u (local.get $n) (i32.const 3)) (then (throw $e (local.get $n)))))
                    (catch $e
                      (local.set $n (i32.add (i32.const 1)))
                      (br $l))))
                (local.get $n)
                (i32.add))
              ;; a catch that does not match, then catch_all; the body's results when nothing throws
              (func (export "clauses") (param i32) (result i32)
                (i32.const 9000)
                (try (result i32)
                  (do
                    (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $f)))
                    (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $e (i32.const 2))))
                    (local.get 0))
                  (catch $e (i32.const 200) (i32.add))
                  (catch_all (i32.const 300)))
                (i32.add))
              ;; an exception no handler catches leaves the catch block's code
              (func (export "uncaught_from_catch") (result i32)
                (try (result i32)
                  (do (throw $f))
                  (catch_all (throw $e (i32.const 77))))))
            """;

    private static Instance baseline;
    private static Instance optimizing;

    @BeforeAll
    static void compile() {
        byte[] wat = WAT.getBytes(StandardCharsets.UTF_8);
        baseline = Isthmus.builder().tier(Tier.BASELINE).build().compile(wat).instantiate();
        optimizing = Isthmus.builder().tier(Tier.OPTIMIZING).build().compile(wat).instantiate();
    }

    @AfterAll
    static void close() {
        baseline.close();
        optimizing.close();
    }

    private static void check(Object expected, String name, Object... args) {
        assertEquals(expected, baseline.call(name, args)[0], name + " (baseline)");
        assertEquals(expected, optimizing.call(name, args)[0], name + " (optimizing)");
    }

    @Test
    void throwsFromCatchBlocksReachTheHandlersAroundTheirTry() {
        check(12, "catch_throws_to_legacy");
        check(21, "catch_throws_to_try_table");
        check(103, "nested_catch_blocks");
    }

    @Test
    void delegatesLeavingCatchBlocksNameTheirTry() {
        check(1005, "delegate_out_of_catch");
        for (Instance instance : new Instance[] {baseline, optimizing}) {
            WasmThrow t = assertThrows(WasmThrow.class, () -> instance.call("delegate_out_of_catch_to_caller"));
            assertEquals(6, t.payload()[0]);
        }
    }

    @Test
    void rethrowFromANestedCatchBlock() {
        check(1007, "rethrow_outer");
    }

    @Test
    void catchBlocksBranchBackIntoTheBody() {
        check(4, "branch_out_of_catch");
        check(5003, "loop_from_catch");
    }

    @Test
    void clausesAndTheBodysResult() {
        check(9000, "clauses", 0);
        check(9300, "clauses", 1);
        check(9202, "clauses", 2);
        check(9007, "clauses", 7);
    }

    @Test
    void anExceptionNoHandlerCatchesLeavesTheCatchBlock() {
        for (Instance instance : new Instance[] {baseline, optimizing}) {
            WasmThrow t = assertThrows(WasmThrow.class, () -> instance.call("uncaught_from_catch"));
            assertEquals(77, t.payload()[0]);
        }
    }
}
