package dev.isthmus.runtime.code;

/**
 * A half-open range of machine code addresses {@code [start, end)} and the object that owns it (for example a
 * {@link CodeMemory} or the compiled module that placed code there).
 *
 * <p>Addresses are user-space virtual addresses (below 2^47 on x86-64), so signed {@code long} comparison is exact.
 */
public record CodeRange(long start, long end, Object owner) {
    public CodeRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad code range [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + ")");
        }
    }

    /** Whether {@code address} lies in {@code [start, end)}. */
    public boolean contains(long address) {
        return address >= start && address < end;
    }

    /** Whether this range and {@code other} share at least one address. */
    public boolean overlaps(CodeRange other) {
        return start < other.end && other.start < end;
    }

    /** The number of bytes in the range. */
    public long size() {
        return end - start;
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ") " + owner;
    }
}
