package dev.isthmus.os;

import java.lang.invoke.MethodHandle;

/**
 * A memory barrier on every thread of the process at once, paid for by the one thread that asks:
 * Linux {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)} (an interrupt to each CPU running a thread of this
 * process; ~20 µs here). It lets a hot path order a store before a later load without a fence of its own (a Dekker
 * handshake with one cheap side):
 *
 * <pre>
 *   hot thread:   store A  ...  load B               (no fence)
 *   rare thread:  store B; processWide(); load A     → it sees the store to A, or the hot thread sees B
 * </pre>
 * Registration ({@code MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED}) happens once, when the class loads. Where the
 * kernel refuses (older kernels, seccomp sandboxes), {@link #processWideAvailable()} is false and the hot side must
 * fence itself.
 */
public final class MemoryBarriers {
    private MemoryBarriers() {
    }

    private static final long SYS_MEMBARRIER = 324;                   // x86-64
    private static final long CMD_QUERY = 0;
    private static final long CMD_PRIVATE_EXPEDITED = 1 << 3;
    private static final long CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
    private static final MethodHandle SYSCALL = Libc.downcall("syscall");
    private static final boolean AVAILABLE = register();

    private static boolean register() {
        if ("false".equals(System.getProperty("isthmus.membarrier"))) return false;   // to test the fenced side
        long supported = syscall(CMD_QUERY);
        if (supported < 0 || (supported & CMD_PRIVATE_EXPEDITED) == 0
                || (supported & CMD_REGISTER_PRIVATE_EXPEDITED) == 0) {
            return false;
        }
        return syscall(CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
    }

    /** Whether {@link #processWide()} is a real barrier (otherwise hot paths must fence themselves). */
    public static boolean processWideAvailable() {
        return AVAILABLE;
    }

    /**
     * Runs a full memory barrier on every running thread of the process before it returns; does nothing when
     * {@link #processWideAvailable()} is false.
     */
    public static void processWide() {
        if (!AVAILABLE) return;
        long result = syscall(CMD_PRIVATE_EXPEDITED);
        if (result != 0) throw new IllegalStateException("membarrier failed after registering: " + result);
    }

    private static long syscall(long command) {
        try {
            return (long) SYSCALL.invokeExact(SYS_MEMBARRIER, command, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw Libc.unexpected("syscall(membarrier)", t);
        }
    }
}
