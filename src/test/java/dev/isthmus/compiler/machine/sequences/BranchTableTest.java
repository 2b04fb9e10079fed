package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.options.Tier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.compiler.machine.sequences.Compiled.Outcome;

/**
 * br_table under both tiers: compare chains (up to {@link BranchTable#CHAIN_MAX} entries) and jump tables (up to
 * 1,000 entries), every index in range, the default, negative and huge indexes, an index masked in range, a
 * constant index, and a branch carrying a value.
 */
class BranchTableTest {
    /** name, entries, blocks (distinct targets besides the default), mask (or -1), value-carrying */
    private record Shape(String name, int entries, int blocks, int mask, boolean carries) {}

    private static final Shape[] SHAPES = {
            new Shape("empty", 0, 1, -1, false),
            new Shape("one", 1, 1, -1, false),
            new Shape("three", 3, 3, -1, false),
            new Shape("four", 4, 4, -1, false),
            new Shape("masked", 4, 4, 3, false),
            new Shape("masked-short", 8, 5, 3, false),
            new Shape("big", 1000, 50, -1, false),
            new Shape("big-value", 300, 7, -1, true),
    };

    /** Block {@code d} (0 innermost) returns 1000 + d; the default is the outermost, {@code blocks}. */
    private static int entry(Shape s, int i) {
        return (i * 7 + i / 3) % s.blocks();
    }

    /** Each block returns its result plus 1000 + d; carrying blocks receive 77 from the branch. */
    private static String body(Shape s) {
        int blocks = s.blocks() + 1;
        StringBuilder b = new StringBuilder("(param i32) (result i32) ");
        b.append((s.carries() ? "(block (result i32) " : "(block ").repeat(blocks));
        if (s.carries()) b.append("(i32.const 77) ");
        String index = "(local.get 0)";
        if (s.mask() >= 0) index = "(i32.and (local.get 0) (i32.const " + s.mask() + "))";
        b.append(index).append(" br_table ");
        for (int i = 0; i < s.entries(); i++) b.append(entry(s, i)).append(' ');
        b.append(s.blocks()).append(' ');
        for (int d = 0; d < blocks; d++) {
            b.append(')');
            String k = "(i32.const " + (1000 + d) + ")";
            String value = s.carries() ? "(i32.add " + k + ")" : k;
            b.append(d < blocks - 1 ? "(return " + value + ")" : value);
        }
        return b.toString();
    }

    private static long expected(Shape s, long index) {
        long i = index & 0xFFFF_FFFFL;
        if (s.mask() >= 0) i &= s.mask();
        int d = i < s.entries() ? entry(s, (int) i) : s.blocks();
        return 1000 + d;
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void dispatch(Tier tier) {
        List<String[]> functions = new ArrayList<>();
        for (Shape s : SHAPES) functions.add(new String[] {s.name(), body(s)});
        functions.add(new String[] {"constant", "(result i32) (block (block (block (block (block "
                + "(br_table 0 1 2 3 4 (i32.const 3))) (return (i32.const 10))) (return (i32.const 11))) "
                + "(return (i32.const 12))) (return (i32.const 13))) (i32.const 14)"});
        functions.add(new String[] {"constant-out", "(result i32) (block (block (block (block (block "
                + "(br_table 0 1 2 3 4 (i32.const -1))) (return (i32.const 10))) (return (i32.const 11))) "
                + "(return (i32.const 12))) (return (i32.const 13))) (i32.const 14)"});
        try (Compiled c = new Compiled(tier, functions)) {
            Compiled.check(Outcome.value(13), c.run("constant"), tier + " constant");
            Compiled.check(Outcome.value(14), c.run("constant-out"), tier + " constant-out");
            for (Shape s : SHAPES) {
                List<Long> indexes = new ArrayList<>();
                for (long i = 0; i <= s.entries() + 1; i++) indexes.add(i);
                for (long i : new long[] {-1, -2, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x8000_0000L,
                        0xFFFF_FFFFL, s.entries() + 1000L, 0x1_0000_0000L + s.entries(), 0x1_0000_0002L}) {
                    indexes.add(i);
                }
                for (long i : indexes) {
                    long arg = i & 0xFFFF_FFFFL;
                    long want = expected(s, i) + (s.carries() ? 77 : 0);
                    Compiled.check(Outcome.value(want), c.run(s.name(), arg), tier + " " + s.name() + "(" + i + ")");
                }
            }
        }
    }
}
