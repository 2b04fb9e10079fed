package dev.isthmus.options;

/** How compiled code keeps linear-memory accesses inside the memory. */
public enum BoundsChecks {
    /**
     * No checks in code: each 32-bit memory is a reservation of 8 GiB plus guard (PROT_NONE beyond the current
     * size), so every {@code i32 index + u32 offset} lands inside it and an out-of-bounds access faults; the signal
     * shim turns the fault into "out of bounds memory access".
     */
    GUARD_PAGES,
    /** Each access compares {@code index + offset + size} against {@code vmctx.memorySize} and traps explicitly. */
    EXPLICIT
}
