package dev.isthmus.runtime.memory;

import dev.isthmus.os.Errno;
import dev.isthmus.os.OsException;
import java.util.function.LongSupplier;

/**
 * Reserving or re-protecting address space the way {@code java.nio}'s direct buffers reserve memory: when the kernel
 * says {@code ENOMEM} (the address space, or {@code vm.max_map_count} mappings, ran out), the likely cause is
 * unreachable instances not yet reclaimed, whose Cleaner would unmap their memories. So: run {@link System#gc()},
 * give the Cleaner time (sleeps of 1, 2, 4, ... ms, {@value #RETRIES} attempts, about half a second in all), retry,
 * and only then fail with an {@link OutOfMemoryError} that says what ran out.
 *
 * <pre>
 *   op() ──ok──▶ result
 *     └─ENOMEM──▶ System.gc(); sleep 2^k ms ──▶ op() ... (RETRIES times) ──▶ OutOfMemoryError(what, the last errno)
 * </pre>
 * Any other failure is thrown at once, unchanged.
 */
public final class AddressSpace {
    private AddressSpace() {
    }

    /** Attempts after the first failure. */
    static final int RETRIES = 9;

    /** Runs {@code op} (an mmap or mprotect through {@link dev.isthmus.os.MemoryMapping}), retrying on ENOMEM. */
    public static long withRetry(String what, LongSupplier op) {
        OsException last;
        try {
            return op.getAsLong();
        } catch (OsException e) {
            if (e.errno() != Errno.ENOMEM) throw e;
            last = e;
        }
        boolean interrupted = false;
        try {
            long sleep = 1;
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                System.gc();
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                sleep *= 2;
                try {
                    return op.getAsLong();
                } catch (OsException e) {
                    if (e.errno() != Errno.ENOMEM) throw e;
                    last = e;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        OutOfMemoryError error = new OutOfMemoryError("cannot " + what + ": the address space or the mapping "
                + "count (vm.max_map_count) is exhausted, also after " + RETRIES + " garbage collections ("
                + last.getMessage() + "); close instances that are no longer used");
        error.initCause(last);
        throw error;
    }
}
