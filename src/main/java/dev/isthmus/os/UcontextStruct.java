package dev.isthmus.os;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;

/**
 * The start of glibc's {@code ucontext_t} on x86-64, the third argument of an {@code SA_SIGINFO} handler: enough to
 * read and rewrite the interrupted thread's general registers ({@code uc_mcontext.gregs}), which is how a fault
 * handler redirects execution (set RIP/RSP, then return so the kernel's sigreturn resumes there).
 *
 * <p>Only this prefix is shared by glibc's struct and the frame the kernel actually builds; later glibc members
 * ({@code __fpregs_mem}, {@code __ssp}) are not at the same place in a kernel frame, so they are not modelled.
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  ----------------------------------------------------------------
 *        0     8  uc_flags
 *        8     8  uc_link
 *       16    24  uc_stack                 (stack_t, see StackStruct)
 *       40   184  uc_mcontext.gregs[23]    (REG_R8 = 0 ... REG_RIP = 16 ... REG_CR2 = 22)
 *      224     8  uc_mcontext.fpregs       (pointer to the saved FPU/SSE state)
 *      232    64  uc_mcontext.__reserved1
 *      296     8  uc_sigmask               (the kernel's 64-bit signal mask)
 *      304        end of the modelled prefix
 * </pre>
 */
public final class UcontextStruct {
    private UcontextStruct() {
    }

    // Indices into gregs, from <sys/ucontext.h>.
    public static final int REG_R8 = 0;
    public static final int REG_R9 = 1;
    public static final int REG_R10 = 2;
    public static final int REG_R11 = 3;
    public static final int REG_R12 = 4;
    public static final int REG_R13 = 5;
    public static final int REG_R14 = 6;
    public static final int REG_R15 = 7;
    public static final int REG_RDI = 8;
    public static final int REG_RSI = 9;
    public static final int REG_RBP = 10;
    public static final int REG_RBX = 11;
    public static final int REG_RDX = 12;
    public static final int REG_RAX = 13;
    public static final int REG_RCX = 14;
    public static final int REG_RSP = 15;
    public static final int REG_RIP = 16;
    public static final int REG_EFL = 17;
    public static final int REG_CSGSFS = 18;
    public static final int REG_ERR = 19;
    public static final int REG_TRAPNO = 20;
    public static final int REG_OLDMASK = 21;
    public static final int REG_CR2 = 22;
    /** Number of entries in gregs. */
    public static final int NGREG = 23;

    /** {@code gregset_t}: 23 saved 64-bit registers. */
    public static final SequenceLayout GREGS_LAYOUT = MemoryLayout.sequenceLayout(NGREG, JAVA_LONG);

    /** {@code mcontext_t}. */
    public static final StructLayout MCONTEXT_LAYOUT = MemoryLayout.structLayout(
            GREGS_LAYOUT.withName("gregs"),
            ADDRESS.withName("fpregs"),
            MemoryLayout.sequenceLayout(8, JAVA_LONG).withName("__reserved1")).withName("mcontext_t");

    /** The modelled prefix of {@code ucontext_t}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("uc_flags"),
            ADDRESS.withName("uc_link"),
            StackStruct.LAYOUT.withName("uc_stack"),
            MCONTEXT_LAYOUT.withName("uc_mcontext"),
            JAVA_LONG.withName("uc_sigmask")).withName("ucontext_t");

    public static final long STACK_OFFSET = LAYOUT.byteOffset(groupElement("uc_stack"));
    public static final long GREGS_OFFSET = LAYOUT.byteOffset(groupElement("uc_mcontext"), groupElement("gregs"));
    public static final long FPREGS_OFFSET = LAYOUT.byteOffset(groupElement("uc_mcontext"), groupElement("fpregs"));
    public static final long SIGMASK_OFFSET = LAYOUT.byteOffset(groupElement("uc_sigmask"));

    /** The byte offset of {@code gregs[register]} from the start of the ucontext (e.g. REG_RIP → 0xA8). */
    public static long gregOffset(int register) {
        if (register < 0 || register >= NGREG) {
            throw new IllegalArgumentException("no such greg: " + register);
        }
        return LAYOUT.byteOffset(groupElement("uc_mcontext"), groupElement("gregs"), sequenceElement(register));
    }

    /** Reads {@code gregs[register]}. */
    public static long greg(MemorySegment context, int register) {
        return context.get(JAVA_LONG, gregOffset(register));
    }

    /** Writes {@code gregs[register]}; the kernel restores it on sigreturn. */
    public static void setGreg(MemorySegment context, int register, long value) {
        context.set(JAVA_LONG, gregOffset(register), value);
    }
}
