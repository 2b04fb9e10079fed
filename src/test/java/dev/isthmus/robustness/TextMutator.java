package dev.isthmus.robustness;

import java.util.random.RandomGenerator;

/**
 * Derives damaged WAT text from a module's text: deletes, inserts, replaces or duplicates spans, mostly at token
 * boundaries, with fragments chosen to reach the lexer's and parser's corners (unbalanced parentheses, unterminated
 * strings and block comments, odd literals, identifiers, memargs, lane shapes, non-ASCII text).
 */
final class TextMutator {
    private static final String[] FRAGMENTS = {
        "(", ")", "((", "))", "$x", "$", "$\"q\"", "\"", "\"\\", "\"\\u{110000}\"", "\"\\ff\"", ";;", "(;", ";)",
        "(@a", "0x", "0x_1", "1_", "-0", "+inf", "nan:0x0", "nan:0x1_0000_0000", "0x1p+1000000", "1e400",
        "4294967296", "-2147483649", "18446744073709551616", "i32.add", "i32.const", "v128.const i8x16",
        "i8x16.shuffle", "offset=", "align=3", "offset=0x1_0000_0000", "(local", "(param", "(result", "(type 99)",
        "(func", "(block", "(loop", "(if", "(then", "(else", "end", "br 100", "call $nope", "(memory 1)",
        "(table 0 funcref)", "(elem", "(data", "(import \"a\" \"b\"", "(export \"e\"", "(start 0)", "\u00e9",
        "\ud83d\ude00", "\u0000", "\t", "\n", " ", "ref.null", "select", "(mut", "funcref", "externref", "v128",
    };

    private TextMutator() {}

    static final String[] NAMES = {"delete span", "insert fragment", "replace token", "duplicate span", "truncate",
            "swap parens"};

    /** A copy of {@code text} damaged by mutation number {@code choice} (an index into {@link #NAMES}). */
    static String mutate(String text, int choice, RandomGenerator rnd) {
        if (text.isEmpty()) return FRAGMENTS[rnd.nextInt(FRAGMENTS.length)];
        int at = boundary(text, rnd.nextInt(text.length()), rnd);
        return switch (choice) {
            case 0 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + rnd.nextInt(12)));
            case 1 -> text.substring(0, at) + FRAGMENTS[rnd.nextInt(FRAGMENTS.length)] + text.substring(at);
            case 2 -> {
                int end = tokenEnd(text, at);
                yield text.substring(0, at) + FRAGMENTS[rnd.nextInt(FRAGMENTS.length)] + text.substring(end);
            }
            case 3 -> {
                int end = Math.min(text.length(), at + 1 + rnd.nextInt(40));
                yield text.substring(0, end) + text.substring(at, end) + text.substring(end);
            }
            case 4 -> text.substring(0, at);
            case 5 -> text.replace('(', '\u0001').replace(')', '(').replace('\u0001', ')');
            default -> throw new IllegalArgumentException("mutation " + choice);
        };
    }

    /** Moves {@code at} to the start of the token it is in, most of the time. */
    private static int boundary(String text, int at, RandomGenerator rnd) {
        if (rnd.nextInt(4) == 0) return safe(text, at);
        while (at > 0 && !Character.isWhitespace(text.charAt(at - 1)) && text.charAt(at - 1) != '('
                && text.charAt(at - 1) != ')') {
            at--;
        }
        return safe(text, at);
    }

    /** Never splits a surrogate pair (the mutant stays a valid Java string of whole characters). */
    private static int safe(String text, int at) {
        if (at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))) return at - 1;
        return at;
    }

    private static int tokenEnd(String text, int at) {
        int end = at;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '('
                && text.charAt(end) != ')') {
            end++;
        }
        return Math.max(end, Math.min(text.length(), at + 1));
    }
}
