package dev.isthmus.fuzz;

import java.util.Random;

/**
 * Modules of the shapes binaryen's {@code -ttf} generator rarely makes (issue #16, "generated-module gaps"), as WAT
 * text, deterministic per seed:
 * <ul>
 *   <li>{@code memory.grow} sequences up to and past the maximum, each new size probed at its last byte;</li>
 *   <li>loads and stores of every width at and across the end of memory, with offsets (a trap exactly at the end);
 *       {@code memory.fill}/{@code memory.copy} ending at and past it;</li>
 *   <li>a large {@code br_table} (up to 3,000 entries) over up to 40 nested blocks, its index running from below 0
 *       to past the table;</li>
 *   <li>recursion and mutual recursion as deep as the reference follows ({@value #REFERENCE_DEPTH} frames;
 *       {@link #deepRecursion} goes to 5,000 with its own expectation), and {@code return_call} loops of up to
 *       200,000 calls in constant stack;</li>
 *   <li>{@code call_indirect} around the end of a grown table (present, null, past the end, other type);</li>
 *   <li>typed function references (binaryen's generator makes them only with GC types): {@code call_ref} of a
 *       function and of a null reference kept in a global, {@code br_on_null}/{@code br_on_non_null},
 *       {@code ref.as_non_null} of null, and {@code return_call_ref} loops;</li>
 *   <li>zero tests of sums just computed whose operands stay live (an optimizing tier that adds them into a third
 *       register without setting flags must still test the sum: a miscompile of 2026-12-06), in {@code if} and
 *       {@code br_if} of loops counting up and down;</li>
 *   <li>integer division and remainder by 0 and -1 at the edges of the range, float-to-integer truncations (trapping
 *       and saturating) at the edges, operands read from globals so that no compiler folds them.</li>
 * </ul>
 * Each shape is an export without parameters that logs what it computes ({@code fuzzing-support.log-i32/i64}), so
 * binaryen's reference interpreter ({@code wasm-opt --fuzz-exec-before}) gives the expected output; a trap ends that
 * export only. The memory is a memory64 one in about a third of the modules. {@code scripts/fuzz/make-shapes-corpus.sh}
 * makes the committed corpus ({@code fuzz/shapes-corpus}, run by {@link ShapesCorpusTest}).
 */
final class ShapeGenerator {
    /**
     * The binaryen features the modules use (for {@code wasm-opt}). {@code --enable-gc} is only the flag binaryen 132
     * puts typed function references under ({@code call_ref}, {@code br_on_null}, ...): the modules define no GC
     * type.
     */
    static final String FEATURES = "--mvp-features --enable-sign-ext --enable-mutable-globals "
            + "--enable-nontrapping-float-to-int --enable-bulk-memory --enable-multivalue --enable-tail-call "
            + "--enable-memory64 --enable-reference-types --enable-gc";

    private final Random random;
    private final StringBuilder out = new StringBuilder();
    private final boolean memory64;
    private int exports;

    private ShapeGenerator(long seed) {
        this.random = new Random(seed);
        this.memory64 = random.nextInt(3) == 0;
    }

    /** The module of {@code seed}. */
    static String module(long seed) {
        return new ShapeGenerator(seed).generate();
    }

    /**
     * {@code DIR FIRST COUNT [STEP PREFIX]}: writes the binaries of COUNT seeds FIRST, FIRST + STEP, ... (STEP 1 by
     * default) to DIR, named NNNN.wasm, or PREFIX-SEED.wasm when a prefix is given (make-shapes-corpus.sh,
     * campaign.sh); {@code --features}: prints {@link #FEATURES}.
     */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 1 && args[0].equals("--features")) {
            System.out.println(FEATURES);
            return;
        }
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[2]);
        long step = args.length > 3 ? Long.parseLong(args[3]) : 1;
        String prefix = args.length > 4 ? args[4] : null;
        java.nio.file.Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            long seed = first + i * step;
            String name = prefix == null ? String.format("%04d", seed) : prefix + "-" + seed;
            java.nio.file.Files.write(dir.resolve(name + ".wasm"), dev.isthmus.tooling.Tooling.watToBinary(module(seed)));
        }
    }

    private String generate() {
        int minPages = random.nextInt(3);
        int maxPages = minPages + 1 + random.nextInt(6);
        line("(module");
        line("  (import \"fuzzing-support\" \"log-i32\" (func $log (param i32)))");
        line("  (import \"fuzzing-support\" \"log-i64\" (func $log64 (param i64)))");
        line("  (type $unary (func (param i32) (result i32)))");
        line("  (type $other (func (param i64) (result i32)))");
        line("  (type $counter (func (param i32 i32) (result i32)))");
        line("  (memory " + (memory64 ? "i64 " : "") + minPages + " " + maxPages + ")");
        int tableMin = 1 + random.nextInt(4);
        line("  (table $t " + tableMin + " " + (tableMin + 1 + random.nextInt(4)) + " funcref)");
        line("  (elem (i32.const 0) func $twice)");
        line("  (func $twice (type $unary) (i32.mul (local.get 0) (i32.const 2)))");
        line("  (func $wide (type $other) (i32.wrap_i64 (local.get 0)))");
        line("  (elem declare func $twice $wide)");
        line("  (global $unary_ref (mut (ref null $unary)) (ref.null $unary))");
        for (String[] g : new String[][] {{"i32", "$int_min", "-2147483648"}, {"i32", "$minus_one", "-1"},
                {"i32", "$zero", "0"}, {"i64", "$long_min", "-9223372036854775808"}, {"i64", "$long_minus_one", "-1"},
                {"i64", "$long_zero", "0"}}) {
            line("  (global " + g[1] + " (mut " + g[0] + ") (" + g[0] + ".const " + g[2] + "))");
        }
        int shapes = 4 + random.nextInt(6);
        for (int i = 0; i < shapes; i++) {
            switch (random.nextInt(10)) {
                case 0 -> grow();
                case 1, 2 -> boundaryAccess();
                case 3 -> bulkAtEnd();
                case 4 -> branchTable();
                case 5 -> recursion();
                case 6 -> indirectAtTableEnd();
                case 7 -> typedReferences();
                case 8 -> zeroTests();
                default -> edgeArithmetic();
            }
        }
        line(")");
        return out.toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private String export() {
        return "(export \"s" + exports++ + "\")";
    }

    /** The address type's name, {@code i32} or {@code i64}. */
    private String a() {
        return memory64 ? "i64" : "i32";
    }

    /** The byte size of memory as an address-typed expression. */
    private String memoryBytes() {
        return "(" + a() + ".mul (memory.size) (" + a() + ".const 65536))";
    }

    /** {@code memory bytes - back} as an address-typed expression (wraps below 0 in a 32-bit memory). */
    private String endMinus(long back) {
        return "(" + a() + ".sub " + memoryBytes() + " (" + a() + ".const " + back + "))";
    }

    private void logAddress(String expression) {
        line(memory64 ? "    (call $log64 " + expression + ")" : "    (call $log " + expression + ")");
    }

    /** memory.grow by small deltas until past the maximum, each new size's last byte written and read back. */
    private void grow() {
        line("  (func " + export());
        int steps = 2 + random.nextInt(5);
        for (int s = 0; s < steps; s++) {
            logAddress("(memory.grow (" + a() + ".const " + random.nextInt(4) + "))");
            logAddress("(memory.size)");
            line("    (if (" + a() + ".ne (memory.size) (" + a() + ".const 0)) (then");
            line("      (i32.store8 " + endMinus(1) + " (i32.const " + (s * 37 + 11) + "))");
            line("      (call $log (i32.load8_u " + endMinus(1) + "))))");
        }
        line("  )");
    }

    private static final String[][] LOADS = {
            {"i32.load", "4", "i32"}, {"i64.load", "8", "i64"}, {"i32.load8_s", "1", "i32"},
            {"i32.load8_u", "1", "i32"}, {"i32.load16_s", "2", "i32"}, {"i32.load16_u", "2", "i32"},
            {"i64.load8_u", "1", "i64"}, {"i64.load16_s", "2", "i64"}, {"i64.load32_s", "4", "i64"},
            {"i64.load32_u", "4", "i64"}, {"f32.load", "4", "f32"}, {"f64.load", "8", "f64"}};

    /**
     * One access whose last byte lands a few bytes before, at or past the end of memory (through the address, the
     * offset or both): a store of a known value and the load back, or a load alone.
     */
    private void boundaryAccess() {
        String[] load = LOADS[random.nextInt(LOADS.length)];
        int size = Integer.parseInt(load[1]);
        long[] offsets = {0, 1, 3, 8, 16, 255, 4096, 65535, 65536, 131072};
        long offset = offsets[random.nextInt(offsets.length)];
        long past = random.nextInt(12) - 8;        // the end of the access - the end of memory: -8 .. 3
        long back = size - past + offset;          // address = bytes - back (may be past the end, or negative)
        String address = back >= 0 ? endMinus(back) : "(" + a() + ".add " + memoryBytes() + " (" + a() + ".const "
                + -back + "))";
        String op = load[0], type = load[2];
        String memarg = offset == 0 ? "" : " offset=" + offset;
        line("  (func " + export());
        if (random.nextBoolean()) {
            String store = switch (op) {
                case "i32.load8_s", "i32.load8_u" -> "i32.store8";
                case "i32.load16_s", "i32.load16_u" -> "i32.store16";
                case "i64.load8_u" -> "i64.store8";
                case "i64.load16_s" -> "i64.store16";
                case "i64.load32_s", "i64.load32_u" -> "i64.store32";
                default -> type + ".store";
            };
            String value = switch (type) {
                case "i32" -> "(i32.const " + (random.nextInt() | 0x80) + ")";
                case "i64" -> "(i64.const " + (random.nextLong() | 0x8080) + ")";
                case "f32" -> "(f32.const " + (random.nextInt(2000) - 1000) / 8.0 + ")";
                default -> "(f64.const " + (random.nextInt(2000) - 1000) / 16.0 + ")";
            };
            line("    (" + store + memarg + " " + address + " " + value + ")");
        }
        String loaded = "(" + op + memarg + " " + address + ")";
        switch (type) {
            case "i32" -> line("    (call $log " + loaded + ")");
            case "i64" -> line("    (call $log64 " + loaded + ")");
            case "f32" -> line("    (call $log (i32.reinterpret_f32 " + loaded + "))");
            default -> line("    (call $log64 (i64.reinterpret_f64 " + loaded + "))");
        }
        line("  )");
    }

    /** memory.fill or memory.copy of a few bytes ending before, at or past the end of memory. */
    private void bulkAtEnd() {
        int length = 1 + random.nextInt(40);
        int past = random.nextInt(6) - 3;
        line("  (func " + export());
        if (random.nextBoolean()) {
            line("    (memory.fill " + endMinus(length - past) + " (i32.const " + random.nextInt(256) + ") ("
                    + a() + ".const " + length + "))");
        } else {
            String source = random.nextBoolean() ? "(" + a() + ".const 0)" : endMinus(length + random.nextInt(8));
            line("    (memory.copy " + endMinus(length - past) + " " + source + " (" + a() + ".const " + length + "))");
        }
        line("    (if (" + a() + ".ne (memory.size) (" + a() + ".const 0)) (then");
        line("      (call $log (i32.load8_u " + endMinus(1) + "))))");
        line("  )");
    }

    /**
     * A br_table of up to 3,000 entries over up to 40 nested blocks, each block's end adding its number to an
     * accumulator, with the index running from below 0 (a huge unsigned index: the default) to past the table.
     */
    private void branchTable() {
        int blocks = 2 + random.nextInt(39);
        int entries = 1 + random.nextInt(random.nextBoolean() ? 3000 : 40);
        int step = 1 + random.nextInt(7);
        line("  (func " + export() + " (local $i i32) (local $acc i32)");
        line("    (local.set $i (i32.const " + -(1 + random.nextInt(4)) + "))");
        line("    (loop $l");
        line("      (block $next");
        for (int b = blocks - 1; b >= 0; b--) line("      (block");
        StringBuilder table = new StringBuilder("        (br_table");
        for (int e = 0; e < entries; e++) table.append(' ').append(random.nextInt(blocks + 1));
        table.append(' ').append(random.nextInt(blocks + 1)).append(" (local.get $i))");
        line(table.toString());
        for (int b = 0; b < blocks; b++) {
            line("      )");
            line("      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (i32.const " + (b + 1)
                    + ")))");
            line("      (br $next)");
        }
        line("      )");
        line("      (local.set $i (i32.add (local.get $i) (i32.const " + step + ")))");
        line("      (br_if $l (i32.lt_s (local.get $i) (i32.const " + (entries + 3) + "))))");
        line("    (call $log (local.get $acc))");
        line("  )");
    }

    /**
     * The deepest recursion binaryen's interpreter follows ({@code --fuzz-exec} stops below 200 frames with "[host
     * limit stack limit]"); {@link #deepRecursion} goes deeper with a self-computed expectation.
     */
    static final int REFERENCE_DEPTH = 150;

    /**
     * A module whose export {@code s0} recurses {@code 1,000..5,000} frames deep (plain or mutual recursion; well
     * inside the default 1 MiB wasm stack in every configuration), with the output the reference would print, which
     * binaryen's interpreter cannot compute at that depth: the generator knows the value.
     */
    static FuzzCorpus.Entry deepRecursion(long seed) {
        Random r = new Random(seed);
        int depth = 1000 + r.nextInt(4001);
        String body;
        int expected;
        if (r.nextBoolean()) {
            body = """
                      (func $sum (param $n i32) (result i32)
                        (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
                          (else (i32.add (i32.mul (local.get $n) (local.get $n))
                            (call $sum (i32.sub (local.get $n) (i32.const 1)))))))
                      (func (export "s0") (call $log (call $sum (i32.const %d))))
                    """.formatted(depth);
            long sum = 0;
            for (long n = 1; n <= depth; n++) sum += n * n;
            expected = (int) sum;
        } else {
            body = """
                      (func $even (param $n i32) (result i32)
                        (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
                          (else (i32.add (i32.const 2) (call $odd (i32.sub (local.get $n) (i32.const 1)))))))
                      (func $odd (param $n i32) (result i32)
                        (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
                          (else (i32.add (i32.const 3) (call $even (i32.sub (local.get $n) (i32.const 1)))))))
                      (func (export "s0") (call $log (call $even (i32.const %d))))
                    """.formatted(depth);
            // depth/2 steps of each kind, +2 from even and +3 from odd, ending in even (1) or odd (0)
            expected = (depth / 2) * 5 + (depth % 2 == 0 ? 1 : 2);
        }
        String wat = "(module\n  (import \"fuzzing-support\" \"log-i32\" (func $log (param i32)))\n" + body + ")\n";
        return new FuzzCorpus.Entry("deep-" + seed, dev.isthmus.tooling.Tooling.watToBinary(wat),
                "[fuzz-exec] export s0\n[LoggingExternalInterface logging " + expected + "]\n");
    }

    /** Plain recursion, mutual recursion or a return_call loop, with a depth the reference can follow. */
    private void recursion() {
        int kind = random.nextInt(3);
        int id = exports;
        switch (kind) {
            case 0 -> {
                int depth = 1 + random.nextInt(REFERENCE_DEPTH);
                line("  (func $sum" + id + " (param $n i32) (result i64)");
                line("    (if (result i64) (i32.eqz (local.get $n)) (then (i64.const 0))");
                line("      (else (i64.add (i64.extend_i32_u (local.get $n)) (call $sum" + id
                        + " (i32.sub (local.get $n) (i32.const 1)))))))");
                line("  (func " + export() + " (call $log64 (call $sum" + id + " (i32.const " + depth + "))))");
            }
            case 1 -> {
                int depth = 1 + random.nextInt(REFERENCE_DEPTH);
                line("  (func $even" + id + " (param $n i32) (result i32)");
                line("    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))");
                line("      (else (call $odd" + id + " (i32.sub (local.get $n) (i32.const 1))))))");
                line("  (func $odd" + id + " (param $n i32) (result i32)");
                line("    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))");
                line("      (else (call $even" + id + " (i32.sub (local.get $n) (i32.const 1))))))");
                line("  (func " + export() + " (call $log (call $even" + id + " (i32.const " + depth + "))))");
            }
            default -> {
                int count = 1000 + random.nextInt(200_000);
                line("  (func $count" + id + " (param $n i32) (param $acc i64) (result i64)");
                line("    (if (result i64) (i32.eqz (local.get $n)) (then (local.get $acc))");
                line("      (else (return_call $count" + id + " (i32.sub (local.get $n) (i32.const 1))");
                line("        (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n)))))))");
                line("  (func " + export() + " (call $log64 (call $count" + id + " (i32.const " + count
                        + ") (i64.const 0))))");
            }
        }
    }

    /** call_indirect at the last slot and past the end of the table, after an optional grow. */
    private void indirectAtTableEnd() {
        line("  (func " + export());
        if (random.nextBoolean()) {
            line("    (call $log (table.grow $t (ref.func $twice) (i32.const " + random.nextInt(3) + ")))");
        }
        line("    (call $log (table.size $t))");
        int back = random.nextInt(3) - 1;   // size - 1 + 1 .. size - 1 - 1
        String index = "(i32.sub (table.size $t) (i32.const " + (1 - back) + "))";
        if (random.nextInt(4) == 0) {
            line("    (call $log (call_indirect $t (type $other) (i64.const 7) " + index + "))");
        } else {
            line("    (call $log (call_indirect $t (type $unary) (i32.const " + random.nextInt(1000) + ") " + index
                    + "))");
        }
        line("  )");
    }

    /**
     * Typed function references: a global of type {@code (ref null $unary)} set to a function or left null, then a
     * {@code call_ref} through it, {@code br_on_null}/{@code br_on_non_null} on it, {@code ref.as_non_null} of it,
     * or a {@code return_call_ref} loop of up to 100,000 calls.
     */
    private void typedReferences() {
        int id = exports;
        line("  (func " + export() + " (result i32)");
        if (random.nextBoolean()) line("    (global.set $unary_ref (ref.func $twice))");
        int operand = random.nextInt(1000);
        switch (random.nextInt(4)) {
            case 0 -> line("    (call_ref $unary (i32.const " + operand + ") (global.get $unary_ref))");
            case 1 -> {
                line("    (block $null");
                line("      (return (call_ref $unary (i32.const " + operand + ") (br_on_null $null (global.get $unary_ref)))))");
                line("    (i32.const -1)");
            }
            case 2 -> {
                line("    (drop (block $present (result (ref $unary))");
                line("      (br_on_non_null $present (global.get $unary_ref))");
                line("      (return (i32.const -2))))");
                line("    (call_ref $unary (i32.const " + operand + ") (ref.as_non_null (global.get $unary_ref)))");
            }
            default -> {
                int count = 1 + random.nextInt(100_000);
                line("    (call $loop" + id + " (i32.const " + count + ") (i32.const 0)))");
                line("  (func $loop" + id + " (type $counter)");
                line("    (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))");
                line("      (else (return_call_ref $counter (i32.sub (local.get 0) (i32.const 1))");
                line("        (i32.add (local.get 1) (local.get 0)) (ref.func $loop" + id + ")))))");
                line("  (elem declare func $loop" + id + ")");
                return;
            }
        }
        line("  )");
    }

    private static final String[] DIVISIONS = {"div_s", "div_u", "rem_s", "rem_u"};
    private static final String[][] TRUNCATIONS = {
            {"i32.trunc_f32_s", "f32", "2147483520", "2147483648", "-2147483904", "-2147483648"},
            {"i32.trunc_f64_s", "f64", "2147483647.9", "2147483648", "-2147483648.9", "-2147483649"},
            {"i32.trunc_f32_u", "f32", "4294967040", "4294967296", "-0.9", "-1"},
            {"i64.trunc_f64_s", "f64", "9223372036854774784", "9223372036854775808", "-9223372036854775808",
                    "-9223372036854777856"},
            {"i64.trunc_f32_u", "f32", "18446742974197923840", "18446744073709551616", "-0.5", "-1"}};

    /**
     * A loop whose index and a bound read from a global stay live: an {@code if} on the zero test of their sum, a
     * {@code br_if} on the sum itself (as wasi-libc's {@code fwrite} scans back), i32 or i64, logging what it sees.
     */
    private void zeroTests() {
        boolean wide = random.nextBoolean();
        String t = wide ? "i64" : "i32";
        String log = wide ? "$log64" : "$log";
        int n = 1 + random.nextInt(40);
        int offset = 1 + random.nextInt(n);
        line("  (func " + export() + " (local $i " + t + ") (local $bound " + t + ") (local $seen " + t + ")");
        // the bound as -offset, read from a global so that nothing folds it
        line("    (local.set $bound (" + t + ".mul (global.get " + (wide ? "$long_minus_one" : "$minus_one") + ") ("
                + t + ".const " + offset + ")))");
        line("    (loop $up");
        line("      (if (" + t + ".eqz (" + t + ".add (local.get $i) (local.get $bound)))");
        line("        (then (local.set $seen (" + t + ".add (local.get $seen) (local.get $i)))))");
        line("      (local.set $i (" + t + ".add (local.get $i) (" + t + ".const 1)))");
        line("      (br_if $up (" + t + ".lt_u (local.get $i) (" + t + ".const " + n + "))))");
        line("    (call " + log + " (local.get $seen))");
        // down from 0 until the sum of the index and the (live) offset is 0: a br_if on the sum itself
        line("    (local.set $i (" + t + ".const 0))");
        line("    (local.set $bound (" + t + ".sub (" + t + ".const 0) (local.get $bound)))");
        line("    (loop $down");
        line("      (local.set $i (" + t + ".add (local.get $i) (" + t + ".const -1)))");
        String sum = "(" + t + ".add (local.get $bound) (local.get $i))";
        line("      (br_if $down " + (wide ? "(i64.ne " + sum + " (i64.const 0))" : sum) + "))");
        line("    (call " + log + " (local.get $i))");
        line("  )");
    }

    /** A division by 0 or -1 of the most negative value (or another edge), or a truncation at the range's edge. */
    private void edgeArithmetic() {
        line("  (func " + export());
        if (random.nextBoolean()) {
            boolean wide = random.nextBoolean();
            String t = wide ? "i64" : "i32";
            String[] dividends = wide ? new String[] {"(global.get $long_min)", "(global.get $long_minus_one)",
                    "(i64.const 7)"} : new String[] {"(global.get $int_min)", "(global.get $minus_one)", "(i32.const 7)"};
            String[] divisors = wide ? new String[] {"(global.get $long_minus_one)", "(global.get $long_zero)",
                    "(i64.const 1)"} : new String[] {"(global.get $minus_one)", "(global.get $zero)", "(i32.const 1)"};
            // a third of them the most negative value by -1 (div_s overflows, rem_s is 0), the rest any pair
            boolean overflow = random.nextInt(3) == 0;
            String op = overflow
                    ? "(" + t + "." + (random.nextBoolean() ? "div_s " : "rem_s ") + dividends[0] + " " + divisors[0] + ")"
                    : "(" + t + "." + DIVISIONS[random.nextInt(DIVISIONS.length)] + " "
                            + dividends[random.nextInt(dividends.length)] + " " + divisors[random.nextInt(divisors.length)]
                            + ")";
            line(wide ? "    (call $log64 " + op + ")" : "    (call $log " + op + ")");
        } else {
            String[] t = TRUNCATIONS[random.nextInt(TRUNCATIONS.length)];
            String value = t[2 + random.nextInt(4)];
            String op = random.nextBoolean() ? t[0] : t[0].replace("trunc_", "trunc_sat_");
            // the constant chosen by a global's value, so that no compiler folds the truncation
            String operand = "(select (" + t[1] + ".const " + value + ") (" + t[1] + ".const 0) (i32.eqz (global.get $zero)))";
            String call = op.startsWith("i64") ? "$log64" : "$log";
            line("    (call " + call + " (" + op + " " + operand + "))");
        }
        line("  )");
    }
}
