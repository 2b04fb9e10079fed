package dev.isthmus.validate;

import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.ValType;

/**
 * The locals of the function being validated: its parameters followed by its declared locals, kept run-length
 * encoded as the binary format declares them (a body may declare billions of locals in a few bytes), so a lookup is
 * a binary search over the runs.
 *
 * <pre>
 *   index:   0 .. params-1 | run 0 (count c0) | run 1 (count c1) | ...
 *   ends:    params         params+c0          params+c0+c1
 * </pre>
 */
final class Locals {
    private long[] ends = new long[8];
    private ValType[] types = new ValType[8];
    private int runs;

    /** Describes the locals of a function with parameters {@code params} and body {@code body}. */
    void reset(ValType[] params, FunctionBody body) {
        runs = 0;
        long end = 0;
        for (ValType p : params) end = addRun(end, 1, p);
        for (int r = 0; r < body.localRuns(); r++) {
            long count = Integer.toUnsignedLong(body.localRunCount(r));
            if (count > 0) end = addRun(end, count, body.localRunType(r));
        }
    }

    private long addRun(long end, long count, ValType type) {
        if (runs == ends.length) {
            ends = java.util.Arrays.copyOf(ends, runs * 2);
            types = java.util.Arrays.copyOf(types, runs * 2);
        }
        long newEnd = end + count;
        ends[runs] = newEnd;
        types[runs] = type;
        runs++;
        return newEnd;
    }

    /** The type of local {@code index} (an unsigned u32); "unknown local" when the function has no such local. */
    ValType type(int index) {
        long i = Integer.toUnsignedLong(index);
        if (runs == 0 || i >= ends[runs - 1]) throw new ValidationFailure("unknown local " + i);
        int lo = 0, hi = runs - 1;
        while (lo < hi) {              // first run whose end is beyond i
            int mid = (lo + hi) >>> 1;
            if (ends[mid] > i) hi = mid;
            else lo = mid + 1;
        }
        return types[lo];
    }
}
