package dev.isthmus.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Facts about the machine and process from {@code sysconf} and {@code getauxval}: page size, the kernel's minimum
 * signal stack size.
 */
public final class SystemInfo {
    private SystemInfo() {
    }

    private static final MethodHandle SYSCONF = Libc.downcallCapturingErrno("sysconf");
    private static final MethodHandle GETAUXVAL = Libc.downcall("getauxval");

    private static final long PAGE_SIZE = sysconf(LinuxConstants.SC_PAGESIZE);

    /** The page size in bytes ({@code sysconf(_SC_PAGESIZE)}), read once. */
    public static long pageSize() {
        return PAGE_SIZE;
    }

    /** {@code size} rounded up to a whole number of pages. */
    public static long roundUpToPages(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        return Math.ceilDiv(size, PAGE_SIZE) * PAGE_SIZE;
    }

    /**
     * {@code sysconf(name)} with a {@code SC_*} name of {@link LinuxConstants}.
     *
     * <p>sysconf returns -1 both for "no limit" (errno untouched) and for an unknown name (errno EINVAL). The
     * captured errno is whatever the thread's errno was after the call, so only EINVAL, the one error sysconf
     * documents, is taken as failure; any other -1 is returned as "no limit".
     *
     * @throws OsException when sysconf returns -1 with errno EINVAL
     */
    public static long sysconf(int name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            long value = (long) SYSCONF.invokeExact(state, (long) name, 0L, 0L, 0L, 0L, 0L);
            if (value == -1 && Libc.errno(state) == Errno.EINVAL) {
                throw new OsException("sysconf(" + name + ")", Libc.errno(state));
            }
            return value;
        } catch (Throwable t) {
            throw Libc.unexpected("sysconf", t);
        }
    }

    /** {@code getauxval(type)} with an {@code AT_*} type; 0 when the kernel did not supply the entry. */
    public static long auxiliaryValue(long type) {
        try {
            return (long) GETAUXVAL.invokeExact(type, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw Libc.unexpected("getauxval", t);
        }
    }

    /**
     * The smallest alternate signal stack that fits a signal frame on this CPU (AT_MINSIGSTKSZ, e.g. 3376 bytes with
     * AVX-512), or glibc's legacy {@code MINSIGSTKSZ} when the kernel does not report it.
     */
    public static long minimumSignalStackSize() {
        long reported = auxiliaryValue(LinuxConstants.AT_MINSIGSTKSZ);
        return Math.max(reported, LinuxConstants.MINSIGSTKSZ);
    }
}
