package dev.isthmus.compiler;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random i64 expression trees (deep enough to exhaust the temporaries, with calls whose arguments arrive in
 * permuted registers, stack arguments, block/if results, selects, multi-value blocks, sums plus a constant, which
 * the optimizing tier emits as one three-operand {@code lea}, also with spilled operands, and the low halves
 * {@code x & 0xFFFFFFFF}, emitted as a zero-extending 32-bit move) compiled and compared with
 * a Java evaluation of the same tree.
 */
class RandomExpressionTest {
    private static final int PARAMS = 9; // three of them on the stack

    /** A generated expression: its WAT text and its value for given parameters. */
    private interface Expr {
        String wat();

        long eval(long[] p);
    }

    private static Expr gen(Random r, int depth) {
        return gen(r, depth, true);
    }

    /** A random tree; without calls the function is a leaf (locals in caller-saved registers, fewer temporaries). */
    private static Expr gen(Random r, int depth, boolean calls) {
        if (depth == 0 || r.nextInt(10) == 0) {
            if (r.nextBoolean()) {
                int k = r.nextInt(PARAMS);
                return expr("(local.get " + k + ")", p -> p[k]);
            }
            long c = r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(200) - 100;
            return expr("(i64.const " + c + ")", p -> c);
        }
        Expr a = gen(r, depth - 1, calls);
        Expr b = gen(r, depth - 1, calls);
        int kind = r.nextInt(17);
        if (!calls && (kind == 6 || kind == 7)) kind = 11;
        return switch (kind) {
            case 0 -> expr("(i64.add " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) + b.eval(p));
            case 1 -> expr("(i64.sub " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) - b.eval(p));
            case 2 -> expr("(i64.mul " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) * b.eval(p));
            case 3 -> expr("(i64.xor " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) ^ b.eval(p));
            case 4 -> expr("(i64.shl " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) << b.eval(p));
            case 5 -> expr("(i64.rotr " + a.wat() + " " + b.wat() + ")", p -> Long.rotateRight(a.eval(p), (int) b.eval(p)));
            case 6 -> expr("(call $mix " + a.wat() + " " + b.wat() + ")", p -> mix(a.eval(p), b.eval(p)));
            case 7 -> expr("(call $mix9 " + a.wat() + " " + b.wat() + " " + a.wat() + " (local.get 3) " + b.wat()
                    + " (i64.const 7) (local.get 8) " + b.wat() + " " + a.wat() + ")",
                    p -> mix9(a.eval(p), b.eval(p), a.eval(p), p[3], b.eval(p), 7, p[8], b.eval(p), a.eval(p)));
            case 8 -> {
                Expr c = gen(r, depth - 1, calls);
                yield expr("(if (result i64) (i64.lt_s " + c.wat() + " (i64.const 0)) (then " + a.wat()
                        + ") (else " + b.wat() + "))", p -> c.eval(p) < 0 ? a.eval(p) : b.eval(p));
            }
            case 9 -> {
                Expr c = gen(r, depth - 1, calls);
                yield expr("(select " + a.wat() + " " + b.wat() + " (i64.gt_u " + c.wat() + " (i64.const 1000)))",
                        p -> Long.compareUnsigned(c.eval(p), 1000) > 0 ? a.eval(p) : b.eval(p));
            }
            case 12 -> {                                      // a zero test of a value just computed (flags)
                Expr c = r.nextBoolean() ? gen(r, depth - 1, calls) : sumOfLocals(r);
                yield expr("(if (result i64) (i64.eqz " + c.wat() + ") (then " + a.wat() + ") (else " + b.wat()
                        + "))", p -> c.eval(p) == 0 ? a.eval(p) : b.eval(p));
            }
            case 13 -> {                                      // the same as an i32 truth value, through br_if
                Expr c = r.nextBoolean() ? gen(r, depth - 1, calls) : sumOfLocals(r);
                yield expr("(block (result i64) (drop (br_if 0 " + a.wat() + " (i32.wrap_i64 " + c.wat() + "))) "
                        + b.wat() + ")", p -> (int) c.eval(p) != 0 ? a.eval(p) : b.eval(p));
            }
            case 14 -> {                                      // a sum plus a constant: one three-operand lea
                long c = new long[] {1, -8, 4096, Integer.MAX_VALUE, Integer.MIN_VALUE}[r.nextInt(5)];
                yield expr("(i64.add (i64.add " + a.wat() + " " + b.wat() + ") (i64.const " + c + "))",
                        p -> a.eval(p) + b.eval(p) + c);
            }
            case 15 -> {                                      // the same in i32 (wraps), zero-extended
                int c = new int[] {1, -8, 4096, Integer.MAX_VALUE, Integer.MIN_VALUE}[r.nextInt(5)];
                yield expr("(i64.extend_i32_u (i32.add (i32.const " + c + ") (i32.add (i32.wrap_i64 " + a.wat()
                        + ") (i32.wrap_i64 " + b.wat() + "))))",
                        p -> Integer.toUnsignedLong((int) a.eval(p) + (int) b.eval(p) + c));
            }
            case 16 -> switch (r.nextInt(3)) {                // the low half: a zero-extending 32-bit move
                case 0 -> expr("(i64.and " + a.wat() + " (i64.const 4294967295))", p -> a.eval(p) & 0xFFFF_FFFFL);
                case 1 -> expr("(i64.and (i64.const 4294967295) " + a.wat() + ")", p -> a.eval(p) & 0xFFFF_FFFFL);
                default -> expr("(i64.extend_i32_u (i32.wrap_i64 " + a.wat() + "))", p -> a.eval(p) & 0xFFFF_FFFFL);
            };
            case 10 -> expr("(block (result i64 i64 i64) " + a.wat() + " " + b.wat() + " " + a.wat()
                    + ") (i64.sub) (i64.add)", p -> b.eval(p) - a.eval(p) + a.eval(p));
            default -> expr("(i64.div_u " + a.wat() + " (i64.or " + b.wat() + " (i64.const 1)))",
                    p -> Long.divideUnsigned(a.eval(p), b.eval(p) | 1));
        };
    }

    /**
     * The sum of two parameters, which stay live elsewhere in the tree: the optimizing tier adds them into a third
     * register (lea), whose zero test must stay (it once read stale flags).
     */
    private static Expr sumOfLocals(Random r) {
        int x = r.nextInt(PARAMS);
        int y = r.nextInt(PARAMS);
        return expr("(i64.add (local.get " + x + ") (local.get " + y + "))", p -> p[x] + p[y]);
    }

    private static long mix(long x, long y) {
        return x * 3 - y;
    }

    private static long mix9(long a, long b, long c, long d, long e, long f, long g, long h, long i) {
        return mix(mix(mix(mix(mix(mix(mix(mix(a, b), c), d), e), f), g), h), i);
    }

    private static Expr expr(String wat, java.util.function.ToLongFunction<long[]> eval) {
        return new Expr() {
            public String wat() {
                return wat;
            }

            public long eval(long[] p) {
                return eval.applyAsLong(p);
            }
        };
    }

    @Test
    void compiledTreesAgreeWithJava() {
        Random random = new Random(20261124);
        for (int round = 0; round < 400; round++) {
            Expr e = gen(random, 2 + round % 6, round % 2 == 0);
            String params = " i64".repeat(PARAMS);
            String wat = """
                    (module
                      (func $mix (param i64 i64) (result i64) (i64.sub (i64.mul (local.get 0) (i64.const 3)) (local.get 1)))
                      (func $mix9 (param %s) (result i64)
                        (call $mix (call $mix (call $mix (call $mix (call $mix (call $mix (call $mix (call $mix
                          (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)) (local.get 4)) (local.get 5))
                          (local.get 6)) (local.get 7)) (local.get 8)))
                      (func (export "f") (param %s) (result i64) %s))
                    """.formatted(params, params, e.wat());
            for (CompilerOptions options : new CompilerOptions[] {CompilerOptions.DEFAULT}) {
                try (TestInstance i = new TestInstance(TestInstance.load(Wat.toBinary(wat)), options)) {
                    for (int run = 0; run < 4; run++) {
                        long[] p = new long[PARAMS];
                        for (int k = 0; k < PARAMS; k++) p[k] = run == 0 ? k : random.nextLong() >> random.nextInt(64);
                        assertEquals(e.eval(p), i.invoke(2, p)[0],
                                () -> "round, arguments " + java.util.Arrays.toString(p) + ": " + wat);
                    }
                }
            }
        }
    }

    /** A generated f64 expression. */
    private interface FloatExpr {
        String wat();

        double eval(double[] p);
    }

    private static FloatExpr fexpr(String wat, java.util.function.ToDoubleFunction<double[]> eval) {
        return new FloatExpr() {
            public String wat() {
                return wat;
            }

            public double eval(double[] p) {
                return eval.applyAsDouble(p);
            }
        };
    }

    private static FloatExpr fgen(Random r, int depth) {
        if (depth == 0 || r.nextInt(10) == 0) {
            if (r.nextBoolean()) {
                int k = r.nextInt(PARAMS);
                return fexpr("(local.get " + k + ")", p -> p[k]);
            }
            double c = switch (r.nextInt(6)) {
                case 0 -> 0.0;
                case 1 -> -0.0;
                case 2 -> Double.POSITIVE_INFINITY;
                default -> (r.nextInt(2000) - 1000) / 8.0;
            };
            String text = Double.isInfinite(c) ? "inf" : (c == 0 && 1 / c < 0 ? "-0.0" : Double.toString(c));
            return fexpr("(f64.const " + text + ")", p -> c);
        }
        FloatExpr a = fgen(r, depth - 1);
        FloatExpr b = fgen(r, depth - 1);
        return switch (r.nextInt(9)) {
            case 0 -> fexpr("(f64.add " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) + b.eval(p));
            case 1 -> fexpr("(f64.sub " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) - b.eval(p));
            case 2 -> fexpr("(f64.mul " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) * b.eval(p));
            case 3 -> fexpr("(f64.min " + a.wat() + " " + b.wat() + ")", p -> Math.min(a.eval(p), b.eval(p)));
            case 4 -> fexpr("(f64.max " + a.wat() + " " + b.wat() + ")", p -> Math.max(a.eval(p), b.eval(p)));
            case 5 -> fexpr("(f64.copysign " + a.wat() + " " + b.wat() + ")", p -> Math.copySign(a.eval(p), b.eval(p)));
            case 6 -> fexpr("(call $fmix " + a.wat() + " " + b.wat() + ")", p -> a.eval(p) * 0.5 - b.eval(p));
            case 7 -> fexpr("(f64.neg (f64.abs " + a.wat() + "))", p -> -Math.abs(a.eval(p)));
            default -> {
                FloatExpr c = fgen(r, depth - 1);
                yield fexpr("(select " + a.wat() + " " + b.wat() + " (f64.lt " + c.wat() + " (f64.const 1)))",
                        p -> c.eval(p) < 1 ? a.eval(p) : b.eval(p));
            }
        };
    }

    @Test
    void compiledFloatTreesAgreeWithJava() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            FloatExpr e = fgen(random, 2 + round % 6);
            String params = " f64".repeat(PARAMS);
            String wat = """
                    (module
                      (func $fmix (param f64 f64) (result f64) (f64.sub (f64.mul (local.get 0) (f64.const 0.5)) (local.get 1)))
                      (func (export "f") (param %s) (result f64) %s))
                    """.formatted(params, e.wat());
            try (TestInstance i = new TestInstance(TestInstance.load(Wat.toBinary(wat)), CompilerOptions.DEFAULT)) {
                for (int run = 0; run < 4; run++) {
                    double[] p = new double[PARAMS];
                    long[] bits = new long[PARAMS];
                    for (int k = 0; k < PARAMS; k++) {
                        p[k] = run == 0 ? k - 4 : (random.nextInt(4000) - 2000) / 16.0;
                        bits[k] = Double.doubleToRawLongBits(p[k]);
                    }
                    double want = e.eval(p);
                    double got = Double.longBitsToDouble(i.invoke(1, bits)[0]);
                    if (Double.isNaN(want)) {
                        assertEquals(true, Double.isNaN(got), () -> "NaN expected: " + wat);
                    } else {
                        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), () -> wat);
                    }
                }
            }
        }
    }
}
