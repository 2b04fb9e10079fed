package dev.isthmus.os;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code siginfo_t} on x86-64 Linux, as an {@code SA_SIGINFO} handler receives it — only the members a fault
 * handler reads. For SIGSEGV, SIGBUS, SIGILL and SIGFPE the union starts with {@code si_addr}: the faulting data
 * address (SIGSEGV/SIGBUS) or instruction address (SIGILL/SIGFPE). Offsets are derived from {@link #LAYOUT}.
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  --------------------------------------------
 *        0     4  si_signo
 *        4     4  si_errno
 *        8     4  si_code     (e.g. SEGV_MAPERR 1, SEGV_ACCERR 2)
 *       12     4  (padding)
 *       16     8  si_addr     (first member of the fault union)
 *       24   104  (rest of the union)
 *      128        total
 * </pre>
 */
public final class SiginfoStruct {
    private SiginfoStruct() {
    }

    /** {@code si_code} of a SIGSEGV at an address that is not mapped. */
    public static final int SEGV_MAPERR = 1;
    /** {@code si_code} of a SIGSEGV at a mapped address without the needed permission (e.g. a guard page). */
    public static final int SEGV_ACCERR = 2;

    /** The whole struct (128 bytes). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("si_signo"),
            JAVA_INT.withName("si_errno"),
            JAVA_INT.withName("si_code"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("si_addr"),
            MemoryLayout.paddingLayout(104)).withName("siginfo_t");

    public static final long SIGNO_OFFSET = LAYOUT.byteOffset(groupElement("si_signo"));
    public static final long CODE_OFFSET = LAYOUT.byteOffset(groupElement("si_code"));
    public static final long ADDR_OFFSET = LAYOUT.byteOffset(groupElement("si_addr"));
    public static final long SIZE = LAYOUT.byteSize();

    public static int signo(MemorySegment info) {
        return info.get(JAVA_INT, SIGNO_OFFSET);
    }

    public static int code(MemorySegment info) {
        return info.get(JAVA_INT, CODE_OFFSET);
    }

    /** {@code si_addr}: the fault address. */
    public static long faultAddress(MemorySegment info) {
        return info.get(ValueLayout.JAVA_LONG, ADDR_OFFSET);
    }
}
