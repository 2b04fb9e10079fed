package dev.isthmus.wast;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The results of every command of one WAST script, in script order, with their counts. */
public record FileReport(String file, List<CommandResult> results) {

    public FileReport {
        results = List.copyOf(results);
    }

    /** Passed/failed/skipped over all commands of the file. */
    public Tally tally() {
        Tally t = new Tally();
        for (CommandResult r : results) t.add(r.verdict());
        return t;
    }

    /** Passed/failed/skipped per command kind, in {@link CommandKind} order; kinds without commands are absent. */
    public Map<CommandKind, Tally> tallyByKind() {
        Map<CommandKind, Tally> byKind = new EnumMap<>(CommandKind.class);
        for (CommandResult r : results) byKind.computeIfAbsent(r.kind(), k -> new Tally()).add(r.verdict());
        return byKind;
    }

    public List<CommandResult> failures() {
        return select(r -> r.verdict() == Verdict.FAILED);
    }

    /** Results that carry a note (e.g. an error worded differently from the script), whatever their verdict. */
    public List<CommandResult> notes() {
        return select(r -> r.note() != null);
    }

    private List<CommandResult> select(Predicate<CommandResult> p) {
        List<CommandResult> out = new ArrayList<>();
        for (CommandResult r : results) if (p.test(r)) out.add(r);
        return out;
    }

    /** {@code "file.wast: P passed, F failed, S skipped"}, the CLI's per-file line. */
    public String summaryLine() {
        return file + ": " + tally();
    }
}
