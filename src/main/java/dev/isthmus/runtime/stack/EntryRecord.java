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
 * a normal return, or the trap's facts and the machine-code backtrace. Java passes it to the trampoline (Java
 * cannot know the per-OS-thread context: a virtual thread may be on another carrier by the time it looks).
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  -----------------------------------------------------------------------------
 *        0     8  result         rax of the target on a normal return
 *        8     4  trapCode       0, or TrapKind.code() of the trap
 *       12     4  frameCount     entries used in framePcs (0 on a normal return)
 *       16     8  faultPc        an address inside the trapping instruction
 *       24     8  faultAddress   fault address (0 for an explicit trap)
 *       32   512  framePcs[64]   framePcs[0] = faultPc, then the return addresses found by walking the rbp
 *                                chain from the fault's rbp, innermost first, up to the entry (or 64 frames)
 *      544        total
 * </pre>
 * Offsets are derived from {@link #LAYOUT}. One record per Java thread is enough: a nested entry (wasm → host →
 * wasm) finishes, and is read, before the outer one writes its own outcome.
 */
public final class EntryRecord {
    /** Most frames recorded per trap. */
    public static final int MAX_FRAMES = 64;

    /** The record struct. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("result"),
            JAVA_INT.withName("trapCode"),
            JAVA_INT.withName("frameCount"),
            JAVA_LONG.withName("faultPc"),
            JAVA_LONG.withName("faultAddress"),
            MemoryLayout.sequenceLayout(MAX_FRAMES, JAVA_LONG).withName("framePcs")).withName("entry_record");

    public static final long RESULT = LAYOUT.byteOffset(groupElement("result"));
    public static final long TRAP_CODE = LAYOUT.byteOffset(groupElement("trapCode"));
    public static final long FRAME_COUNT = LAYOUT.byteOffset(groupElement("frameCount"));
    public static final long FAULT_PC = LAYOUT.byteOffset(groupElement("faultPc"));
    public static final long FAULT_ADDRESS = LAYOUT.byteOffset(groupElement("faultAddress"));
    public static final long FRAME_PCS = LAYOUT.byteOffset(groupElement("framePcs"));

    private static final ThreadLocal<EntryRecord> PER_THREAD = ThreadLocal.withInitial(EntryRecord::new);

    private final MemorySegment memory = Arena.ofAuto().allocate(LAYOUT);

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

    /**
     * The machine-code backtrace of the last trap, innermost first: element 0 is inside the trapping instruction,
     * the others are return addresses (look up {@code pc - 1} to find the call instruction).
     */
    public long[] framePcs() {
        int count = Math.clamp(memory.get(JAVA_INT, FRAME_COUNT), 0, MAX_FRAMES);
        long[] pcs = new long[count];
        for (int i = 0; i < count; i++) {
            pcs[i] = memory.getAtIndex(JAVA_LONG, FRAME_PCS / 8 + i);
        }
        return pcs;
    }
}
