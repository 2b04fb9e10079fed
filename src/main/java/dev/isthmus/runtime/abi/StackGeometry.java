package dev.isthmus.runtime.abi;

/**
 * The shape of every wasm stack in this process — one constant layout that compiled code, the stack allocator, the
 * host-exit checks and the signal shim all derive from. Each OS thread that runs wasm gets one such stack.
 *
 * <pre>
 *   base + ALIGNMENT ┌──────────────────────────────┐  (next stack's region, or unmapped)
 *                    │ (unused tail of the region)  │  only address space, never touched
 *   top()            ├──────────────────────────────┤  initial RSP (16-byte aligned)
 *                    │ usable stack, grows down     │  size() bytes, READ|WRITE, committed on first touch
 *   base + WINDOW    ├──────────────────────────────┤  = ThreadContext.stackLimit: explicit checks trap below it,
 *                    │ reserve                      │    host exits refuse to start below it
 *                    │ (RESERVE bytes, READ|WRITE)  │  frames of up to MAX_UNCHECKED_FRAME may reach into it
 *   base + HEADER+GUARD ├───────────────────────────┤
 *                    │ guard, PROT_NONE (GUARD)     │  a push/call/store here faults → "call stack exhausted"
 *   base + HEADER    ├──────────────────────────────┤
 *                    │ header (READ|WRITE)          │  CONTEXT_SLOT: this OS thread's ThreadContext address
 *   base             └──────────────────────────────┘  aligned to ALIGNMENT
 * </pre>
 *
 * <p>Because every stack region starts at a multiple of {@link #ALIGNMENT} and the usable part never reaches the
 * next multiple, {@code rsp mod ALIGNMENT < WINDOW} holds exactly when RSP is at or below the limit. With
 * {@code WINDOW} a power of two that is one instruction, {@code test esp, WINDOW_MASK} (ZF set ⇔ exhausted), no
 * load and no register: the cheapest explicit check ({@code explicit-pinned}) and the host-exit check. The
 * header lets code find its thread's context from RSP alone ({@code rsp & -ALIGNMENT}), which the
 * {@code explicit} variant uses to load the limit the way wasmtime does, through a chain of loads.
 *
 * <p>The usable size comes from the system property {@code isthmus.wasmStack.size} (default 1 MiB), read once:
 * it is fixed for the life of the process because machine code embeds {@link #WINDOW_MASK}.
 */
public final class StackGeometry {
    private StackGeometry() {
    }

    /** Default usable size: 1 MiB (the default Java thread stack on x86-64 Linux; twice wasmtime's default). */
    public static final long DEFAULT_SIZE = 1L << 20;
    /** Bytes of the header page at the base of the region. */
    public static final int HEADER = 4 << 10;
    /** Bytes of the PROT_NONE guard above the header. */
    public static final int GUARD = 64 << 10;
    /** Distance from the base to the limit: header, guard and reserve (a power of two). */
    public static final int WINDOW = 128 << 10;
    /** Accessible bytes between the guard and the limit. */
    public static final int RESERVE = WINDOW - GUARD - HEADER;
    /**
     * Room that must stay between the lowest RSP an explicitly checked frame reaches and the guard: the trap path
     * ({@code raise}, the host-exit check's own pushes) runs there.
     */
    public static final int TRAP_ROOM = 4 << 10;
    /**
     * The largest frame (bytes below the return address) an explicit check may allocate after comparing RSP itself
     * with the limit; larger frames compare {@code RSP - frame} (see {@link #RESERVE}).
     */
    public static final int MAX_UNCHECKED_FRAME = RESERVE - TRAP_ROOM;
    /** Offset in the header of this OS thread's ThreadContext address. */
    public static final int CONTEXT_SLOT = 0;

    /** Usable bytes of every wasm stack (16-byte multiple, whole pages). */
    public static final long SIZE = usableSize();
    /**
     * Alignment (and size of the address range) of each stack region: a power of two &gt; WINDOW + SIZE, so that even
     * the initial RSP lies strictly inside its region.
     */
    public static final long ALIGNMENT = Long.highestOneBit(WINDOW + SIZE) << 1;
    /**
     * {@code (ALIGNMENT - 1) & ~(WINDOW - 1)}: {@code test esp, WINDOW_MASK} sets ZF exactly when RSP is below the
     * limit (a 32-bit immediate while {@code ALIGNMENT ≤ 2^31}).
     */
    public static final int WINDOW_MASK = (int) ((ALIGNMENT - 1) & ~((long) WINDOW - 1));

    private static long usableSize() {
        long size = Long.getLong("isthmus.wasmStack.size", DEFAULT_SIZE);
        if (size < 64 << 10 || size > (1L << 30)) {
            throw new IllegalArgumentException("isthmus.wasmStack.size must be between 64 KiB and 1 GiB: " + size);
        }
        return (size + 4095) & -4096L;
    }

    /** The region base of the stack that {@code rsp} is on. */
    public static long baseOf(long rsp) {
        return rsp & -ALIGNMENT;
    }

    /** The explicit-check limit of the stack based at {@code base}. */
    public static long limitOf(long base) {
        return base + WINDOW;
    }

    /** The initial RSP of the stack based at {@code base}. */
    public static long topOf(long base) {
        return base + WINDOW + SIZE;
    }

    /** Whether an RSP on some wasm stack is at or below its limit (what {@code test esp, WINDOW_MASK} computes). */
    public static boolean exhausted(long rsp) {
        return (rsp & WINDOW_MASK) == 0;
    }
}
