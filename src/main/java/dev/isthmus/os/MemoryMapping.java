package dev.isthmus.os;

import static dev.isthmus.os.LinuxConstants.PROT_EXEC;
import static dev.isthmus.os.LinuxConstants.PROT_READ;
import static dev.isthmus.os.LinuxConstants.PROT_WRITE;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Virtual memory calls of {@code <sys/mman.h>}: {@code mmap}, {@code munmap}, {@code mprotect}, {@code madvise}.
 *
 * <p>Addresses and lengths are plain {@code long}s (raw virtual addresses), because callers keep them in tables and
 * in generated code; wrap them with {@code MemorySegment.ofAddress(a).reinterpret(n)} to access the memory.
 * Every call throws {@link OsException} with errno on failure.
 */
public final class MemoryMapping {
    private MemoryMapping() {
    }

    private static final MethodHandle MMAP = Libc.downcallCapturingErrno("mmap");
    private static final MethodHandle MUNMAP = Libc.downcallCapturingErrno("munmap");
    private static final MethodHandle MPROTECT = Libc.downcallCapturingErrno("mprotect");
    private static final MethodHandle MADVISE = Libc.downcallCapturingErrno("madvise");

    /**
     * {@code mmap(addr, length, prot, flags, fd, offset)}.
     *
     * @param hint the address hint (0 for "anywhere"); exact when {@code flags} has MAP_FIXED
     * @return the start address of the new mapping
     * @throws OsException when mmap returns MAP_FAILED
     */
    public static long mmap(long hint, long length, int prot, int flags, int fd, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            long result = (long) MMAP.invokeExact(state, hint, length, (long) prot, (long) flags, (long) fd, offset);
            if (result == LinuxConstants.MAP_FAILED) {
                throw new OsException("mmap(" + Libc.hex(hint) + ", " + length + ", " + protectionText(prot) + ", "
                        + Libc.hex(flags) + ", " + fd + ", " + offset + ")", Libc.errno(state));
            }
            return result;
        } catch (Throwable t) {
            throw Libc.unexpected("mmap", t);
        }
    }

    /** An anonymous private mapping of {@code length} bytes anywhere: {@code mmap(0, length, prot, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)}. */
    public static long mapAnonymous(long length, int prot) {
        return mmap(0, length, prot, LinuxConstants.MAP_PRIVATE | LinuxConstants.MAP_ANONYMOUS, -1, 0);
    }

    /** {@code munmap(address, length)}. */
    public static void munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int rc = (int) (long) MUNMAP.invokeExact(state, address, length, 0L, 0L, 0L, 0L);
            if (rc != 0) {
                throw new OsException("munmap(" + Libc.hex(address) + ", " + length + ")", Libc.errno(state));
            }
        } catch (Throwable t) {
            throw Libc.unexpected("munmap", t);
        }
    }

    /** {@code mprotect(address, length, prot)}; {@code address} must be page aligned. */
    public static void mprotect(long address, long length, int prot) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int rc = (int) (long) MPROTECT.invokeExact(state, address, length, (long) prot, 0L, 0L, 0L);
            if (rc != 0) {
                throw new OsException("mprotect(" + Libc.hex(address) + ", " + length + ", " + protectionText(prot)
                        + ")", Libc.errno(state));
            }
        } catch (Throwable t) {
            throw Libc.unexpected("mprotect", t);
        }
    }

    /** {@code madvise(address, length, advice)} with one of the {@code MADV_*} values of {@link LinuxConstants}. */
    public static void madvise(long address, long length, int advice) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int rc = (int) (long) MADVISE.invokeExact(state, address, length, (long) advice, 0L, 0L, 0L);
            if (rc != 0) {
                throw new OsException("madvise(" + Libc.hex(address) + ", " + length + ", " + advice + ")",
                        Libc.errno(state));
            }
        } catch (Throwable t) {
            throw Libc.unexpected("madvise", t);
        }
    }

    /** Protection bits as C would spell them, e.g. {@code PROT_READ|PROT_EXEC}, for messages. */
    public static String protectionText(int prot) {
        if (prot == LinuxConstants.PROT_NONE) {
            return "PROT_NONE";
        }
        StringBuilder text = new StringBuilder();
        appendFlag(text, prot, PROT_READ, "PROT_READ");
        appendFlag(text, prot, PROT_WRITE, "PROT_WRITE");
        appendFlag(text, prot, PROT_EXEC, "PROT_EXEC");
        int unknown = prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC);
        if (unknown != 0) {
            appendFlag(text, unknown, unknown, Libc.hex(unknown));
        }
        return text.toString();
    }

    private static void appendFlag(StringBuilder text, int bits, int flag, String name) {
        if ((bits & flag) != 0) {
            if (!text.isEmpty()) {
                text.append('|');
            }
            text.append(name);
        }
    }
}
