package dev.isthmus.wast;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the results of a run as JSON (by hand: the project has no runtime dependencies).
 *
 * <pre>
 * {
 *   "totals": {"passed": P, "failed": F, "skipped": S},
 *   "byKind": {"module": {"passed": .., "failed": .., "skipped": ..}, "assert_invalid": {..}, ...},
 *   "files": [
 *     {"file": "address.wast", "passed": .., "failed": .., "skipped": ..,
 *      "byKind": {...},
 *      "failures": [{"at": "address.wast:12", "kind": "assert_invalid", "message": ".."}, ...],
 *      "notes":    [{"at": "..", "kind": "..", "note": ".."}, ...]}
 *   ]
 * }
 * </pre>
 *
 * Each file lists its first {@link #DETAIL_LIMIT} failures and notes; the counts always cover everything.
 */
public final class JsonReport {
    /** How many failures (and, separately, notes) are written per file. */
    public static final int DETAIL_LIMIT = 50;

    private JsonReport() {}

    public static String write(List<FileReport> files) {
        StringBuilder out = new StringBuilder(4096);
        Tally totals = new Tally();
        Map<CommandKind, Tally> byKind = new EnumMap<>(CommandKind.class);
        for (FileReport f : files) {
            totals.add(f.tally());
            f.tallyByKind().forEach((k, t) -> byKind.computeIfAbsent(k, x -> new Tally()).add(t));
        }
        out.append("{\n  \"totals\": ");
        tally(out, totals);
        out.append(",\n  \"byKind\": ");
        byKind(out, byKind);
        out.append(",\n  \"files\": [");
        String sep = "\n";
        for (FileReport f : files) {
            out.append(sep);
            sep = ",\n";
            file(out, f);
        }
        out.append(files.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return out.toString();
    }

    private static void file(StringBuilder out, FileReport f) {
        Tally t = f.tally();
        out.append("    {\"file\": ").append(string(f.file()))
                .append(", \"passed\": ").append(t.passed())
                .append(", \"failed\": ").append(t.failed())
                .append(", \"skipped\": ").append(t.skipped())
                .append(",\n     \"byKind\": ");
        byKind(out, f.tallyByKind());
        out.append(",\n     \"failures\": [");
        details(out, f.failures(), "message");
        out.append("],\n     \"notes\": [");
        details(out, f.notes(), "note");
        out.append("]}");
    }

    private static void details(StringBuilder out, List<CommandResult> results, String field) {
        String sep = "\n       ";
        int n = Math.min(results.size(), DETAIL_LIMIT);
        for (int i = 0; i < n; i++) {
            CommandResult r = results.get(i);
            String text = field.equals("note") ? r.note() : r.message();
            out.append(sep).append("{\"at\": ").append(string(r.location()))
                    .append(", \"kind\": ").append(string(r.kind().text()))
                    .append(", \"").append(field).append("\": ").append(string(text)).append('}');
            sep = ",\n       ";
        }
        if (n > 0) out.append("\n     ");
    }

    private static void byKind(StringBuilder out, Map<CommandKind, Tally> byKind) {
        out.append('{');
        String sep = "";
        for (Map.Entry<CommandKind, Tally> e : byKind.entrySet()) {
            out.append(sep).append(string(e.getKey().text())).append(": ");
            tally(out, e.getValue());
            sep = ", ";
        }
        out.append('}');
    }

    private static void tally(StringBuilder out, Tally t) {
        out.append("{\"passed\": ").append(t.passed())
                .append(", \"failed\": ").append(t.failed())
                .append(", \"skipped\": ").append(t.skipped()).append('}');
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped; null becomes {@code null}. */
    static String string(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) && !validSurrogateAt(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** True when the surrogate at {@code i} is half of a well-formed pair (lone halves are escaped). */
    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
