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
 * The body's step also says which callee-saved registers the prologue pushed, in push order ({@link #withSaved}),
 * so that an exception unwinding through the frame can give each its value back, as DWARF CFI's register rules do:
 * <pre>
 *   saved register i  at CFA - (rbpSaved ? 16 : 8) - 8(i+1)          (pushed right after the return address / rbp)
 * </pre>
 * Epilogues are not described: nothing in them can fault or trap (pops and {@code ret} touch memory the prologue
 * already wrote), so the body's step stays in force through them.
 *
 * @param offsets   code offsets (from the entry) where each step starts, ascending
 * @param steps     encoded steps, one per offset: see {@link #step}
 * @param handlers  the function's exception handlers (see {@link #handlers()}), empty when it has none
 */
public record FrameUnwind(int[] offsets, long[] steps, int[] handlers) {
    /** A table without exception handlers. */
    public FrameUnwind(int[] offsets, long[] steps) {
        this(offsets, steps, new int[0]);
    }

    /** Handler clause kinds of {@link #handlers()} (try_table's binary encoding, then the legacy form's). */
    public static final int CATCH = 0, CATCH_REF = 1, CATCH_ALL = 2, CATCH_ALL_REF = 3;
    /**
     * What handles next: a legacy {@code delegate} (the range's only clause), or the try around a try whose code is
     * not all inside that try's range (the last clause, after the range's own). Its tag field is the index (in list
     * order, always after this range) of the range whose clauses handle the exception next — whether or not that
     * range covers the throw — or -1 for the caller's frame.
     */
    public static final int DELEGATE = 4;

    /**
     * The same table with exception handlers: a flat list of try ranges, each
     * {@code start, end, count, (kind, tag, landing pad) × count} (code offsets from the function's entry; a
     * call or throw whose return address − 1 lies in {@code [start, end)} is covered). Ranges are listed innermost
     * first (a try ends before any try around it), so the first covering range with a matching clause catches;
     * a {@link #DELEGATE} clause sends the search to the range it names instead of the next covering one.
     * Nothing of this is executed on the way that does not throw: it is read only by the exception dispatch.
     */
    public FrameUnwind withHandlers(int[] table) {
        return new FrameUnwind(offsets, steps, table);
    }

    /**
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
        handlers = handlers.clone();
    }

    /** Encodes a step: the CFA is {@code (fromRbp ? rbp : rsp) + cfaOffset}; rbp is saved at CFA-16 or untouched. */
    public static long step(boolean fromRbp, int cfaOffset, boolean rbpSaved) {
        if (cfaOffset < 8 || (cfaOffset & 7) != 0) throw new IllegalArgumentException("CFA offset " + cfaOffset);
        return ((long) cfaOffset << 2) | (fromRbp ? 1 : 0) | (rbpSaved ? 2 : 0);
    }

    /**
     * {@code step} plus the callee-saved registers (x86 encodings, at most 6) the prologue pushed in that order, which
     * sit just below the return address (and rbp, when the step saves it). Bits 32..55 hold 4 bits per register,
     * bits 56..59 the count; the CFA fields keep their bits.
     */
    public static long withSaved(long step, int[] registers) {
        if (registers.length > 6) throw new IllegalArgumentException("at most 6 saved registers");
        long bits = (long) registers.length << 56;
        for (int i = 0; i < registers.length; i++) {
            if (registers[i] < 0 || registers[i] > 15) throw new IllegalArgumentException("register " + registers[i]);
            bits |= (long) registers[i] << (32 + 4 * i);
        }
        return (step & 0xFFFF_FFFFL) | bits;
    }

    /** The CFA rule of {@code step} alone (without the saved registers): what {@link #step} encodes. */
    public static long cfaRule(long step) {
        return step & 0xFFFF_FFFFL;
    }

    /** How many callee-saved registers {@code step} says the prologue pushed. */
    public static int savedCount(long step) {
        return (int) (step >>> 56) & 0xF;
    }

    /** The x86 encoding of saved register {@code i} (push order) of {@code step}. */
    public static int savedRegister(long step, int i) {
        return (int) (step >>> (32 + 4 * i)) & 0xF;
    }

    /** Where saved register {@code i} of {@code step} sits, as an offset from the CFA (negative). */
    public static int savedOffset(long step, int i) {
        return -(rbpSaved(step) ? 16 : 8) - 8 * (i + 1);
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
        return (int) ((step & 0xFFFF_FFFFL) >>> 2);
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

        /** Replaces the step recorded last (there must be one). */
        public Builder amendLast(java.util.function.LongUnaryOperator change) {
            if (count == 0) throw new IllegalStateException("no step yet");
            steps[count - 1] = change.applyAsLong(steps[count - 1]);
            return this;
        }

        public FrameUnwind build() {
            return count == 0 ? FRAMELESS : new FrameUnwind(Arrays.copyOf(offsets, count), Arrays.copyOf(steps, count));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameUnwind u && Arrays.equals(offsets, u.offsets) && Arrays.equals(steps, u.steps)
                && Arrays.equals(handlers, u.handlers);
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
