package dev.isthmus.compiler;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.compiler.optimizing.passes.StripMining;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.robustness.ChildJvm;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loop unrolling ({@code compiler.optimizing.passes.LoopUnrolling}), differentially: random small loops — exit tests
 * at the bottom ({@code lt_s}, {@code ne}, {@code gt_s} counting down), at the top and in the middle of the body,
 * loops with a second (early) exit to the same place, three exits to two places (values merged at a join after
 * them), a scanner that leaves on a byte of memory, and loops with a call, which must not be unrolled; most inside
 * an outer loop, a quarter at the top level of the function (where only loops with several exits are unrolled) —
 * carrying i32, i64, f64 and v128 values
 * around the loop, loading and storing memory near its end (so an access traps at some iteration, after the stores
 * of the earlier ones), trapping by {@code unreachable} or a division by zero at a chosen iteration, updating a
 * global, and returning values of the last iteration (loop values used after the loop, defined before and after
 * the exit test). Each runs under the optimizing tier and the baseline tier, and the result or trap kind, the global
 * and a CRC of the memory must agree; then again with fuel on and a small budget, where the out-of-fuel trap (or the
 * result) and the fuel left must agree too. The IR shows whether each loop was unrolled (its marker
 * {@code global.set} repeated 2 or 4 times), never for a loop with a call. Runs in a
 * child JVM: a wrong unrolling could store anywhere.
 */
class LoopUnrollingDifferentialTest {
    private enum Shape {
        BOTTOM_LT, BOTTOM_NE, BOTTOM_GT_DOWN, TOP_GE, MIDDLE, EARLY_EXIT, CALL, THREE_EXITS, SCAN;

        /** Loops with more than one exit (unrolled wherever they are). */
        boolean exits() {
            return this == EARLY_EXIT || this == THREE_EXITS || this == SCAN;
        }
    }

    /** One generated module: its text, its marker count in the source and whether its loop qualifies. */
    private record Case(String text, int markers, boolean unrollable, int step, Shape shape, String description) {}

    /** An exit test on the memory: the byte at the loop's address equals one of the data's bytes. */
    private static String byteTest(Random r) {
        return "(i32.eq (i32.load8_u " + address(r) + ") (i32.const " + (1 + r.nextInt(8)) + "))";
    }

    private static final long[] OFFSETS = {0, 0, 4, 16, 100, 4093};

    private static String address(Random r) {
        long offset = OFFSETS[r.nextInt(OFFSETS.length)];
        int shift = r.nextInt(4);
        return "offset=" + offset + " (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const " + shift + ")))";
    }

    private static String statement(Random r) {
        return switch (r.nextInt(11)) {
            case 0 -> "(i32.store " + address(r) + " (i32.wrap_i64 (local.get $h)))\n";
            case 1 -> "(local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) (i64.load32_u " + address(r)
                    + ")))\n";
            case 2 -> "(local.set $d (f64.add (f64.mul (local.get $d) (f64.const 0.5)) (f64.convert_i32_s "
                    + "(local.get $i))))\n";
            case 3 -> "(local.set $w (i32x4.add (local.get $w) (v128.load " + address(r) + ")))\n";
            case 4 -> "(global.set $g (i64.add (global.get $g) (i64.extend_i32_s (local.get $i))))\n";
            case 5 -> "(local.set $k (i32.add (local.get $k) (i32.div_s (i32.const 1000) "
                    + "(i32.sub (local.get $i) (local.get $t)))))\n";
            case 6 -> "(if (i32.eq (local.get $i) (local.get $t)) (then unreachable))\n";
            case 7 -> "(local.set $k (select (local.get $k) (i32.xor (local.get $k) (local.get $i)) "
                    + "(i32.and (local.get $i) (i32.const 1))))\n";
            case 8 -> "(v128.store " + address(r) + " (local.get $w))\n";
            case 9 -> "(i64.store8 " + address(r) + " (local.get $h))\n";
            default -> "(local.set $h (i64.rotl (local.get $h) (i64.extend_i32_u (local.get $k))))\n";
        };
    }

    private static Case generate(Random r) {
        Shape shape = Shape.values()[r.nextInt(Shape.values().length)];
        boolean outer = r.nextInt(4) != 0;
        int step = switch (shape) {
            case BOTTOM_GT_DOWN -> -(1 + r.nextInt(3));
            case BOTTOM_NE -> 1;
            default -> 1 + r.nextInt(3);
        };
        StringBuilder first = new StringBuilder("(global.set $mark (local.get $i))\n");
        StringBuilder second = new StringBuilder();
        int statements = 1 + r.nextInt(outer ? 8 : 3);   // small at the top level: unrolled there up to 24 values
        for (int s = 0; s < statements; s++) {
            ((shape == Shape.MIDDLE || shape.exits()) && r.nextBoolean() ? second : first)
                    .append(statement(r));
        }
        StringBuilder third = new StringBuilder();
        if (shape == Shape.THREE_EXITS) for (int s = r.nextInt(3); s > 0; s--) third.append(statement(r));
        if (shape == Shape.CALL) first.append("(call $side)\n");
        String advance = "(local.set $i (i32.add (local.get $i) (i32.const " + step + ")))\n";
        String loop = switch (shape) {
            case BOTTOM_LT, CALL -> "(loop $l\n" + first + advance + "(br_if $l (i32.lt_s (local.get $i) (local.get $n))))\n";
            case BOTTOM_NE -> "(loop $l\n" + first + advance + "(br_if $l (i32.ne (local.get $i) (local.get $n))))\n";
            case BOTTOM_GT_DOWN -> "(loop $l\n" + first + advance
                    + "(br_if $l (i32.gt_s (local.get $i) (local.get $n))))\n";
            case TOP_GE -> "(block $d (loop $l\n(br_if $d (i32.ge_s (local.get $i) (local.get $n)))\n" + first
                    + advance + "(br $l)))\n";
            case MIDDLE -> "(block $d (loop $l\n" + first + "(br_if $d (i32.ge_s (local.get $i) (local.get $n)))\n"
                    + second + advance + "(br $l)))\n";
            case EARLY_EXIT -> "(block $d (loop $l\n" + first
                    + "(br_if $d (i32.eq (local.get $i) (i32.add (local.get $t) (i32.const 1))))\n" + second
                    + advance + "(br_if $l (i32.lt_s (local.get $i) (local.get $n)))))\n";
            // three exits to two places: the first skips a statement after the loop that the others run
            case THREE_EXITS -> "(block $d2 (block $d1 (loop $l\n" + first
                    + "(br_if $d1 (i32.eq (local.get $i) (i32.add (local.get $t) (i32.const 2))))\n" + second
                    + "(br_if $d2 " + byteTest(r) + ")\n" + third
                    + advance + "(br_if $l (i32.lt_s (local.get $i) (local.get $n)))))\n"
                    + "(local.set $h (i64.xor (local.get $h) (i64.const 0x5555)))\n"
                    + "(local.set $k (i32.add (local.get $k) (local.get $i))))\n";
            // a scanner: leaves on the data (a byte of the data section) or at the limit, tested at the top
            case SCAN -> "(block $d (loop $l\n(br_if $d (i32.ge_s (local.get $i) (local.get $n)))\n" + first
                    + "(br_if $d " + byteTest(r) + ")\n" + second + advance + "(br $l)))\n";
        };
        String text = """
                (module
                  (memory (export "m") 1)
                  (global $g (export "g") (mut i64) (i64.const 0))
                  (global $mark (export "mark") (mut i32) (i32.const 0))
                  (data (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08 data at the start")
                  (data (i32.const 65500) "data near the end of the first page")
                  (func $side (global.set $g (i64.add (global.get $g) (i64.const 1000))))
                  (func (export "run") (param $n i32) (param $a i32) (param $t i32) (param $s i32) (result i64)
                    (local $i i32) (local $h i64) (local $d f64) (local $w v128) (local $k i32)
                    (local.set $i (local.get $s))
                    (local.set $h (i64.const 7))
                LOOP    (i64.add (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i64.add (i64.reinterpret_f64 (local.get $d))
                        (i64.add (i64x2.extract_lane 0 (local.get $w))
                          (i64.add (i64x2.extract_lane 1 (local.get $w)) (i64.extend_i32_u (local.get $k))))))))
                """.replace("LOOP", outer ? OUTER.replace("INNER", loop) : loop);
        int markers = count(loop, "global.set");
        boolean unrollable = shape != Shape.CALL && (outer || shape.exits());
        return new Case(text, markers, unrollable, step, shape, shape + " step " + step + ", " + statements
                + " statements" + (outer ? "" : ", top level"));
    }

    /**
     * The loop under test inside an outer loop that runs once (its back-edge test reads memory, so no pass folds it
     * away): the optimizing tier unrolls only loops that lie inside another loop.
     */
    private static final String OUTER = """
            (loop $outer
            INNER(br_if $outer (i32.eq (i32.load (i32.const 60000)) (i32.const 1592614637))))
            """;

    private static int count(String s, String what) {
        int n = 0;
        for (int k = s.indexOf(what); k >= 0; k = s.indexOf(what, k + 1)) n++;
        return n;
    }

    /** Arguments: the limit, the base address (near the memory's end or far from it), the trap iteration, start. */
    private static int[] arguments(Random r, Case c) {
        int start = new int[] {0, 1, 5, -3, 100}[r.nextInt(5)];
        int iterations = new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 100, 1001}[r.nextInt(13)];
        int limit = start + iterations * c.step();
        if (c.shape() == Shape.BOTTOM_NE && iterations == 0) limit = start + 1;
        int base = new int[] {0, 64, 65536 - 4096, 65536 - 256, 65536 - 40, 65536 - 4}[r.nextInt(6)];
        int trapAt = r.nextInt(3) == 0 ? start + r.nextInt(Math.max(1, iterations)) * c.step() : -1_000_000;
        return new int[] {limit, base, trapAt, start};
    }

    private static String run(Isthmus engine, String text, int[] args) {
        try (Instance instance = engine.compile(text.getBytes(StandardCharsets.UTF_8)).instantiate()) {
            return DifferentialOutcome.of(instance, "run", new Object[] {args[0], args[1], args[2], args[3]}, "g",
                    "mark");
        }
    }

    /**
     * The IR of "run" under the optimizing tier, innermost loops not strip-mined (a mined loop whose exit test comes
     * first repeats its body once more on the way to the strip head, which would count as a copy; the runs below
     * compile with mining on).
     */
    private static String ir(String text) {
        return WithProperty.get(StripMining.INNERMOST_PROPERTY, "false", () -> TestInstance.simplifiedIr(
                Wat.toBinary(text), 1, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING)));
    }

    private static String differential(long seed, int modules, int runsEach) {
        Isthmus optimizing = Isthmus.builder().tier(Tier.OPTIMIZING).build();
        Isthmus baseline = Isthmus.builder().tier(Tier.BASELINE).build();
        Random r = new Random(seed);
        int unrolled = 0, fours = 0, twos = 0, traps = 0, returns = 0, fuelTraps = 0, severalExits = 0, topLevel = 0;
        for (int i = 0; i < modules; i++) {
            Case c = generate(r);
            String ir = ir(c.text());
            assertTrue(!ir.startsWith("declined"), c.description() + ": " + ir + "\n" + c.text());
            int copies = count(ir, "global_set") / c.markers();
            assertEquals(0, count(ir, "global_set") % c.markers(), c.description() + "\n" + ir);
            // a loop with a call, or one exit at the top level, stays as it is; the others are unrolled unless over
            // the budget
            if (!c.unrollable()) assertEquals(1, copies, c.description() + ": unrolled\n" + c.text() + "\n" + ir);
            assertTrue(copies == 1 || copies == 2 || copies == 4, c.description() + ": " + copies + " copies");
            if (copies > 1) unrolled++;
            if (copies > 1 && c.shape().exits()) severalExits++;
            if (copies > 1 && c.description().endsWith("top level")) topLevel++;
            if (copies == 4) fours++;
            if (copies == 2) twos++;
            for (int k = 0; k < runsEach; k++) {
                int[] args = arguments(r, c);
                // fuel on first, a budget that may run out anywhere in the loop (a wrong unrolling that loops on
                // then still ends), then fuel off; the first difference fails the test
                long budget = 20 + r.nextInt(r.nextBoolean() ? 200 : 20_000);
                String fuelExpected = run(DifferentialOutcome.fuelEngine(Tier.BASELINE, budget), c.text(), args);
                String fuelActual = run(DifferentialOutcome.fuelEngine(Tier.OPTIMIZING, budget), c.text(), args);
                assertEquals(fuelExpected, fuelActual, c.description() + " fuel " + budget + " args "
                        + java.util.Arrays.toString(args) + "\n" + c.text());
                if (fuelExpected.startsWith("trap OUT_OF_FUEL")) fuelTraps++;
                String expected = run(baseline, c.text(), args);
                String actual = run(optimizing, c.text(), args);
                assertEquals(expected, actual, c.description() + " args " + java.util.Arrays.toString(args) + "\n"
                        + c.text());
                if (expected.startsWith("trap")) traps++;
                else returns++;
            }
        }
        String summary = unrolled + " unrolled of " + modules + " (" + fours + " 4x, " + twos + " 2x; " + severalExits
                + " with several exits, " + topLevel + " at the top level); " + returns + " returns, " + traps
                + " traps; " + fuelTraps + " out of fuel";
        assertTrue(unrolled > modules / 2 && fours > modules / 4 && twos > modules / 30 && severalExits > modules / 5
                && topLevel > modules / 30 && traps > 50 && returns > 50 && fuelTraps > 50, summary);
        return summary;
    }

    /** The child: prints the summary line. */
    public static void main(String[] args) {
        System.out.println("summary: " + differential(Long.parseLong(args[0]), Integer.parseInt(args[1]), 6));
    }

    @Test
    void unrolledLoopsAgreeWithTheBaseline(@TempDir Path work) throws Exception {
        List<String> out = ChildJvm.run("loop unrolling", work, List.of(), LoopUnrollingDifferentialTest.class,
                List.of(String.valueOf(0x0A_11_4L), "300"), 600);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("summary: ")), String.join("\n", out));
        System.out.println(out.stream().filter(l -> l.startsWith("summary: ")).findFirst().orElseThrow());
    }
}
