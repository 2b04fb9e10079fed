package dev.isthmus.os;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;

/**
 * glibc's {@code struct sigaction} on x86-64 (the user-space struct that {@code sigaction(2)}'s wrapper takes, not
 * the kernel's), with accessors. Offsets are derived from {@link #LAYOUT}; nothing else should number them.
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  -----------------------------------------------------------------
 *        0     8  sa_handler / sa_sigaction   (union: SIG_DFL, SIG_IGN or code address)
 *        8   128  sa_mask                     (sigset_t: 1024 bits, bit (signo-1) per signal)
 *      136     4  sa_flags                    (SA_SIGINFO | SA_ONSTACK | ...)
 *      140     4  (padding)
 *      144     8  sa_restorer                 (set by glibc; reported back with SA_RESTORER)
 *      152        total
 * </pre>
 */
public final class SigactionStruct {
    private SigactionStruct() {
    }

    /** {@code sigset_t} as glibc defines it: 1024 bits in 16 unsigned longs. */
    public static final SequenceLayout SIGSET_LAYOUT = MemoryLayout.sequenceLayout(16, JAVA_LONG);

    /** The whole struct. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("sa_handler"),
            SIGSET_LAYOUT.withName("sa_mask"),
            JAVA_INT.withName("sa_flags"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("sa_restorer")).withName("sigaction");

    public static final long HANDLER_OFFSET = LAYOUT.byteOffset(groupElement("sa_handler"));
    public static final long MASK_OFFSET = LAYOUT.byteOffset(groupElement("sa_mask"));
    public static final long FLAGS_OFFSET = LAYOUT.byteOffset(groupElement("sa_flags"));
    public static final long RESTORER_OFFSET = LAYOUT.byteOffset(groupElement("sa_restorer"));
    public static final long SIZE = LAYOUT.byteSize();

    /** A zeroed struct (handler SIG_DFL, empty mask, no flags) owned by {@code arena}. */
    public static MemorySegment allocate(Arena arena) {
        return arena.allocate(LAYOUT);
    }

    /** The handler: {@code SIG_DFL} (0), {@code SIG_IGN} (1) or the address of the handler's code. */
    public static long handler(MemorySegment action) {
        return action.get(JAVA_LONG, HANDLER_OFFSET);
    }

    public static void setHandler(MemorySegment action, long handlerAddress) {
        action.set(JAVA_LONG, HANDLER_OFFSET, handlerAddress);
    }

    public static int flags(MemorySegment action) {
        return action.get(JAVA_INT, FLAGS_OFFSET);
    }

    public static void setFlags(MemorySegment action, int flags) {
        action.set(JAVA_INT, FLAGS_OFFSET, flags);
    }

    public static long restorer(MemorySegment action) {
        return action.get(JAVA_LONG, RESTORER_OFFSET);
    }

    public static void setRestorer(MemorySegment action, long restorerAddress) {
        action.set(JAVA_LONG, RESTORER_OFFSET, restorerAddress);
    }

    /** The {@code sa_mask} field as a 128-byte slice of {@code action}. */
    public static MemorySegment mask(MemorySegment action) {
        return action.asSlice(MASK_OFFSET, SIGSET_LAYOUT.byteSize());
    }

    /** Whether {@code signo} is blocked while the handler runs (a {@code sigismember} on {@code sa_mask}). */
    public static boolean isMasked(MemorySegment action, int signo) {
        long word = mask(action).getAtIndex(JAVA_LONG, maskWord(signo));
        return (word & maskBit(signo)) != 0;
    }

    /** Adds {@code signo} to {@code sa_mask} (a {@code sigaddset}). */
    public static void addToMask(MemorySegment action, int signo) {
        MemorySegment mask = mask(action);
        long index = maskWord(signo);
        mask.setAtIndex(JAVA_LONG, index, mask.getAtIndex(JAVA_LONG, index) | maskBit(signo));
    }

    /** Copies {@code sa_mask} of {@code from} into {@code to}. */
    public static void copyMask(MemorySegment from, MemorySegment to) {
        mask(to).copyFrom(mask(from));
    }

    private static long maskWord(int signo) {
        checkSignal(signo);
        return (signo - 1) / 64;
    }

    private static long maskBit(int signo) {
        return 1L << ((signo - 1) % 64);
    }

    private static void checkSignal(int signo) {
        if (signo < 1 || signo > 64) {
            throw new IllegalArgumentException("not a signal number: " + signo);
        }
    }
}
