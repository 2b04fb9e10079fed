package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.TrapCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.compiler.machine.sequences.Compiled.Outcome;

/** div/rem signed and unsigned with the traps (zero divisor, MIN / -1) and MIN % -1 = 0, both tiers. */
class IntegerDivisionTest {
    private static final long[] EDGES = {0, 1, -1, 2, -2, 7, -7, 3, Integer.MIN_VALUE, Integer.MAX_VALUE,
            0x8000_0000L, 0xFFFF_FFFFL, Long.MIN_VALUE, Long.MAX_VALUE, 0x1_0000_0003L};

    @ParameterizedTest
    @EnumSource(Tier.class)
    void division(Tier tier) {
        List<String[]> functions = new ArrayList<>();
        for (String t : new String[] {"i32", "i64"}) {
            for (String op : new String[] {"div_s", "div_u", "rem_s", "rem_u"}) {
                functions.add(new String[] {t + "." + op, "(param " + t + " " + t + ") (result " + t + ") ("
                        + t + "." + op + " (local.get 0) (local.get 1))"});
            }
        }
        try (Compiled c = new Compiled(tier, functions)) {
            for (String[] f : functions) {
                boolean wide = f[0].startsWith("i64");
                String op = f[0].substring(4);
                for (long x0 : EDGES) {
                    for (long y0 : EDGES) {
                        long x = wide ? x0 : x0 & 0xFFFF_FFFFL;
                        long y = wide ? y0 : y0 & 0xFFFF_FFFFL;
                        Compiled.check(expected(wide, op, x, y), c.run(f[0], x, y),
                                tier + " " + f[0] + "(0x" + Long.toHexString(x) + ", 0x" + Long.toHexString(y) + ")");
                    }
                }
            }
        }
    }

    private static Outcome expected(boolean wide, String op, long x, long y) {
        if (y == 0) return Outcome.trapped(TrapCode.INTEGER_DIVIDE_BY_ZERO);
        if (wide) {
            return switch (op) {
                case "div_s" -> x == Long.MIN_VALUE && y == -1 ? Outcome.trapped(TrapCode.INTEGER_OVERFLOW)
                        : Outcome.value(x / y);
                case "div_u" -> Outcome.value(Long.divideUnsigned(x, y));
                case "rem_s" -> Outcome.value(y == -1 ? 0 : x % y);
                default -> Outcome.value(Long.remainderUnsigned(x, y));
            };
        }
        int a = (int) x;
        int b = (int) y;
        long r = switch (op) {
            case "div_s" -> {
                if (a == Integer.MIN_VALUE && b == -1) yield Long.MIN_VALUE;
                yield a / b;
            }
            case "div_u" -> Integer.divideUnsigned(a, b);
            case "rem_s" -> b == -1 ? 0 : a % b;
            default -> Integer.remainderUnsigned(a, b);
        };
        if (r == Long.MIN_VALUE) return Outcome.trapped(TrapCode.INTEGER_OVERFLOW);
        return Outcome.value(r & 0xFFFF_FFFFL);
    }
}
