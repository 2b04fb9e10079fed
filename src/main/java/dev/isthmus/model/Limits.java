package dev.isthmus.model;

/**
 * Size limits of a memory (in 64 KiB pages) or a table (in elements), with the address type of the memory or table
 * (Wasm 3.0's memory64 and table64: {@code i64} addresses; otherwise {@code i32}).
 *
 * <p>The bounds are unsigned 64-bit values (a 64-bit table may declare up to 2^64-1 elements); compare them with
 * {@link Long#compareUnsigned}. A declared maximum of 2^64-1 has the bits of {@link #NO_MAX} and reads as "no
 * maximum": no memory or table can reach that size, so the two mean the same at run time (only import matching
 * could tell them apart, and there a maximum of 2^64-1 admits every exporter anyway).
 *
 * @param min       the initial size
 * @param max       the maximum size, or {@link #NO_MAX} when absent
 * @param address64 true for an {@code i64} address type (memory64 / table64)
 */
public record Limits(long min, long max, boolean address64) {
    public static final long NO_MAX = -1;

    /** Limits of a 32-bit memory or table. */
    public Limits(long min, long max) {
        this(min, max, false);
    }

    public boolean hasMax() {
        return max != NO_MAX;
    }

    /** The address (and size) type: {@link ValType#I64} for memory64 / table64, else {@link ValType#I32}. */
    public ValType addressType() {
        return address64 ? ValType.I64 : ValType.I32;
    }

    @Override
    public String toString() {
        String bounds = hasMax() ? Long.toUnsignedString(min) + " " + Long.toUnsignedString(max)
                : Long.toUnsignedString(min);
        return address64 ? "i64 " + bounds : bounds;
    }
}
