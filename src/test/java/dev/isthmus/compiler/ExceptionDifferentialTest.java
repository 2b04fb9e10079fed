package dev.isthmus.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.WasmThrow;
import dev.isthmus.WasmTrap;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random functions using exception handling — try_table with every clause kind, legacy try with catch, catch_all,
 * rethrow and delegate, throw, throw_ref of a kept exnref, calls that throw (directly and through a middle frame),
 * loops and ifs around them, locals of every value class live across it all — run under the baseline and the
 * optimizing tier (which must compile every function, without fallback) with the same arguments: the same result,
 * or the same uncaught exception (tag and payload).
 */
class ExceptionDifferentialTest {
    private static final int FUNCTIONS = 250;
    private static final int[] ARGUMENTS = {0, 1, 2, 3, 5, 8, 13, -1};

    @Test
    void bothTiersAgreeOnRandomExceptionHandling() {
        Random random = new Random(0x5EED_E4);
        int thrownOut = 0;
        int caughtSomewhere = 0;
        for (int n = 0; n < FUNCTIONS; n++) {
            Generator g = new Generator(new Random(random.nextLong()));
            String wat = g.module();
            byte[] binary = Wat.toBinary(wat);
            WasmModule m = ModuleDecoder.decode(binary);
            VmContextLayout vm = VmContextLayout.of(m);
            for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
                assertNotNull(OptimizingCompiler.tryCompile(m, vm, f), "optimizing tier declined function " + f
                        + " of\n" + wat);
            }
            List<String> base = run(Tier.BASELINE, binary);
            List<String> opt = run(Tier.OPTIMIZING, binary);
            assertEquals(base, opt, "function " + n + ":\n" + wat);
            for (String s : base) {
                if (s.startsWith("throw")) thrownOut++;
                assertTrue(!s.startsWith("throw ?"), "an exception of an unknown tag: " + s);
            }
            if (wat.contains("catch")) caughtSomewhere++;
        }
        assertTrue(thrownOut > 50, "some calls end in an uncaught exception: " + thrownOut);
        assertTrue(caughtSomewhere > FUNCTIONS / 2, "most functions catch: " + caughtSomewhere);
    }

    /**
     * Shapes the generator makes rarely: legacy catches of a body without a call or throw (unreachable: the
     * catch's payload never materializes), a catch's value as the try's result, a loop that goes round through
     * its landing block only.
     */
    @Test
    void edgeCases() {
        byte[] binary = Wat.toBinary("""
                (module
                  (tag $a (export "a") (param i32 f64)) (tag $b (export "b")) (tag $c (export "c"))
                  (func (export "f") (param i32) (result i64)
                    (local i32)
                    (local.set 1 (i32.add (local.get 0) (i32.const 5)))
                    (try (do (nop)) (catch $a (drop) (drop) (local.set 1 (i32.const 99))))
                    (try (result i32) (do (i32.const 3)) (catch $a (drop) (drop) (i32.const 4)) (catch_all (i32.const 5)))
                    (local.get 1) (i32.add)
                    (local.set 0 (i32.add (i32.and (local.get 0) (i32.const 7)) (i32.const 1)))
                    (block $h (result i32 f64)
                      (loop $l
                        (try_table (catch $a $h) (catch $b $l) (if (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
                          (then (throw $b)) (else (throw $a (i32.const 7) (f64.const 0.5))))))
                      (unreachable))
                    (drop) (i32.add)
                    (i64.extend_i32_u)))
                """);
        WasmModule m = ModuleDecoder.decode(binary);
        assertNotNull(OptimizingCompiler.tryCompile(m, VmContextLayout.of(m), 0));
        List<String> base = run(Tier.BASELINE, binary);
        assertEquals(base, run(Tier.OPTIMIZING, binary));
        assertEquals("ok 17", base.get(2), "f(2)");
    }

    /**
     * Landing blocks are one per covered call and clause of every try around it: 600 nested try_tables with a call
     * at each level would need 180,300. Beyond 4 per byte of code (at least 4096) the tier declines the function
     * (an explicit fallback, "more than N landing blocks") rather than take quadratic time; the baseline runs it.
     */
    @Test
    void deepNestsOfTriesAroundCallsFallBack() {
        int depth = 600;
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(0);                                             // no locals
        body.writeBytes(new byte[] {0x02, 0x40});                  // block $out
        for (int i = 0; i < depth; i++) {                          // try_table (catch_all $out) (call $g)
            body.writeBytes(new byte[] {0x1f, 0x40, 1, 0x02});
            body.writeBytes(leb(i));
            body.writeBytes(new byte[] {0x10, 0});
        }
        for (int i = 0; i <= depth; i++) body.write(0x0b);
        body.writeBytes(new byte[] {0x41, 1, 0x0b});               // i32.const 1
        byte[] f = body.toByteArray();
        java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
        m.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        section(m, 1, new byte[] {2, 0x60, 0, 0, 0x60, 1, 0x7f, 1, 0x7f});   // f: (param i32) (result i32)
        section(m, 3, new byte[] {2, 0, 1});
        section(m, 13, new byte[] {1, 0, 0});
        section(m, 7, new byte[] {1, 1, 'f', 0, 1});
        java.io.ByteArrayOutputStream code = new java.io.ByteArrayOutputStream();
        code.writeBytes(new byte[] {2, 2, 0, 0x0b});
        code.writeBytes(leb(f.length));
        code.writeBytes(f);
        section(m, 10, code.toByteArray());
        byte[] binary = m.toByteArray();
        WasmModule wm = ModuleDecoder.decode(binary);
        List<String> reasons = new ArrayList<>();
        assertEquals(null, OptimizingCompiler.tryCompile(wm, VmContextLayout.of(wm),
                dev.isthmus.options.CompilerOptions.DEFAULT, dev.isthmus.compiler.machine.CpuFeatures.host(), 1,
                reasons::add));
        assertTrue(reasons.get(0).startsWith("not translated: more than ") && reasons.get(0).endsWith(" landing blocks"),
                reasons.toString());
        assertEquals(List.of("ok 1", "ok 1", "ok 1", "ok 1", "ok 1", "ok 1", "ok 1", "ok 1"), run(Tier.OPTIMIZING, binary));
    }

    private static byte[] leb(int v) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        do {
            int b = v & 0x7f;
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return out.toByteArray();
    }

    private static void section(java.io.ByteArrayOutputStream m, int id, byte[] content) {
        m.write(id);
        m.writeBytes(leb(content.length));
        m.writeBytes(content);
    }

    private static List<String> run(Tier tier, byte[] binary) {
        CompiledModule module = Isthmus.builder().tier(tier).build().compile(binary);
        List<String> out = new ArrayList<>();
        try (Instance instance = module.instantiate()) {
            for (int p : ARGUMENTS) {
                try {
                    out.add("ok " + instance.call("f", p)[0]);
                } catch (WasmThrow t) {
                    String tag = t.tag().equals(instance.tag("a")) ? "a" : t.tag().equals(instance.tag("b")) ? "b"
                            : t.tag().equals(instance.tag("c")) ? "c" : "?";
                    out.add("throw " + tag + " " + Arrays.toString(t.payload()));
                } catch (WasmTrap t) {
                    out.add("trap " + t.kind());
                }
            }
        }
        return out;
    }

    /** One random module: tags $a (i32), $b (i64 f64), $c (); a thrower, a middle frame and the function f. */
    private static final class Generator {
        private final Random r;
        /** Open labels, innermost last: "block", "loop", "if", "try" (legacy, in its do), "catch", "try_table". */
        private final List<String> labels = new ArrayList<>();
        private int names;
        private int loops;
        private int budget = 40;

        Generator(Random r) {
            this.r = r;
        }

        String module() {
            StringBuilder body = new StringBuilder();
            int count = 2 + r.nextInt(4);
            for (int i = 0; i < count; i++) body.append(stmt(3)).append('\n');
            return """
                    (module
                      (tag $a (export "a") (param i32))
                      (tag $b (export "b") (param i64 f64))
                      (tag $c (export "c"))
                      (func $thrower (param $s i32) (param $x i32)
                        (if (i32.eq (local.get $s) (i32.const 1)) (then (throw $a (local.get $x))))
                        (if (i32.eq (local.get $s) (i32.const 2))
                          (then (throw $b (i64.extend_i32_s (local.get $x)) (f64.convert_i32_s (local.get $x)))))
                        (if (i32.eq (local.get $s) (i32.const 3)) (then (throw $c))))
                      (func $middle (param $s i32) (param $x i32) (result i32)
                        (local $k i64) (local $q f64) (local $w v128)
                        (local.set $k (i64.extend_i32_s (i32.mul (local.get $x) (i32.const 3))))
                        (local.set $q (f64.convert_i32_s (local.get $x)))
                        (local.set $w (i32x4.splat (local.get $x)))
                        (call $thrower (local.get $s) (local.get $x))
                        (i32.add (i32.wrap_i64 (local.get $k))
                          (i32.add (i32.trunc_f64_s (local.get $q)) (i32x4.extract_lane 2 (local.get $w)))))
                      (func $work (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 7)) (i32.const 3)))
                      (func (export "f") (param $p i32) (result i64)
                        (local $i0 i32) (local $i1 i32) (local $l0 i64) (local $l1 i64) (local $d0 f64) (local $d1 f64)
                        (local $v0 v128) (local $x exnref) (local $acc i64) (local $n0 i32) (local $n1 i32) (local $n2 i32) (local $n3 i32)
                        (local.set $i0 (i32.add (local.get $p) (i32.const 11)))
                        (local.set $l0 (i64.const 77))
                        (local.set $d0 (f64.const 1.5))
                        (local.set $v0 (i32x4.splat (local.get $p)))
                    """ + body + checksum() + """
                      )
                    )
                    """;
        }

        /** All locals folded into one i64 ($acc * 31 + each). */
        private static String checksum() {
            String[] parts = {"(i64.extend_i32_u (local.get $i1))", "(local.get $l0)", "(local.get $l1)",
                    "(i64.reinterpret_f64 (local.get $d0))", "(i64.reinterpret_f64 (local.get $d1))",
                    "(i64x2.extract_lane 0 (local.get $v0))", "(i64x2.extract_lane 1 (local.get $v0))",
                    "(i64.extend_i32_u (ref.is_null (local.get $x)))"};
            StringBuilder sb = new StringBuilder("(local.set $acc (i64.extend_i32_u (local.get $i0)))\n");
            for (String x : parts) {
                sb.append("(local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) ").append(x).append("))\n");
            }
            return sb.append("(local.get $acc)\n").toString();
        }

        private String label() {
            return "$L" + (names++);
        }

        /** A statement (leaves the stack as it found it). */
        private String stmt(int depth) {
            budget--;
            int kind = depth <= 0 || budget <= 0 ? r.nextInt(4) : r.nextInt(12);
            return switch (kind) {
                case 0 -> set();
                case 1 -> "(call $thrower " + selector() + " " + i32(2) + ")";
                case 2 -> "(local.set $i1 (call $middle " + selector() + " " + i32(1) + "))";
                case 3 -> throwIf();
                case 4, 5 -> tryTable(depth);
                case 6 -> legacyTry(depth);
                case 7 -> delegate(depth);
                case 8 -> loop(depth);
                case 9 -> ifElse(depth);
                case 10 -> "(if (i32.eqz (ref.is_null (local.get $x))) (then (throw_ref (local.get $x))))";
                default -> rethrowOrSet();
            };
        }

        private String stmts(int depth) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) sb.append(' ').append(stmt(depth));
            return sb.toString();
        }

        /** 0..7 from the parameter and the locals: 1, 2, 3 make the thrower throw $a, $b, $c. */
        private String selector() {
            return "(i32.and " + i32(2) + " (i32.const 7))";
        }

        private String set() {
            return switch (r.nextInt(6)) {
                case 0 -> "(local.set $i0 " + i32(2) + ")";
                case 1 -> "(local.set $i1 " + i32(2) + ")";
                case 2 -> "(local.set $l" + r.nextInt(2) + " " + i64(2) + ")";
                case 3 -> "(local.set $d" + r.nextInt(2) + " " + f64(2) + ")";
                case 4 -> "(local.set $v0 " + v128(2) + ")";
                default -> "(local.set $i0 (call $work " + i32(1) + "))";
            };
        }

        private String throwIf() {
            String cond = "(i32.lt_u (i32.and " + i32(1) + " (i32.const 15)) (i32.const 5))";
            String t = switch (r.nextInt(3)) {
                case 0 -> "(throw $a " + i32(1) + ")";
                case 1 -> "(throw $b " + i64(1) + " " + f64(1) + ")";
                default -> "(throw $c)";
            };
            return "(if " + cond + " (then " + t + "))";
        }

        /** Inside a legacy catch: rethrow it under a condition; elsewhere an assignment. */
        private String rethrowOrSet() {
            for (int k = labels.size() - 1; k >= 0; k--) {
                if (labels.get(k).equals("catch")) {
                    int depth = labels.size() - 1 - k + 1;          // the if adds a label
                    return "(if (i32.and " + i32(1) + " (i32.const 1)) (then (rethrow " + depth + ")))";
                }
            }
            return set();
        }

        /**
         * A try_table with 1-4 random clauses, each branching to a block of its own whose values are stored to
         * locals (the exnref to $x) before a handler statement; then out.
         */
        private String tryTable(int depth) {
            int k = 1 + r.nextInt(4);
            String out = label();
            String[] blocks = new String[k];
            String[] clauses = new String[k];
            String[] results = new String[k];
            String[] consume = new String[k];
            for (int i = 0; i < k; i++) {
                blocks[i] = label();
                int c = r.nextInt(8);
                String tag = c < 2 ? "$a" : c < 4 ? "$b" : c < 6 ? "$c" : "";
                boolean ref = (c & 1) == 1;
                String payload = switch (tag) {
                    case "$a" -> "i32";
                    case "$b" -> "i64 f64";
                    default -> "";
                };
                String store = switch (tag) {
                    case "$a" -> " local.set $i1";
                    case "$b" -> " local.set $d1 local.set $l1";
                    default -> "";
                };
                clauses[i] = tag.isEmpty() ? (ref ? "(catch_all_ref " : "(catch_all ") + blocks[i] + ")"
                        : (ref ? "(catch_ref " : "(catch ") + tag + " " + blocks[i] + ")";
                String types = (payload + (ref ? " exnref" : "")).strip();
                results[i] = types.isEmpty() ? "" : " (result " + types + ")";
                consume[i] = (ref ? " local.set $x" : "") + store;
            }
            StringBuilder sb = new StringBuilder("(block " + out);
            labels.add("block");
            for (int i = 0; i < k; i++) {
                sb.append(" (block ").append(blocks[i]).append(results[i]);
                labels.add("block");
            }
            sb.append(" (try_table");
            for (String c : clauses) sb.append(' ').append(c);
            labels.add("try_table");
            sb.append(stmts(depth - 1)).append(")");
            labels.removeLast();
            sb.append(" (br ").append(out).append(")");
            for (int i = k - 1; i >= 0; i--) {
                sb.append(")");                                     // the end of block i: its values on the stack
                labels.removeLast();
                sb.append(consume[i]);
                if (r.nextBoolean()) sb.append(' ').append(stmt(depth - 1));
                sb.append(" (br ").append(out).append(")");
            }
            labels.removeLast();
            return sb.append(")").toString();
        }

        private String legacyTry(int depth) {
            StringBuilder sb = new StringBuilder("(try (do");
            labels.add("try");
            sb.append(stmts(depth - 1)).append(")");
            int k = 1 + r.nextInt(3);
            boolean all = false;
            for (int i = 0; i < k && !all; i++) {
                labels.set(labels.size() - 1, "catch");
                int c = r.nextInt(4);
                switch (c) {
                    case 0 -> sb.append(" (catch $a (local.set $i1)");
                    case 1 -> sb.append(" (catch $b (local.set $d1) (local.set $l1)");
                    case 2 -> sb.append(" (catch $c");
                    default -> {
                        sb.append(" (catch_all");
                        all = true;
                    }
                }
                if (r.nextBoolean()) sb.append(' ').append(stmt(depth - 1));
                sb.append(")");
            }
            labels.removeLast();
            return sb.append(")").toString();
        }

        /** A legacy try whose body's exceptions go to the handlers around label N (or the caller). */
        private String delegate(int depth) {
            StringBuilder sb = new StringBuilder("(try (do");
            labels.add("try");
            sb.append(stmts(depth - 1)).append(")");
            labels.removeLast();
            int target = r.nextInt(labels.size() + 1);               // labels.size(): the function's label
            return sb.append(" (delegate ").append(target).append("))").toString();
        }

        private String loop(int depth) {
            if (loops >= 4) return set();
            String counter = "$n" + loops++;
            String l = label();
            labels.add("loop");
            String body = stmts(depth - 1);
            labels.removeLast();
            loops--;
            return "(local.set " + counter + " (i32.const " + (1 + r.nextInt(3)) + ")) (loop " + l + body
                    + " (br_if " + l + " (local.tee " + counter + " (i32.sub (local.get " + counter
                    + ") (i32.const 1)))))";
        }

        private String ifElse(int depth) {
            labels.add("if");
            String then = stmts(depth - 1);
            String otherwise = stmts(depth - 1);
            labels.removeLast();
            return "(if (i32.and " + i32(1) + " (i32.const 1)) (then" + then + ") (else" + otherwise + "))";
        }

        private String i32(int depth) {
            int k = depth <= 0 ? r.nextInt(4) : r.nextInt(8);
            return switch (k) {
                case 0 -> "(local.get $p)";
                case 1 -> "(local.get $i0)";
                case 2 -> "(local.get $i1)";
                case 3 -> "(i32.const " + (r.nextInt(41) - 20) + ")";
                case 4 -> "(i32.add " + i32(depth - 1) + " " + i32(depth - 1) + ")";
                case 5 -> "(i32.xor " + i32(depth - 1) + " " + i32(depth - 1) + ")";
                case 6 -> "(i32.wrap_i64 " + i64(depth - 1) + ")";
                default -> "(call $work " + i32(depth - 1) + ")";
            };
        }

        private String i64(int depth) {
            int k = depth <= 0 ? r.nextInt(3) : r.nextInt(6);
            return switch (k) {
                case 0 -> "(local.get $l0)";
                case 1 -> "(local.get $l1)";
                case 2 -> "(i64.const " + (r.nextLong() >> r.nextInt(64)) + ")";
                case 3 -> "(i64.add " + i64(depth - 1) + " " + i64(depth - 1) + ")";
                case 4 -> "(i64.extend_i32_s " + i32(depth - 1) + ")";
                default -> "(i64.mul " + i64(depth - 1) + " (i64.const 3))";
            };
        }

        private String f64(int depth) {
            int k = depth <= 0 ? r.nextInt(3) : r.nextInt(5);
            return switch (k) {
                case 0 -> "(local.get $d0)";
                case 1 -> "(local.get $d1)";
                case 2 -> "(f64.const " + (r.nextInt(2001) - 1000) / 8.0 + ")";
                case 3 -> "(f64.add " + f64(depth - 1) + " " + f64(depth - 1) + ")";
                default -> "(f64.convert_i32_s " + i32(depth - 1) + ")";
            };
        }

        private String v128(int depth) {
            int k = depth <= 0 ? r.nextInt(2) : r.nextInt(3);
            return switch (k) {
                case 0 -> "(local.get $v0)";
                case 1 -> "(i32x4.splat " + i32(depth - 1) + ")";
                default -> "(i32x4.add " + v128(depth - 1) + " " + v128(depth - 1) + ")";
            };
        }
    }
}
