package dev.isthmus.robustness;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Counts outcomes of a fuzz run and keeps the first few bug reports (enough to reproduce each). */
final class FuzzStats {
    private static final int KEEP = 25;

    private final String name;
    private final Map<GuardedRun.Outcome, Integer> counts = new EnumMap<>(GuardedRun.Outcome.class);
    private final List<String> bugs = new ArrayList<>();
    private int bugCount;

    FuzzStats(String name) {
        this.name = name;
    }

    void record(GuardedRun.Result result, String caseDescription, byte[] input) {
        counts.merge(result.outcome(), 1, Integer::sum);
        if (result.outcome() != GuardedRun.Outcome.UNEXPECTED && result.outcome() != GuardedRun.Outcome.TIMEOUT) return;
        bugCount++;
        if (bugs.size() >= KEEP) return;
        StringBuilder b = new StringBuilder(caseDescription).append(": ").append(result.outcome());
        if (result.error() != null) {
            b.append(' ').append(result.error());
            StackTraceElement[] trace = result.error().getStackTrace();
            for (int i = 0; i < Math.min(4, trace.length); i++) b.append("\n      at ").append(trace[i]);
        }
        if (input != null) {
            b.append("\n      input (").append(input.length).append(" bytes): ")
                    .append(HexFormat.of().formatHex(input, 0, Math.min(input.length, 256)))
                    .append(input.length > 256 ? "..." : "");
        }
        bugs.add(b.toString());
    }

    int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    int bugCount() {
        return bugCount;
    }

    String bugs() {
        return bugCount + " inputs broke the front end (first " + bugs.size() + "):\n  " + String.join("\n  ", bugs);
    }

    @Override
    public String toString() {
        return "[fuzz] " + name + ": " + total() + " inputs " + counts;
    }
}
