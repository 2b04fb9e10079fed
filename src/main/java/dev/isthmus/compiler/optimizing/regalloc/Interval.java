package dev.isthmus.compiler.optimizing.regalloc;

import java.util.Arrays;

/**
 * The live range of one register: sorted, disjoint half-open position ranges {@code [from, to)} (holes between
 * them), built backwards by {@link LinearScan}.
 */
final class Interval {
    final int register;
    /** Ranges as pairs (from, to), first range at index {@link #first}; grown towards lower indexes. */
    int[] ranges = new int[8];
    int first = 8;
    int assigned = -1;
    int spillSlot = -1;
    int hint = -1;
    /** A physical register this interval is moved from or to (arguments, results), tried after {@link #hint}. */
    int physicalHint = -1;
    /**
     * The interval's uses and definitions, each weighted by its block's loop depth ({@link LinearScan#DEPTH_WEIGHT}).
     */
    double useWeight;
    /** {@link LinearScan}'s spill weight once computed, else negative. */
    double spillWeight = -1;

    Interval(int register) {
        this.register = register;
    }

    boolean isEmpty() {
        return first == ranges.length;
    }

    int start() {
        return ranges[first];
    }

    int end() {
        return ranges[ranges.length - 1];
    }

    /** Adds {@code [from, to)} before or merging with the first range (ranges are added in decreasing order). */
    void addRange(int from, int to) {
        if (!isEmpty() && ranges[first] <= to) {
            ranges[first] = Math.min(ranges[first], from);
            ranges[first + 1] = Math.max(ranges[first + 1], to);
            return;
        }
        if (first == 0) {
            int grow = ranges.length;
            int[] r = new int[ranges.length + grow];
            System.arraycopy(ranges, 0, r, grow, ranges.length);
            ranges = r;
            first += grow;
        }
        first -= 2;
        ranges[first] = from;
        ranges[first + 1] = to;
    }

    /** A definition at {@code pos}: the first range starts there (or a one-position range if the value is dead). */
    void setFrom(int pos) {
        if (!isEmpty() && ranges[first] <= pos && pos < ranges[first + 1]) ranges[first] = pos;
        else addRange(pos, pos + 1);
    }

    /** Index of the first range not ended before the scan position (positions only grow during the scan). */
    private int cursor = -1;
    /**
     * While in the scan's active or inactive list: the first position at which that state may change (the end of
     * the current range when active, the start of the next range when inactive). Before it, the cursor is current.
     */
    int boundary;

    /** Advances to {@code pos} (this interval not ended there) and sets {@link #boundary}; returns whether covered. */
    boolean update(int pos) {
        advance(pos);
        boolean covered = ranges[cursor] <= pos;
        boundary = covered ? ranges[cursor + 1] : ranges[cursor];
        return covered;
    }

    /** Moves the cursor past the ranges that end at or before {@code pos}. */
    void advance(int pos) {
        if (cursor < first) cursor = first;
        while (cursor < ranges.length && ranges[cursor + 1] <= pos) cursor += 2;
    }

    /** Start of the range at the cursor (the first not ended before the scan position), or MAX_VALUE if none. */
    int cursorFrom() {
        return cursor < ranges.length ? ranges[cursor] : Integer.MAX_VALUE;
    }

    /** End of the range at the cursor, or MAX_VALUE if none (the cursor stays put before this position). */
    int cursorTo() {
        return cursor < ranges.length ? ranges[cursor + 1] : Integer.MAX_VALUE;
    }

    /** The first position covered by both from the cursors on (both advanced to the scan position), or -1. */
    int intersection(Interval o) {
        int i = Math.max(cursor, first);
        int j = Math.max(o.cursor, o.first);
        while (i < ranges.length && j < o.ranges.length) {
            int from = Math.max(ranges[i], o.ranges[j]);
            int to = Math.min(ranges[i + 1], o.ranges[j + 1]);
            if (from < to) return from;
            if (ranges[i + 1] < o.ranges[j + 1]) i += 2;
            else j += 2;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "v" + register + Arrays.toString(Arrays.copyOfRange(ranges, first, ranges.length));
    }
}
