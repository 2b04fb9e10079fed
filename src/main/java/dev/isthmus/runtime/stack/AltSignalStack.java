package dev.isthmus.runtime.stack;

import static dev.isthmus.os.LinuxConstants.MAP_ANONYMOUS;
import static dev.isthmus.os.LinuxConstants.MAP_NORESERVE;
import static dev.isthmus.os.LinuxConstants.MAP_PRIVATE;
import static dev.isthmus.os.LinuxConstants.MAP_STACK;
import static dev.isthmus.os.LinuxConstants.PROT_NONE;
import static dev.isthmus.os.LinuxConstants.PROT_READ;
import static dev.isthmus.os.LinuxConstants.PROT_WRITE;

import dev.isthmus.os.MemoryMapping;
import dev.isthmus.os.SystemInfo;

/**
 * Memory for one OS thread's alternate signal stack ({@code sigaltstack(2)}): without it, a fault caused by running
 * out of a wasm stack cannot be delivered (the kernel has nowhere to push the signal frame) and the process dies
 * silently. A {@code PROT_NONE} page below it turns an overflow of the alternate stack itself into a fault instead
 * of silent corruption.
 *
 * <pre>
 *   base() + page + size  ┌─────────────────────────┐
 *                         │ signal stack            │  sp() .. sp()+size()
 *   sp()                  ├─────────────────────────┤
 *                         │ guard page, PROT_NONE   │
 *   base()                └─────────────────────────┘
 * </pre>
 *
 * <p>{@link #DEFAULT_SIZE} is 256 KiB: a signal frame needs {@code AT_MINSIGSTKSZ} (3376 bytes with AVX-512) and the
 * shim a few dozen bytes, but faults of Java code on the same thread (implicit null checks, safepoint polls) are
 * chained to HotSpot's handler, which then also runs here, and its error reporting needs tens of KiB. Pages are
 * committed on first touch, so the reserve costs address space, not memory.
 *
 * <p>This class only maps and unmaps; installing it for a thread is done by native code at attach time (see
 * {@link ThreadContexts}).
 */
public final class AltSignalStack implements AutoCloseable {
    /** Default size: 256 KiB. */
    public static final long DEFAULT_SIZE = 256L << 10;

    private final long base;
    private final long size;
    private boolean closed;

    private AltSignalStack(long base, long size) {
        this.base = base;
        this.size = size;
    }

    /** Maps an alternate stack of at least {@code size} bytes (and at least the kernel's minimum). */
    public static AltSignalStack allocate(long size) {
        long usable = SystemInfo.roundUpToPages(Math.max(size, 4 * SystemInfo.minimumSignalStackSize()));
        long page = SystemInfo.pageSize();
        long base = MemoryMapping.mmap(0, page + usable, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        try {
            MemoryMapping.mprotect(base, page, PROT_NONE);
        } catch (RuntimeException e) {
            MemoryMapping.munmap(base, page + usable);
            throw e;
        }
        return new AltSignalStack(base, usable);
    }

    /** The lowest address of the mapping (the guard page). */
    public long base() {
        return base;
    }

    /** {@code ss_sp}: the lowest usable address. */
    public long sp() {
        return base + SystemInfo.pageSize();
    }

    /** {@code ss_size}: usable bytes. */
    public long size() {
        return size;
    }

    /** Unmaps the memory. Only after the thread has disabled it (or ended). Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            MemoryMapping.munmap(base, SystemInfo.pageSize() + size);
        }
    }
}
