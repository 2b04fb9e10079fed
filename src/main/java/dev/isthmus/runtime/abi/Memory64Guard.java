package dev.isthmus.runtime.abi;

/**
 * The contract between compiled code and a memory64 memory's reservation. A memory64 memory reserves its maximum
 * (at most the engine's limit) plus {@link #GUARD_BYTES} of {@code PROT_NONE} address space behind it, all
 * registered as the memory's fault region; the pages beyond the current size are inaccessible.
 *
 * <pre>
 *   base                base + size            base + max            base + max + GUARD_BYTES
 *   ├─ read-write ───────┼─ PROT_NONE (grows) ───┼─ PROT_NONE guard ──────┤
 * </pre>
 *
 * So an access whose index passed {@code index <= size} (the current byte size in the vmctx) and whose constant
 * offset plus access size is at most {@link #GUARD_BYTES} either lies inside the memory or faults in the
 * reservation (the signal shim turns the fault into "out of bounds memory access"): compiled code checks the index
 * alone, with one compare, and folds any offset up to the guard into the access. Larger offsets get the complete
 * check of {@code index + offset + size} (carry included).
 */
public final class Memory64Guard {
    private Memory64Guard() {}

    /** Bytes of guard behind a memory64 memory's maximum: any offset + access size up to this is folded. */
    public static final long GUARD_BYTES = 1L << 31;
}
