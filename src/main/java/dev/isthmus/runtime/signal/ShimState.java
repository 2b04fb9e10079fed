package dev.isthmus.runtime.signal;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The native data the shim reads besides the {@link FaultTables}: the handler that was installed before it, per
 * signal (what "not ours" chains to), and a kernel {@code struct sigaction} that says SIG_DFL (for the case where
 * the previous handler was SIG_DFL or SIG_IGN: the shim restores the default with a raw {@code rt_sigaction}
 * system call and returns, so the fault repeats and takes the default action).
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  ----------------------------------------------------------------------------
 *        0   520  previous[65]    previous handler address by signal number (0 SIG_DFL, 1 SIG_IGN)
 *      520    32  defaultAction   kernel k_sigaction: handler 0, flags 0, restorer 0, mask 0
 *      552     8  trapped         faults the shim turned into traps (lock add; diagnostics and tests)
 *      560     8  chained         faults the shim passed on to the previous handler
 *      568        total
 * </pre>
 * Offsets are derived from {@link #LAYOUT}. The memory is never freed: the shim stays installed for the life of the
 * process.
 */
final class ShimState {
    /** Signal numbers 1..64, indexed directly. */
    static final int SLOTS = 65;

    static final StructLayout KERNEL_SIGACTION = MemoryLayout.structLayout(
            JAVA_LONG.withName("handler"),
            JAVA_LONG.withName("flags"),
            JAVA_LONG.withName("restorer"),
            JAVA_LONG.withName("mask")).withName("k_sigaction");

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(SLOTS, JAVA_LONG).withName("previous"),
            KERNEL_SIGACTION.withName("defaultAction"),
            JAVA_LONG.withName("trapped"),
            JAVA_LONG.withName("chained")).withName("shim_state");

    static final long PREVIOUS = LAYOUT.byteOffset(groupElement("previous"));
    static final long DEFAULT_ACTION = LAYOUT.byteOffset(groupElement("defaultAction"));
    static final long TRAPPED = LAYOUT.byteOffset(groupElement("trapped"));
    static final long CHAINED = LAYOUT.byteOffset(groupElement("chained"));
    /** The kernel's {@code sizeof(sigset_t)}, the fourth argument of {@code rt_sigaction}. */
    static final int KERNEL_SIGSET_SIZE = (int) JAVA_LONG.byteSize();

    private final MemorySegment memory = Arena.global().allocate(LAYOUT);

    long address() {
        return memory.address();
    }

    /** Records the handler to chain to for {@code signo}; must happen before the shim is installed for it. */
    void setPrevious(int signo, long handler) {
        memory.set(JAVA_LONG, PREVIOUS + 8L * signo, handler);
    }

    long trapped() {
        return (long) JAVA_LONG.varHandle().getVolatile(memory, TRAPPED);
    }

    long chained() {
        return (long) JAVA_LONG.varHandle().getVolatile(memory, CHAINED);
    }

    long previous(int signo) {
        return memory.get(JAVA_LONG, PREVIOUS + 8L * signo);
    }
}
