package dev.isthmus.runtime.abi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * Where the signal shim sends a thread that trapped, and where it leaves the trap's facts: the first member of
 * every per-thread execution context. The shim finds it through the stack table ({@link FaultTables#stacks()}):
 * the faulting RSP lies in a wasm stack, whose datum is the address of its thread's landing.
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  -----------------------------------------------------------------------
 *        0     8  recoveryPc     code the shim resumes at (rdi = this landing)
 *        8     8  resumeRsp      RSP it resumes with: the Java stack saved by the entry trampoline
 *       16     4  trapCode       TrapCode.code() of the trap
 *       20     4  (padding)
 *       24     8  faultPc        an address inside the trapping instruction: RIP of the faulting one, or the
 *                                return address of the call to the raise stub minus 1
 *       32     8  faultAddress   si_addr of the fault (the data address, or the PC for SIGILL)
 *       40     8  faultFp        RBP at the fault (the raise stub: RBP of its caller)
 *       48     8  faultSp        RSP at the fault (the raise stub: its caller's RSP before the call, RSP + 8);
 *                                faultPc, faultSp and faultFp are where the backtrace walk starts
 *       56        total
 * </pre>
 * Offsets are derived from {@link #LAYOUT}.
 */
public final class TrapLanding {
    private TrapLanding() {
    }

    /** The landing struct. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("recoveryPc"),
            JAVA_LONG.withName("resumeRsp"),
            JAVA_INT.withName("trapCode"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("faultPc"),
            JAVA_LONG.withName("faultAddress"),
            JAVA_LONG.withName("faultFp"),
            JAVA_LONG.withName("faultSp")).withName("trap_landing");

    public static final long RECOVERY_PC = LAYOUT.byteOffset(groupElement("recoveryPc"));
    public static final long RESUME_RSP = LAYOUT.byteOffset(groupElement("resumeRsp"));
    public static final long TRAP_CODE = LAYOUT.byteOffset(groupElement("trapCode"));
    public static final long FAULT_PC = LAYOUT.byteOffset(groupElement("faultPc"));
    public static final long FAULT_ADDRESS = LAYOUT.byteOffset(groupElement("faultAddress"));
    public static final long FAULT_FP = LAYOUT.byteOffset(groupElement("faultFp"));
    public static final long FAULT_SP = LAYOUT.byteOffset(groupElement("faultSp"));
}
