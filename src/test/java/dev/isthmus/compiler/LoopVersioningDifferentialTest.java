package dev.isthmus.compiler;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.text.Wat;
import dev.isthmus.robustness.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Range-check elimination by loop versioning ({@code compiler.optimizing.passes.LoopVersioning}), differentially:
 * random counted loops (counting up or down by various steps, exit tests at the top or the bottom, {@code ne},
 * {@code eq}, {@code eqz} and {@code lt_u} forms, limits that the counter hits or misses, indices derived from the
 * counter and from a second pointer, stores and a global update before the access that faults, offsets near the
 * memory's size) run under the optimizing tier and the baseline tier, with start values, limits and bases near and
 * beyond the memory's size, on a memory64 memory (default mode) and on a 32-bit memory in explicit bounds-check
 * mode, its maximum 4 pages or 1 (then nothing lies behind the memory's reservation but another mapping or none, so
 * an access a wrong proof lets through past the size crashes the child JVM that runs the test). Each run's result or trap kind, the global and a CRC of the whole memory after the call must agree. Each
 * loop's IR shows whether it was versioned, which must be exactly when the conditions hold (a loop calling a function
 * or growing memory must not be).
 */
class LoopVersioningDifferentialTest {
    private enum Shape { BOTTOM_NE, TOP_EQ, TOP_EQZ, BOTTOM_LT_U, BOTTOM_NE_CONST }

    /** One generated module: its text and whether its loop qualifies for versioning. */
    private record Case(String text, boolean versionable, String at, long step, String description) {}

    private static final long[] STEPS = {1, 2, 4, 8, 16, -1, -2, -4, -8, 3, -3, 6};
    private static final long[] OFFSETS = {0, 0, 1, 7, 64, 4093, 65535, 65536 + 12};

    private static Case generate(Random r, boolean memory64) {
        String at = memory64 ? "i64" : "i32";
        Shape shape = Shape.values()[r.nextInt(Shape.values().length)];
        long step = STEPS[r.nextInt(STEPS.length)];
        if (shape == Shape.TOP_EQZ && step > 0 && r.nextBoolean()) step = -step;
        int shift = r.nextInt(4);
        long qstep = new long[] {1, 4, 8, -4, -8, 6, 0}[r.nextInt(7)];
        int extra = r.nextInt(10);                   // 0: a call in the body, 1: memory.grow, else nothing
        StringBuilder body = new StringBuilder();
        String cIndex = "(" + at + ".add (local.get $p) (" + at + ".shl (local.get $c) (" + at + ".const " + shift + ")))";
        String qIndex = r.nextBoolean() ? "(local.get $q)" : "(" + at + ".add (local.get $q) (" + at + ".const 8))";
        // stores and a global update first, then accesses that may fault
        int statements = 2 + r.nextInt(3);
        boolean usedC = false;
        for (int i = 0; i < statements; i++) {
            boolean c = i == statements - 1 && !usedC || r.nextBoolean();
            usedC |= c;
            String index = c ? cIndex : qIndex;
            long offset = OFFSETS[r.nextInt(OFFSETS.length)];
            switch (r.nextInt(6)) {
                case 0 -> body.append("(i32.store8 offset=").append(offset).append(' ').append(index)
                        .append(" (i32.wrap_i64 (local.get $h)))\n");
                case 1 -> body.append("(i64.store offset=").append(offset).append(' ').append(index)
                        .append(" (local.get $h))\n");
                case 2 -> body.append("(i32.store16 offset=").append(offset).append(' ').append(index)
                        .append(" (i32.const 0x1234))\n");
                case 3 -> body.append("(local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) (i64.load offset=")
                        .append(offset).append(' ').append(index).append(")))\n");
                case 4 -> body.append("(local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) ")
                        .append("(i64.extend_i32_u (i32.load8_u offset=").append(offset).append(' ').append(index)
                        .append("))))\n");
                default -> body.append("(local.set $h (i64.xor (local.get $h) (i64.extend_i32_s (i32.load16_s offset=")
                        .append(offset).append(' ').append(index).append("))))\n");
            }
            if (r.nextInt(3) == 0) body.append("(global.set $g (i64.add (global.get $g) (i64.const 1)))\n");
        }
        if (extra == 0) body.append("(call $side)\n");
        if (extra == 1) body.append("(drop (memory.grow (").append(at).append(".const ").append(r.nextInt(2)).append(")))\n");
        body.append("(local.set $q (").append(at).append(".add (local.get $q) (").append(at).append(".const ")
                .append(qstep).append(")))\n");
        String advance = "(local.set $c (" + at + ".add (local.get $c) (" + at + ".const " + step + ")))\n";
        long constLimit = new long[] {0, 16, 100, 1000, 65536, 3}[r.nextInt(6)];
        String loop = switch (shape) {
            case BOTTOM_NE -> "(loop $l\n" + body + advance + "(br_if $l (" + at + ".ne (local.get $c) (local.get $L))))\n";
            case BOTTOM_NE_CONST -> "(loop $l\n" + body + advance + "(br_if $l (" + at + ".ne (local.get $c) ("
                    + at + ".const " + constLimit + "))))\n";
            case BOTTOM_LT_U -> "(loop $l\n" + body + advance + "(br_if $l (" + at + ".lt_u (local.get $c) (local.get $L))))\n";
            case TOP_EQ -> "(block $d (loop $l\n(br_if $d (" + at + ".eq (local.get $c) (local.get $L)))\n" + body
                    + advance + "(br $l)))\n";
            case TOP_EQZ -> "(block $d (loop $l\n(br_if $d (" + at + ".eqz (local.get $c)))\n" + body + advance
                    + "(br $l)))\n";
        };
        String text = """
                (module
                  (memory (export "m") AT 1 MAX)
                  (global $g (export "g") (mut i64) (i64.const 0))
                  (data (AT.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08 data at the start")
                  (data (AT.const 65500) "data near the end of the first page")
                  (func $side (global.set $g (i64.add (global.get $g) (i64.const 1000))))
                  (func (export "run") (param $p AT) (param $c AT) (param $L AT) (param $q AT) (result i64)
                    (local $h i64)
                LOOP    (local.get $h)))
                """.replace("AT", at).replace("LOOP", loop).replace("MAX", extra == 1 || r.nextBoolean() ? "4" : "1");
        boolean powerOfTwo = Long.bitCount(Math.abs(step)) == 1;
        boolean versionable = shape != Shape.BOTTOM_LT_U && powerOfTwo && extra > 1;
        return new Case(text, versionable, at, step, shape + " step " + step + " shift " + shift + " qstep " + qstep
                + (extra == 0 ? " call" : extra == 1 ? " grow" : ""));
    }

    /** Arguments near interesting values: the memory's end, 0, the wrap points of the address type. */
    private static long[] arguments(Random r, Case c, boolean memory64) {
        long[] bases = memory64
                ? new long[] {0, 8, 65536 - 64, 65536 - 8, 65536, 65536 + 4, 131072 - 16, 1L << 32, -8, -65536, Long.MIN_VALUE}
                : new long[] {0, 8, 65536 - 64, 65536 - 8, 65536, 65536 + 4, 131072 - 16, 0x7FFF_FFF8L, 0xFFFF_FFF8L};
        long p = bases[r.nextInt(bases.length)] + (r.nextInt(3) == 0 ? r.nextInt(65) - 32 : 0);
        long c0 = new long[] {0, 1, 5, 100, 1000, -1, -100, 0x7FFF_FFFFL}[r.nextInt(8)];
        long n = new long[] {0, 1, 2, 3, 50, 1000, 20000, 70000}[r.nextInt(8)];
        long limit = r.nextInt(5) == 0 ? c0 + n * c.step() + 1 : c0 + n * c.step();     // sometimes never hit
        long q = bases[r.nextInt(bases.length)] + (r.nextInt(3) == 0 ? r.nextInt(65) - 32 : 0);
        if (!memory64) {
            p &= 0xFFFF_FFFFL;
            c0 &= 0xFFFF_FFFFL;
            limit &= 0xFFFF_FFFFL;
            q &= 0xFFFF_FFFFL;
        }
        return new long[] {p, c0, limit, q};
    }

    private static String run(Isthmus engine, String text, long[] args, boolean memory64) {
        try (Instance instance = engine.compile(text.getBytes(StandardCharsets.UTF_8)).instantiate()) {
            Object[] a = new Object[4];
            for (int i = 0; i < 4; i++) a[i] = memory64 ? (Object) args[i] : (Object) (int) args[i];
            String outcome;
            try {
                outcome = "= " + ((Number) instance.call("run", a)[0]).longValue();
            } catch (WasmTrap trap) {
                outcome = "trap " + trap.kind();
            }
            Memory m = instance.memory("m");
            CRC32 crc = new CRC32();
            crc.update(m.read(0, (int) m.byteSize()));
            return outcome + ", g " + instance.global("g").get() + ", " + m.byteSize() + " bytes crc "
                    + Long.toHexString(crc.getValue());
        }
    }

    /** The IR of "run" under the optimizing tier (the text between the stages), to see whether it was versioned. */
    private static String ir(String text, BoundsChecks mode) {
        return TestInstance.simplifiedIr(Wat.toBinary(text), 1, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING).withBoundsChecks(mode));
    }

    /** Runs in a child JVM: a wrong elimination could touch memory outside every reservation. */
    private static String differential(boolean memory64, long seed, int modules, int runsEach) {
        BoundsChecks mode = memory64 ? BoundsChecks.GUARD_PAGES : BoundsChecks.EXPLICIT;
        Isthmus optimizing = Isthmus.builder().tier(Tier.OPTIMIZING).boundsChecks(mode).build();
        Isthmus baseline = Isthmus.builder().tier(Tier.BASELINE).boundsChecks(mode).build();
        Random r = new Random(seed);
        int versioned = 0, traps = 0, returns = 0, versionedReturns = 0, versionedTraps = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < modules; i++) {
            Case c = generate(r, memory64);
            String ir = ir(c.text(), mode);
            assertTrue(!ir.startsWith("declined"), c.description() + ": " + ir + "\n" + c.text());
            boolean isVersioned = ir.contains("inbounds");
            assertEquals(c.versionable(), isVersioned, c.description() + ": versioned?\n" + c.text() + "\n" + ir);
            if (isVersioned) versioned++;
            for (int k = 0; k < runsEach; k++) {
                long[] args = arguments(r, c, memory64);
                String expected = run(baseline, c.text(), args, memory64);
                String actual = run(optimizing, c.text(), args, memory64);
                if (!expected.equals(actual)) {
                    failures.add(c.description() + " args " + java.util.Arrays.toString(args) + ": baseline "
                            + expected + ", optimizing " + actual + "\n" + c.text());
                }
                boolean trapped = expected.startsWith("trap");
                if (trapped) traps++;
                else returns++;
                if (isVersioned && trapped) versionedTraps++;
                if (isVersioned && !trapped) versionedReturns++;
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " differences, the first:\n"
                + (failures.isEmpty() ? "" : failures.get(0)));
        // the generator reaches both outcomes, in versioned loops too
        String summary = versioned + " versioned of " + modules + "; " + returns + " returns, " + traps + " traps; "
                + versionedReturns + " / " + versionedTraps + " in versioned loops";
        assertTrue(versioned > modules / 5 && versionedReturns > 20 && versionedTraps > 20 && traps > 50
                && returns > 50, summary);
        return summary;
    }

    /** The child: {@code memory64|memory32}; prints the summary line. */
    public static void main(String[] args) {
        boolean memory64 = args[0].equals("memory64");
        System.out.println("summary: " + (memory64 ? differential(true, 0x10_0F_64L, 250, 8)
                : differential(false, 0x10_0F_32L, 250, 8)));
    }

    private static void inChild(String which, Path work) throws Exception {
        List<String> out = ChildJvm.run("loop versioning " + which, work, List.of(),
                LoopVersioningDifferentialTest.class, List.of(which), 300);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("summary: ")), String.join("\n", out));
    }

    @Test
    void memory64LoopsAgreeWithTheBaseline(@TempDir Path work) throws Exception {
        inChild("memory64", work);
    }

    @Test
    void memory32ExplicitLoopsAgreeWithTheBaseline(@TempDir Path work) throws Exception {
        inChild("memory32", work);
    }
}
