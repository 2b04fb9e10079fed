package dev.isthmus.model;

/**
 * The body of one defined function, as the code section gives it.
 *
 * <p>Locals are kept run-length encoded ({@code localCounts[i]} locals of {@code localTypes[i]}), as in the binary
 * format; {@link #localCount()} is their total (the decoder rejects totals above 2^32-1, the spec's "too many
 * locals").
 *
 * @param localCounts  run lengths
 * @param localTypes   the type of each run
 * @param code         the instruction bytes, up to and including the final {@code end}
 * @param codeOffset   the byte offset of {@code code[0]} in the module binary
 */
public record FunctionBody(int[] localCounts, ValType[] localTypes, byte[] code, int codeOffset) {
    public FunctionBody {
        if (localCounts.length != localTypes.length) throw new IllegalArgumentException("local runs mismatch");
        localCounts = localCounts.clone();
        localTypes = localTypes.clone();
        code = code.clone();
    }

    /** Total number of declared locals (parameters excluded). */
    public long localCount() {
        long n = 0;
        for (int c : localCounts) n += Integer.toUnsignedLong(c);
        return n;
    }

    /** The type of declared local {@code i} (0-based, parameters excluded). */
    public ValType localType(long i) {
        for (int r = 0; r < localCounts.length; r++) {
            long c = Integer.toUnsignedLong(localCounts[r]);
            if (i < c) return localTypes[r];
            i -= c;
        }
        throw new IndexOutOfBoundsException("local " + i);
    }

    public int localRuns() {
        return localCounts.length;
    }

    public int localRunCount(int run) {
        return localCounts[run];
    }

    public ValType localRunType(int run) {
        return localTypes[run];
    }

    /** Direct access to the instruction bytes without copying; callers must not modify the array. */
    public byte[] codeUnsafe() {
        return code;
    }
}
