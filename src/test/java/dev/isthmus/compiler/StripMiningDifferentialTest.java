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
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loop strip mining ({@code compiler.optimizing.passes.StripMining}), differentially: random counted loops around an
 * inner loop that runs on some iterations only — exit tests {@code ne} after the increment, {@code eq} by
 * {@code br_if} out of a block before it, the counter itself counting down to zero, the limit on either side, i32
 * and i64 counters, steps +1 and -1, counts that cross zero and the signed boundary — with stores, a global, a trap
 * at a chosen iteration and loop values used after the loop. Strips are made short (1, 2, 3 or 7 iterations, the
 * property {@link StripMining#ITERATIONS_PROPERTY} while compiling) so that runs of 0 to 40 iterations cross many
 * strip ends, and end exactly on one. Each runs under the optimizing tier and the baseline tier: results or trap
 * kinds, the global and a CRC of the memory must agree, also with fuel on. The IR shows which loops were mined
 * (a {@code select} appears: the strip end), and every loop of a qualifying shape must be. Runs in a child JVM.
 */
class StripMiningDifferentialTest {
    /** ORDERED: an ordered exit test ({@code lt}/{@code le}/{@code gt}/{@code ge}, signed or not). */
    private enum Shape { NE_AFTER, NE_BEFORE, EQ_EXIT, DOWN_TO_ZERO, STEP_POWER_OF_TWO, ORDERED }

    /**
     * Where an innermost loop's start and limit come from: parameters, constants (a loop of at most a strip's
     * iterations then needs no poll at all), or the limit a constant away from the start.
     */
    private enum Bounds { PARAMETERS, CONSTANTS, START_PLUS_CONSTANT }

    /**
     * A generated module. {@code innermost}: the counted loop has no inner loop and runs inside an outer loop
     * (1-2 rounds); else it contains a conditional inner loop. {@code fixed}: {start, limit} written into the text
     * ({@link Bounds#CONSTANTS}, {@link Bounds#START_PLUS_CONSTANT}), else null.
     */
    private record Case(String text, Shape shape, boolean i64, int step, boolean limitLeft, boolean innermost,
                        Bounds bounds, int[] fixed, Order order, String description) {}

    /**
     * An ORDERED loop: it goes on while {@code i REL n} ({@code relation}: lt_u, le_s, ...), tested after the
     * increment ({@code br_if $l}) or before it ({@code br_if $done} on the negation, then the increment).
     */
    private record Order(String relation, boolean before) {
        boolean strict() {
            return relation.startsWith("lt") || relation.startsWith("gt");
        }

        /** Whether the loop from {@code start} leaves within {@code max} iterations (else it never does here). */
        boolean leavesWithin(boolean i64, int step, long start, long n, int max) {
            long e = start;
            for (int k = 0; k <= max; k++) {
                long next = i64 ? e + step : (int) (e + step);
                long tested = before ? e : next;
                boolean unsigned = relation.endsWith("_u");
                int cmp = unsigned ? (i64 ? Long.compareUnsigned(tested, n)
                        : Integer.compareUnsigned((int) tested, (int) n)) : Long.compare(tested, n);
                boolean goOn = switch (relation.substring(0, 2)) {
                    case "lt" -> cmp < 0;
                    case "le" -> cmp <= 0;
                    case "gt" -> cmp > 0;
                    default -> cmp >= 0;
                };
                if (!goOn) return true;
                e = next;
            }
            return false;
        }
    }

    private static final java.util.Map<String, String> SWAPPED = java.util.Map.of("lt", "gt", "gt", "lt", "le", "ge",
            "ge", "le");
    private static final java.util.Map<String, String> NEGATED = java.util.Map.of("lt", "ge", "ge", "lt", "le", "gt",
            "gt", "le");

    private static String statement(Random r, String t) {
        String i = t.equals("i64") ? "(i32.wrap_i64 (local.get $i))" : "(local.get $i)";
        return switch (r.nextInt(6)) {
            case 0 -> "(i32.store (i32.and (i32.shl " + i + " (i32.const 2)) (i32.const 4095)) " + i + ")\n";
            case 1 -> "(local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) (i64.extend_i32_u " + i + ")))\n";
            case 2 -> "(global.set $g (i64.add (global.get $g) (i64.extend_i32_s " + i + ")))\n";
            case 3 -> "(if (i32.eq " + i + " (local.get $t)) (then unreachable))\n";
            case 4 -> "(local.set $h (i64.xor (local.get $h) (i64.load (i32.and " + i + " (i32.const 4088)))))\n";
            default -> "(local.set $h (i64.rotl (local.get $h) (i64.const 7)))\n";
        };
    }

    /**
     * A statement that uses the counter only through an add of a constant (a memory offset), the use a mined loop's
     * rebased counter folds ({@code StripMining}'s rebase).
     */
    private static String offsetStatement(Random r, String t) {
        int c = new int[] {1, 13, -7, 4096, Integer.MAX_VALUE}[r.nextInt(5)];
        String sum = t.equals("i64") ? "(i32.wrap_i64 (i64.add (local.get $i) (i64.const " + c + ")))"
                : "(i32.add (local.get $i) (i32.const " + c + "))";
        return switch (r.nextInt(3)) {
            case 0 -> "(local.set $h (i64.add (local.get $h) (i64.load8_u (i32.and " + sum + " (i32.const 4095)))))\n";
            case 1 -> "(i32.store8 (i32.and " + sum + " (i32.const 4095)) (i32.wrap_i64 (local.get $h)))\n";
            default -> "(local.set $h (i64.rotl (local.get $h) (i64.const 7)))\n";
        };
    }

    private static Case generate(Random r) {
        Shape shape = Shape.values()[r.nextInt(Shape.values().length)];
        boolean i64 = r.nextBoolean();
        String t = i64 ? "i64" : "i32";
        int step = shape == Shape.DOWN_TO_ZERO ? -1
                : shape == Shape.STEP_POWER_OF_TWO ? new int[] {2, -2, 4, -8}[r.nextInt(4)]
                : shape == Shape.ORDERED ? new int[] {1, -1, 2, -4}[r.nextInt(4)] : r.nextBoolean() ? 1 : -1;
        Order order = null;
        if (shape == Shape.ORDERED) {
            String rel = step > 0 ? (r.nextInt(3) > 0 ? "lt" : "le") : (r.nextInt(3) > 0 ? "gt" : "ge");
            order = new Order(rel + (r.nextBoolean() ? "_s" : "_u"), r.nextBoolean());
        }
        boolean limitLeft = r.nextBoolean();
        boolean innermost = r.nextBoolean();
        Bounds bounds = innermost ? Bounds.values()[r.nextInt(Bounds.values().length)] : Bounds.PARAMETERS;
        int[] fixed = null;
        if (bounds != Bounds.PARAMETERS) {
            int[] plan = plan(r, shape, i64, step);
            fixed = new int[] {plan[1], plan[0]};
        }
        boolean top = innermost && r.nextInt(3) == 0;  // an innermost loop inside no other loop
        StringBuilder body = new StringBuilder();
        int statements = 1 + r.nextInt(4);
        boolean offsets = shape != Shape.ORDERED && r.nextInt(3) == 0;   // the counter only through offsets
        for (int s = 0; s < statements; s++) body.append(offsets ? offsetStatement(r, t) : statement(r, t));
        // the inner loop: runs (i & mask) == 0 times... only on some iterations, a few rounds each
        String i32i = i64 ? "(i32.wrap_i64 (local.get $i))" : "(local.get $i)";
        if (offsets) i32i = i64 ? "(i32.wrap_i64 (i64.add (local.get $i) (i64.const 3)))"
                : "(i32.add (local.get $i) (i32.const 3))";
        String inner = innermost ? "" : "(block $skip\n(br_if $skip (i32.and " + i32i + " (local.get $mask)))\n"
                + "(local.set $j (i32.const 0))\n"
                + "(loop $in\n(local.set $h (i64.add (local.get $h) (i64.extend_i32_u (local.get $j))))\n"
                + "(global.set $g (i64.add (global.get $g) (i64.const 1)))\n"
                + "(br_if $in (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 3)))))\n";
        String next = "(local.set $i (" + t + ".add (local.get $i) (" + t + ".const " + step + ")))\n";
        String limit = "(local.get $lim)";              // a loop invariant (computed before the loop)
        String loop = switch (shape) {
            case NE_AFTER, STEP_POWER_OF_TWO -> "(loop $l\n" + body + inner + next + "(br_if $l " + compare(t, "ne",
                    "(local.get $i)", limit, limitLeft) + "))\n";
            case NE_BEFORE -> "(loop $l\n" + body + inner + "(local.set $p (local.get $i))\n" + next
                    + "(br_if $l " + compare(t, "ne", "(local.get $p)", limit, limitLeft) + "))\n";
            case EQ_EXIT -> "(block $done (loop $l\n" + body + inner + "(br_if $done "
                    + compare(t, "eq", "(local.get $i)", limit, limitLeft) + ")\n" + next + "(br $l)))\n";
            case DOWN_TO_ZERO -> "(loop $l\n" + body + inner + next + "(br_if $l "
                    + (i64 ? "(i64.ne (local.get $i) (i64.const 0))" : "(local.get $i)") + "))\n";
            case ORDERED -> {
                String rel = order.relation().substring(0, 2), sign = order.relation().substring(2);
                if (order.before()) rel = NEGATED.get(rel);
                if (limitLeft) rel = SWAPPED.get(rel);
                String test = compare(t, rel + sign, "(local.get $i)", limit, limitLeft);
                yield order.before()
                        ? "(block $done (loop $l\n" + body + inner + "(br_if $done " + test + ")\n" + next
                                + "(br $l)))\n"
                        : "(loop $l\n" + body + inner + next + "(br_if $l " + test + "))\n";
            }
        };
        String text = """
                (module
                  (memory (export "m") 1)
                  (global $g (export "g") (mut i64) (i64.const 0))
                  (data (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08 data at the start")
                  (func (export "run") (param $n i32) (param $s i32) (param $t i32) (param $mask i32) (result i64)
                    (local $i T) (local $p T) (local $lim T) (local $j i32) (local $h i64)
                    (local $o i32)
                    (local.set $h (i64.const 7))
                OUTER    (i64.add (local.get $h) (i64.add (EXTEND_I) (EXTEND_P))))
                )
                """.replace("OUTER", innermost && !top
                        ? "(loop $outer\n(local.set $i START)\n(local.set $lim LIMIT)\n" + loop
                                + "(local.set $h (i64.add (local.get $h) (EXTEND_I)))\n"
                                + "(br_if $outer (i32.ne (local.tee $o (i32.add (local.get $o) (i32.const 1)))"
                                + " (i32.add (i32.and (local.get $mask) (i32.const 1)) (i32.const 1)))))\n"
                        : "(local.set $i START)\n(local.set $lim LIMIT)\n" + loop)
                .replace("START", start(bounds, i64, fixed))
                .replace("LIMIT", limit(bounds, i64, fixed))
                .replace("EXTEND_I", i64 ? "local.get $i" : "i64.extend_i32_u (local.get $i)")
                .replace("EXTEND_P", i64 ? "local.get $p" : "i64.extend_i32_u (local.get $p)")
                .replace(" T)", " " + t + ")");
        return new Case(text, shape, i64, step, limitLeft, innermost, bounds, fixed, order, shape + " " + t + " step "
                + step + (order != null ? " " + order : "") + (limitLeft ? " limit left" : "")
                + (innermost ? ", innermost" + (top ? " (top level)" : "") + ", bounds " + bounds : "")
                + (fixed != null ? " " + Arrays.toString(fixed) : "") + ", " + statements
                + (offsets ? " offset statements" : " statements"));
    }

    private static String start(Bounds bounds, boolean i64, int[] fixed) {
        String t = i64 ? "i64" : "i32";
        return switch (bounds) {
            case CONSTANTS -> "(" + t + ".const " + fixed[0] + ")";
            default -> i64 ? "(i64.extend_i32_s (local.get $s))" : "(local.get $s)";
        };
    }

    private static String limit(Bounds bounds, boolean i64, int[] fixed) {
        String t = i64 ? "i64" : "i32";
        return switch (bounds) {
            case PARAMETERS -> i64 ? "(i64.extend_i32_s (local.get $n))" : "(local.get $n)";
            case CONSTANTS -> "(" + t + ".const " + fixed[1] + ")";
            // the limit as the start's own value plus a constant (the pass sees base + constant)
            case START_PLUS_CONSTANT -> "(" + t + ".add (local.get $i) (" + t + ".const "
                    + (i64 ? (long) fixed[1] - fixed[0] : fixed[1] - fixed[0]) + "))";
        };
    }

    /**
     * {n, start} for a loop that runs 1 to 41 times; with a step of +-2^k, one time in four n is off by one, so
     * the counter never equals it and the loop runs until a trap or its fuel ends it (the counter wraps).
     */
    private static int[] plan(Random r, Shape shape, boolean i64, int step) {
        // i32 counters also cross the signed boundary (i64 ones are the i32 arguments sign-extended: no wrap there)
        int start = new int[] {0, 1, 5, -3, -1, 100, Integer.MAX_VALUE - 2, Integer.MIN_VALUE + 1}[
                r.nextInt(i64 ? 6 : 8)];
        int iterations = r.nextInt(41);                 // the test of the last one is true (exit)
        int n;
        if (shape == Shape.DOWN_TO_ZERO) {
            start = 1 + r.nextInt(41);                  // counts down to zero: start iterations
            n = 0;
        } else if (shape == Shape.ORDERED) {
            if (r.nextInt(4) == 0) {                    // near the ends of the range: the counter may wrap
                start = new int[] {-3, -2, Integer.MAX_VALUE - 3, Integer.MIN_VALUE + 2, 2}[r.nextInt(5)];
            }
            n = start + iterations * step + (r.nextBoolean() ? 0 : r.nextInt(Math.abs(step)) * Integer.signum(step));
            if (r.nextInt(5) == 0) n = new int[] {-1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}[r.nextInt(4)];
            return new int[] {n, start};
        } else if (shape == Shape.NE_BEFORE || shape == Shape.EQ_EXIT) {
            n = start + iterations * step;              // tests i before its increment: iterations + 1 rounds
        } else {
            n = start + (iterations + 1) * step;
        }
        if (Math.abs(step) > 1 && r.nextInt(4) == 0) n += 1;
        return new int[] {n, start};
    }

    private static String compare(String t, String op, String e, String limit, boolean limitLeft) {
        return "(" + t + "." + op + " " + (limitLeft ? limit + " " + e : e + " " + limit) + ")";
    }

    /**
     * Arguments: limit n, start s, the trap value t, the inner loop's mask (its low bit also the outer loop's
     * second round for an innermost loop), and 1 when the loop never reaches its limit (then it runs with fuel only).
     */
    private static int[] arguments(Random r, Case c) {
        int[] plan = c.fixed() != null ? new int[] {c.fixed()[1], c.fixed()[0]} : plan(r, c.shape(), c.i64(), c.step());
        int n = plan[0], start = plan[1];
        long distance = c.step() > 0 ? (long) n - start : (long) start - n;
        boolean endless = c.order() != null ? !c.order().leavesWithin(c.i64(), c.step(), start, n, 200)
                : Math.floorMod(distance, Math.abs(c.step())) != 0;
        int trap = r.nextInt(3) == 0 ? start + r.nextInt(41) * c.step() : 1_000_000_007;
        int mask = new int[] {0, 1, 3, 7, -1}[r.nextInt(5)];
        return new int[] {n, start, trap, mask, endless ? 1 : 0};
    }

    private static String run(Isthmus engine, String text, int[] args, int strip) {
        Instance instance = WithProperty.get(StripMining.ITERATIONS_PROPERTY, String.valueOf(strip),
                () -> engine.compile(text.getBytes(StandardCharsets.UTF_8)).instantiate());
        try (instance) {
            return DifferentialOutcome.of(instance, "run", new Object[] {args[0], args[1], args[2], args[3]}, "g");
        }
    }

    private static String differential(long seed, int modules, int runsEach) {
        Isthmus optimizing = Isthmus.builder().tier(Tier.OPTIMIZING).build();
        Isthmus baseline = Isthmus.builder().tier(Tier.BASELINE).build();
        Random r = new Random(seed);
        int mined = 0, rebased = 0, bounded = 0, leftAlone = 0, traps = 0, returns = 0, fuelTraps = 0, endless = 0;
        for (int i = 0; i < modules; i++) {
            Case c = generate(r);
            String ir = TestInstance.simplifiedIr(Wat.toBinary(c.text()), 0,
                    CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING));
            assertTrue(!ir.startsWith("declined"), c.description() + ": " + ir + "\n" + c.text());
            boolean wasMined = ir.contains("; polls");
            // rebased (the strip counts to zero): the IR differs from the one with the rebase switched off
            String plain = WithProperty.get(StripMining.REBASE_PROPERTY, "false", () -> TestInstance.simplifiedIr(
                    Wat.toBinary(c.text()), 0, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING)));
            if (!plain.equals(ir)) rebased++;
            // every shape is mined, but an innermost loop of constant count within a strip, which only loses its poll
            // (<= and >= are left alone: at the top of the range the counter would wrap inside one strip)
            boolean minable = c.order() == null || c.order().strict();
            assertTrue(minable ? wasMined || c.innermost() && c.bounds() != Bounds.PARAMETERS && ir.contains("unpolled")
                    : !wasMined, c.description() + "\n" + c.text() + "\n" + ir);
            if (wasMined) mined++;
            else if (minable) bounded++;
            else leftAlone++;
            int strip = new int[] {1, 2, 3, 7}[r.nextInt(4)];
            for (int k = 0; k < runsEach; k++) {
                int[] args = arguments(r, c);
                String where = c.description() + ", strips of " + strip + ", args " + Arrays.toString(args) + "\n"
                        + c.text();
                long budget = 20 + r.nextInt(r.nextBoolean() ? 200 : 5_000);
                String fuelExpected = run(DifferentialOutcome.fuelEngine(Tier.BASELINE, budget), c.text(), args, strip);
                String fuelActual = run(DifferentialOutcome.fuelEngine(Tier.OPTIMIZING, budget), c.text(), args, strip);
                assertEquals(fuelExpected, fuelActual, "fuel " + budget + ": " + where);
                if (fuelExpected.startsWith("trap OUT_OF_FUEL")) fuelTraps++;
                if (args[4] == 1) {                     // it never returns: fuel (or a trap) ends it
                    if (!fuelExpected.startsWith("trap")) {
                        throw new AssertionError("an endless loop returned: " + fuelExpected + "\n" + where);
                    }
                    endless++;
                    continue;
                }
                String expected = run(baseline, c.text(), args, strip);
                String actual = run(optimizing, c.text(), args, strip);
                assertEquals(expected, actual, where);
                if (expected.startsWith("trap")) traps++;
                else returns++;
            }
        }
        String summary = mined + " mined of " + modules + " (" + rebased + " rebased; " + bounded
                + " bounded, unpolled; " + leftAlone + " <=/>= left alone); " + returns
                + " returns, " + traps + " traps; " + fuelTraps + " out of fuel (" + endless + " endless runs)";
        assertTrue(mined > modules / 2 && rebased > modules / 10 && bounded > modules / 20 && traps > 30 && returns > 300 && fuelTraps > 30
                && endless > 10, summary);
        return summary;
    }

    /** The child: prints the summary line. */
    public static void main(String[] args) {
        System.out.println("summary: " + differential(Long.parseLong(args[0]), Integer.parseInt(args[1]), 8));
    }

    /**
     * The endless counted loop that {@code robustness.InterruptTest} interrupts (its "variants" scenario) is mined:
     * so that test shows a mined loop polls between its strips.
     */
    @Test
    void theInterruptTestsCountedLoopIsMined() throws Exception {
        byte[] wasm;
        try (var in = StripMiningDifferentialTest.class.getResourceAsStream("/robustness/interrupt.wat")) {
            wasm = Wat.toBinary(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        dev.isthmus.model.WasmModule module = TestInstance.load(wasm);
        int index = -1;
        for (dev.isthmus.model.Export e : module.exports()) {
            if (e.name().equals("countedSpin")) index = e.index() - module.importedFunctionCount();
        }
        String ir = TestInstance.simplifiedIr(wasm, index, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING));
        assertTrue(ir.contains("; polls") && ir.contains("unpolled"), ir);
    }

    @Test
    void minedLoopsAgreeWithTheBaseline(@TempDir Path work) throws Exception {
        List<String> out = ChildJvm.run("strip mining", work, List.of("-Disthmus.tier.strict=true"),
                StripMiningDifferentialTest.class, List.of(String.valueOf(0x57_41_9L), "200"), 600);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("summary: ")), String.join("\n", out));
        System.out.println(out.stream().filter(l -> l.startsWith("summary: ")).findFirst().orElseThrow());
    }
}
