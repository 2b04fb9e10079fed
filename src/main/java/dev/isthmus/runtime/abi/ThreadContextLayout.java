package dev.isthmus.runtime.abi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.os.StackStruct;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The native execution context of one OS thread: what the entry trampoline, the recovery stub, the signal shim and
 * the thread hooks share. One per OS thread (the carrier, for virtual threads), found by native code through a
 * pthread key, never passed from Java.
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  -----------------------------------------------------------------------------------
 *        0    56  landing        TrapLanding: recoveryPc, resumeRsp (= saved Java RSP of the innermost
 *                                entry), trapCode, faultPc, faultAddress, faultFp, faultSp — written by the
 *                                shim / raise
 *       56     8  wasmRsp        RSP an entry switches to (16-byte aligned): the stack top while idle; the
 *                                host-call bridge sets it below the caller's frames around an upcall (re-entry)
 *       64     8  entryRecord    EntryRecord of the innermost active entry (where results and traps go)
 *       72     8  stackLimit     StackGeometry's limit of this thread's wasm stack (base + WINDOW): what the
 *                                explicit stack check compares RSP with
 *       80     8  state          LIVE (0) or EXITED (1, set by the thread-exit hook; Java then frees it)
 *       88    24  altStack       stack_t passed to sigaltstack(2) when the thread attaches
 *      112     8  javaStackLimit the lowest Java RSP a host call may start from: this OS thread's stack bottom
 *                                + a margin (set by attach; 0 = unknown, no check)
 *      120        total
 * </pre>
 * Offsets are derived from {@link #LAYOUT}; the landing is first so its address is the context's address.
 */
public final class ThreadContextLayout {
    private ThreadContextLayout() {
    }

    /** {@code state}: the thread may still run wasm. */
    public static final long LIVE = 0;
    /** {@code state}: the OS thread has ended; its memory may be freed. */
    public static final long EXITED = 1;

    /** The context struct. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            TrapLanding.LAYOUT.withName("landing"),
            JAVA_LONG.withName("wasmRsp"),
            JAVA_LONG.withName("entryRecord"),
            JAVA_LONG.withName("stackLimit"),
            JAVA_LONG.withName("state"),
            StackStruct.LAYOUT.withName("altStack"),
            JAVA_LONG.withName("javaStackLimit")).withName("thread_context");

    public static final long LANDING = LAYOUT.byteOffset(groupElement("landing"));
    public static final long RECOVERY_PC = LANDING + TrapLanding.RECOVERY_PC;
    public static final long RESUME_RSP = LANDING + TrapLanding.RESUME_RSP;
    public static final long TRAP_CODE = LANDING + TrapLanding.TRAP_CODE;
    public static final long FAULT_PC = LANDING + TrapLanding.FAULT_PC;
    public static final long FAULT_ADDRESS = LANDING + TrapLanding.FAULT_ADDRESS;
    public static final long FAULT_FP = LANDING + TrapLanding.FAULT_FP;
    public static final long FAULT_SP = LANDING + TrapLanding.FAULT_SP;
    public static final long WASM_RSP = LAYOUT.byteOffset(groupElement("wasmRsp"));
    public static final long ENTRY_RECORD = LAYOUT.byteOffset(groupElement("entryRecord"));
    public static final long STACK_LIMIT = LAYOUT.byteOffset(groupElement("stackLimit"));
    public static final long STATE = LAYOUT.byteOffset(groupElement("state"));
    public static final long ALT_STACK = LAYOUT.byteOffset(groupElement("altStack"));
    public static final long JAVA_STACK_LIMIT = LAYOUT.byteOffset(groupElement("javaStackLimit"));
    public static final long SIZE = LAYOUT.byteSize();
}
