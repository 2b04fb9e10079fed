package dev.isthmus.runtime.abi;

import java.util.Arrays;

/**
 * How to find the caller of a compiled function from any instruction in it where a trap can happen — the unwind
 * table the compiler emits beside each function and the runtime's backtrace walker reads (frame pointers are
 * optional, so the rbp chain alone cannot be walked).
 *
 * <p>The table is a list of steps sorted by code offset (from the function's entry); the step in force at offset
 * {@code o} is the last one with {@code offset ≤ o} (the first one for negative offsets). Each step says where the
 * canonical frame address (CFA: the caller's RSP just before its {@code call}) is:
 *
 * <pre>
 *   CFA           = (fromRbp ? rbp : rsp) + cfaOffset
 *   return address = [CFA - 8]
 *   caller's rsp   = CFA
 *   caller's rbp   = rbpSaved ? [CFA - 16] : rbp          (a function either pushes rbp first or never writes it)
 * </pre>
 *
 * <p>Typical tables, {@code n} callee-saved registers pushed and {@code f} bytes allocated below them:
 * <pre>
 *   with frame pointer                         without frame pointer
 *   0: rsp+8                  (entry)          0:        rsp+8          (entry)
 *   1: rsp+16, rbp saved      push rbp         after push k:  rsp+8+8k
 *   4: rbp+16, rbp saved      mov rbp, rsp     after sub rsp, f:  rsp+8+8n+f  (the body)
 * </pre>
 * Epilogues are not described: nothing in them can fault or trap (pops and {@code ret} touch memory the prologue
 * already wrote), so the body's step stays in force through them.
 *
 * @param offsets   code offsets (from the entry) where each step starts, ascending
 * @param steps     encoded steps, one per offset: see {@link #step}
 */
public record FrameUnwind(int[] offsets, long[] steps) {
    /** The table of a function that has no frame at all (a leaf that saves nothing): the CFA is always rsp+8. */
    public static final FrameUnwind FRAMELESS = new FrameUnwind(new int[] {0}, new long[] {step(false, 8, false)});

    public FrameUnwind {
        if (offsets.length == 0 || offsets.length != steps.length) {
            throw new IllegalArgumentException("an unwind table needs one step per offset, at least one");
        }
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1]) throw new IllegalArgumentException("offsets not ascending");
        }
        offsets = offsets.clone();
        steps = steps.clone();
    }

    /** Encodes a step: the CFA is {@code (fromRbp ? rbp : rsp) + cfaOffset}; rbp is saved at CFA-16 or untouched. */
    public static long step(boolean fromRbp, int cfaOffset, boolean rbpSaved) {
        if (cfaOffset < 8 || (cfaOffset & 7) != 0) throw new IllegalArgumentException("CFA offset " + cfaOffset);
        return ((long) cfaOffset << 2) | (fromRbp ? 1 : 0) | (rbpSaved ? 2 : 0);
    }

    /** The step in force at {@code codeOffset}. */
    public long stepAt(int codeOffset) {
        int i = Arrays.binarySearch(offsets, codeOffset);
        if (i < 0) i = -i - 2;                 // the last offset below codeOffset
        return steps[Math.max(i, 0)];
    }

    /** Whether the CFA of {@code step} is relative to rbp (else rsp). */
    public static boolean fromRbp(long step) {
        return (step & 1) != 0;
    }

    /** Whether the function saved the caller's rbp at CFA-16 in {@code step}. */
    public static boolean rbpSaved(long step) {
        return (step & 2) != 0;
    }

    /** The CFA's offset from its base register in {@code step}. */
    public static int cfaOffset(long step) {
        return (int) (step >>> 2);
    }

    /** Builds a table step by step, in code order. */
    public static final class Builder {
        private int[] offsets = new int[4];
        private long[] steps = new long[4];
        private int count;

        /** From {@code codeOffset} on, {@code step} is in force (replaces a step at the same offset). */
        public Builder at(int codeOffset, long step) {
            if (count > 0 && offsets[count - 1] == codeOffset) {
                steps[count - 1] = step;
                return this;
            }
            if (count > 0 && offsets[count - 1] > codeOffset) throw new IllegalArgumentException("steps out of order");
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                steps = Arrays.copyOf(steps, count * 2);
            }
            offsets[count] = codeOffset;
            steps[count++] = step;
            return this;
        }

        public FrameUnwind build() {
            return count == 0 ? FRAMELESS : new FrameUnwind(Arrays.copyOf(offsets, count), Arrays.copyOf(steps, count));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameUnwind u && Arrays.equals(offsets, u.offsets) && Arrays.equals(steps, u.steps);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(offsets) + Arrays.hashCode(steps);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FrameUnwind[");
        for (int i = 0; i < offsets.length; i++) {
            if (i > 0) s.append(", ");
            s.append(offsets[i]).append(": ").append(fromRbp(steps[i]) ? "rbp+" : "rsp+").append(cfaOffset(steps[i]));
            if (rbpSaved(steps[i])) s.append(" (rbp saved)");
        }
        return s.append(']').toString();
    }
}
