package dev.isthmus.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed references across modules: an imported global's or table's {@code (ref null? $t)} names a type of the
 * importer's type section, the exported one a type of the exporter's, so they match when the two function types
 * are equivalent (canonical type ids), whatever their indices; and recursion groups of function types are
 * equivalent by position in equal groups (iso-recursive), within a module and across modules.
 */
class TypedImportMatchingTest {
    @TempDir
    Path dir;

    private static final String EXPORTER = """
            (module $ex
              (type $unit (func))
              (type $binary (func (param i32 i32) (result i32)))
              (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))
              (elem declare func $add)
              (global (export "g-binary") (ref $binary) (ref.func $add))
              (global (export "g-mut-binary") (mut (ref null $binary)) (ref.func $add))
              (table (export "t-binary") 1 (ref null $binary))
            )
            (register "ex" $ex)
            """;

    @Test
    void typedReferencesMatchByTypeNotByIndex() throws IOException {
        FileReport report = runScript(EXPORTER + """
                ;; type 1 here is another function type than the exporter's type 1: the same index must not match
                (assert_unlinkable
                  (module (type $u (func)) (type $other (func (param f64)))
                    (global (import "ex" "g-binary") (ref $other)))
                  "incompatible import type")
                ;; the same function type at another index matches, also as a supertype (nullable, or func)
                (module
                  (type $a (func (param f32))) (type $b (func (param f64))) (type $bin (func (param i32 i32) (result i32)))
                  (global $g (import "ex" "g-binary") (ref $bin))
                  (global (import "ex" "g-binary") (ref null $bin))
                  (global (import "ex" "g-binary") (ref func))
                  (global (import "ex" "g-mut-binary") (mut (ref null $bin)))
                  (table (import "ex" "t-binary") 1 (ref null $bin))
                  (func (export "call") (result i32) (call_ref $bin (i32.const 2) (i32.const 3) (global.get $g))))
                (assert_return (invoke "call") (i32.const 5))
                ;; a mutable global's type is invariant: nullable vs not, or another function type, does not match
                (assert_unlinkable
                  (module (type $bin (func (param i32 i32) (result i32)))
                    (global (import "ex" "g-mut-binary") (mut (ref $bin))))
                  "incompatible import type")
                (assert_unlinkable
                  (module (type $u (func))
                    (global (import "ex" "g-mut-binary") (mut (ref null $u))))
                  "incompatible import type")
                (assert_unlinkable
                  (module (type $u (func)) (table (import "ex" "t-binary") 1 (ref null $u)))
                  "incompatible import type")
                """);
        assertEquals("", failures(report));
        assertEquals(12, report.tally().passed());   // an assert_unlinkable counts its module too
    }

    @Test
    void recursionGroupsAreEquivalentByPosition() throws IOException {
        FileReport report = runScript("""
                (module $rec
                  (rec (type $p (func (param i32 (ref null $q)))) (type $q (func (param i64 (ref null $p)))))
                  (func $fp (type $p))
                  (elem declare func $fp)
                  (global (export "p") (ref $p) (ref.func $fp))
                )
                (register "rec" $rec)
                ;; the same group later in another module's type section: position 0 is $p
                (module
                  (type (func))
                  (rec (type $x (func (param i32 (ref null $y)))) (type $y (func (param i64 (ref null $x)))))
                  (global (import "rec" "p") (ref $x)))
                (assert_unlinkable
                  (module
                    (rec (type $x (func (param i32 (ref null $y)))) (type $y (func (param i64 (ref null $x)))))
                    (global (import "rec" "p") (ref $y)))
                  "incompatible import type")
                ;; a group differing in one member is another type
                (assert_unlinkable
                  (module
                    (rec (type $x (func (param i32 (ref null $y)))) (type $y (func (param f64 (ref null $x)))))
                    (global (import "rec" "p") (ref $x)))
                  "incompatible import type")
                ;; within a module: two equal groups give equivalent types (a call passes one as the other)
                (module
                  (rec (type $a (func (param i32 (ref $b)))) (type $b (func (param i32 (ref $a)))))
                  (rec (type $c (func (param i32 (ref $d)))) (type $d (func (param i32 (ref $c)))))
                  (func $f (param (ref $a)) (call $g (local.get 0)))
                  (func $g (param (ref $c))))
                (assert_invalid
                  (module (type $t (func (param (ref $later)))) (type $later (func)))
                  "unknown type")
                ;; text format: a function's inline type is never a member of a rec group of several types
                (assert_invalid
                  (module (rec (type $ft (func)) (type (func))) (func $f) (global (ref $ft) (ref.func $f)))
                  "type mismatch")
                (module (rec (type $ft (func))) (func $f) (global (ref $ft) (ref.func $f)))
                """);
        assertEquals("", failures(report));
        assertEquals(11, report.tally().passed());
    }

    /**
     * Canonical ids name earlier types by id, not by their whole key: 200 types each naming the two before it
     * instantiate at once (keys that embedded earlier keys grew exponentially: 30 such types took 4 s, 60 never
     * finished). The timeout only guards against that hang.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void longChainsOfTypedReferencesKeepLinearKeys() throws IOException {
        StringBuilder wat = new StringBuilder("(module (type $t0 (func)) (type $t1 (func (param (ref null $t0))))\n");
        for (int i = 2; i < 200; i++) {
            wat.append("  (type $t").append(i).append(" (func (param (ref null $t").append(i - 1).append(") (ref null $t")
                    .append(i - 2).append("))))\n");
        }
        wat.append("  (func (export \"f\") (type $t199)))\n(assert_return (invoke \"f\" (ref.null 198) (ref.null 197)))\n");
        FileReport report = runScript(wat.toString());
        assertEquals("", failures(report));
        assertEquals(2, report.tally().passed());
    }

    private FileReport runScript(String text) throws IOException {
        return InlineScripts.run(dir.resolve("typed-imports.wast"), text);
    }

    private static String failures(FileReport report) {
        return InlineScripts.failures(report);
    }
}
