package dev.isthmus.cli;

import java.time.Duration;

/**
 * Durations as {@code wasmtime run -W timeout=...} reads them: a plain whole number is seconds; otherwise one or more
 * whole numbers each followed by a unit, optionally separated by spaces ({@code 1m 30s}, {@code 1m30s},
 * {@code 250ms}). Units: {@code ns nsec nanos}, {@code us usec µs micros}, {@code ms msec millis},
 * {@code s sec secs second seconds}, {@code m min mins minute minutes}, {@code h hr hrs hour hours},
 * {@code d day days}, {@code w week weeks}, {@code M month months} (30.44 days), {@code y year years}
 * (365.25 days). No fractions, no signs.
 */
final class WasmDurations {
    private WasmDurations() {
    }

    /** The duration {@code text} gives, or a {@link UsageException} naming what is wrong. */
    static Duration parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) throw bad(text, "empty");
        if (t.chars().allMatch(Character::isDigit)) return Duration.ofSeconds(number(text, t));
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < t.length()) {
            int start = i;
            while (i < t.length() && Character.isDigit(t.charAt(i))) i++;
            if (i == start) throw bad(text, "a number expected at \"" + t.substring(start) + "\"");
            long n = number(text, t.substring(start, i));
            while (i < t.length() && t.charAt(i) == ' ') i++;
            int unitStart = i;
            while (i < t.length() && Character.isLetter(t.charAt(i))) i++;
            String unit = t.substring(unitStart, i);
            if (unit.isEmpty()) throw bad(text, "no unit after " + n);
            try {
                total = total.plus(of(text, n, unit));
            } catch (ArithmeticException overflow) {
                throw bad(text, "too long");
            }
            while (i < t.length() && t.charAt(i) == ' ') i++;
        }
        return total;
    }

    private static Duration of(String text, long n, String unit) {
        return switch (unit) {
            case "ns", "nsec", "nanos" -> Duration.ofNanos(n);
            case "us", "usec", "µs", "micros" -> Duration.ofNanos(Math.multiplyExact(n, 1_000L));
            case "ms", "msec", "millis" -> Duration.ofMillis(n);
            case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(n);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofSeconds(Math.multiplyExact(n, 60L));
            case "h", "hr", "hrs", "hour", "hours" -> Duration.ofSeconds(Math.multiplyExact(n, 3_600L));
            case "d", "day", "days" -> Duration.ofSeconds(Math.multiplyExact(n, 86_400L));
            case "w", "week", "weeks" -> Duration.ofSeconds(Math.multiplyExact(n, 604_800L));
            case "M", "month", "months" -> Duration.ofSeconds(Math.multiplyExact(n, 2_630_016L));
            case "y", "year", "years" -> Duration.ofSeconds(Math.multiplyExact(n, 31_557_600L));
            default -> throw bad(text, "unknown unit \"" + unit + "\"");
        };
    }

    private static long number(String text, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw bad(text, "too long");
        }
    }

    private static UsageException bad(String text, String why) {
        return new UsageException("-W timeout=" + text + ": not a duration (" + why
                + "; e.g. 10 or 10s, 500ms, 2m, 1h 30m)");
    }
}
