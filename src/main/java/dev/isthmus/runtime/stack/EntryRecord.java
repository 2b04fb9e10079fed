package dev.isthmus.runtime.stack;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The outcome of one entry into wasm, written by native code and read by Java right after the call: the result of
 * a normal return, or the trap's facts — where it happened and the bounds of the entry's part of the wasm stack,
 * from which {@link FrameWalker} builds the backtrace. Java passes it to the trampoline (Java cannot know the
 * per-OS-thread context: a virtual thread may be on another carrier by the time it looks).
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  -----------------------------------------------------------------------------
 *        0     8  result         rax of the target on a normal return
 *        8     4  trapCode       0, or TrapCode.code() of the trap
 *       12     4  (padding)
 *       16     8  faultPc        an address inside the trapping instruction
 *       24     8  faultAddress   fault address (0 for an explicit trap)
 *       32     8  faultSp        RSP at the trapping instruction
 *       40     8  faultFp        RBP at the trapping instruction
 *       48     8  stackLimit     the wasm stack's limit (StackGeometry: base + WINDOW)
 *       56     8  stackTop       RSP this entry started the wasm code with: its frames lie below
 *       64     8  context        the OS thread's context, written by a guarded entry that looked it up
 *       72     8  buffer         the thread's value buffer, read by a guarded entry (written by Java)
 *       80        total
 * </pre>
 * Offsets are derived from {@link #LAYOUT}; the trap fields are written only by the recovery stub. One record per
 * Java thread is enough: a nested entry (wasm → host → wasm) finishes, and is read, before the outer one writes its
 * own outcome.
 */
public final class EntryRecord {
    /** Most frames recorded per trap. */
    public static final int MAX_FRAMES = 64;

    /** The record struct. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("result"),
            JAVA_INT.withName("trapCode"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("faultPc"),
            JAVA_LONG.withName("faultAddress"),
            JAVA_LONG.withName("faultSp"),
            JAVA_LONG.withName("faultFp"),
            JAVA_LONG.withName("stackLimit"),
            JAVA_LONG.withName("stackTop"),
            JAVA_LONG.withName("context"),
            JAVA_LONG.withName("buffer")).withName("entry_record");

    public static final long RESULT = LAYOUT.byteOffset(groupElement("result"));
    public static final long TRAP_CODE = LAYOUT.byteOffset(groupElement("trapCode"));
    public static final long FAULT_PC = LAYOUT.byteOffset(groupElement("faultPc"));
    public static final long FAULT_ADDRESS = LAYOUT.byteOffset(groupElement("faultAddress"));
    public static final long FAULT_SP = LAYOUT.byteOffset(groupElement("faultSp"));
    public static final long FAULT_FP = LAYOUT.byteOffset(groupElement("faultFp"));
    public static final long STACK_LIMIT = LAYOUT.byteOffset(groupElement("stackLimit"));
    public static final long STACK_TOP = LAYOUT.byteOffset(groupElement("stackTop"));
    public static final long CONTEXT = LAYOUT.byteOffset(groupElement("context"));
    public static final long BUFFER = LAYOUT.byteOffset(groupElement("buffer"));

    private static final ThreadLocal<EntryRecord> PER_THREAD = ThreadLocal.withInitial(EntryRecord::new);

    private final MemorySegment memory = Arena.ofAuto().allocate(LAYOUT);
    private long[] framePcs = new long[0];

    /** The calling Java thread's record (virtual or platform: it belongs to the call chain, not the carrier). */
    public static EntryRecord current() {
        return PER_THREAD.get();
    }

    /** The native memory, to pass to the trampoline. */
    public MemorySegment segment() {
        return memory;
    }

    public long result() {
        return memory.get(JAVA_LONG, RESULT);
    }

    public int trapCode() {
        return memory.get(JAVA_INT, TRAP_CODE);
    }

    public long faultPc() {
        return memory.get(JAVA_LONG, FAULT_PC);
    }

    public long faultAddress() {
        return memory.get(JAVA_LONG, FAULT_ADDRESS);
    }

    public long faultSp() {
        return memory.get(JAVA_LONG, FAULT_SP);
    }

    public long faultFp() {
        return memory.get(JAVA_LONG, FAULT_FP);
    }

    public long stackLimit() {
        return memory.get(JAVA_LONG, STACK_LIMIT);
    }

    /** The OS thread's context, as the last guarded entry that had to look it up wrote it (0 before). */
    public long context() {
        return memory.get(JAVA_LONG, CONTEXT);
    }

    /** Sets the value buffer a guarded entry hands to its adapter. */
    public void setBuffer(long address) {
        memory.set(JAVA_LONG, BUFFER, address);
    }

    public long stackTop() {
        return memory.get(JAVA_LONG, STACK_TOP);
    }

    /**
     * The machine-code backtrace of the last trap, innermost first: element 0 is inside the trapping instruction,
     * the others are return addresses (look up {@code pc - 1} to find the call instruction). Set by
     * {@link WasmCall} right after the trap ({@link FrameWalker}).
     */
    public long[] framePcs() {
        return framePcs.clone();
    }

    void setFramePcs(long[] pcs) {
        framePcs = pcs;
    }
}
