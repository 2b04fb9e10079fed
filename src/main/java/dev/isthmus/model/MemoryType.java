package dev.isthmus.model;

/** A linear memory's limits, in 64 KiB pages. */
public record MemoryType(Limits limits) {
    public static final int PAGE_SIZE = 65536;
    /** Wasm 2.0: a 32-bit memory holds at most 65536 pages (4 GiB). */
    public static final long MAX_PAGES = 65536;
    /** Wasm 3.0: a 64-bit memory (memory64) holds at most 2^48 pages (2^64 bytes). */
    public static final long MAX_PAGES_64 = 1L << 48;

    /** True for a memory64 memory: {@code i64} addresses, sizes and page counts. */
    public boolean address64() {
        return limits.address64();
    }

    /** The type in the text format: {@code (memory 1 2)}. */
    @Override
    public String toString() {
        return "(memory " + limits + ")";
    }
}
