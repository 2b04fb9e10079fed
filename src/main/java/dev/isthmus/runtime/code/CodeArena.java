package dev.isthmus.runtime.code;

import static dev.isthmus.os.LinuxConstants.PROT_EXEC;
import static dev.isthmus.os.LinuxConstants.PROT_NONE;
import static dev.isthmus.os.LinuxConstants.PROT_READ;
import static dev.isthmus.os.LinuxConstants.PROT_WRITE;

import dev.isthmus.os.MemoryMapping;
import dev.isthmus.os.SystemInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reserved range of addresses that code is placed into piece by piece, each piece on pages of its own, kept
 * W^X: the pages of a piece are made writable (never executable) while it is copied in, then read+execute (never
 * writable again). The whole range is registered once in {@link CodeRegistry#global()}, with one owner, however
 * many pieces it gets: what code compiled after instantiation needs (one mapping and one registration per piece
 * made thousands of each for a large program).
 *
 * <pre>
 *   reserve(n): mmap PROT_NONE ── place(code): mprotect RW, copy, mprotect R|X ──▶ ... ── close(): munmap
 *   [ piece | piece |  piece   | piece |            not yet used (PROT_NONE)             ]
 *            ^ each piece starts on a page boundary
 * </pre>
 */
public final class CodeArena implements AutoCloseable {
    private final long address;
    private final long size;
    private final CodeRange range;
    /** Bytes from the start already given to pieces (page multiple). Guarded by this. */
    private long used;
    private boolean closed;

    private CodeArena(long address, long size, Object owner) {
        this.address = address;
        this.size = size;
        this.range = CodeRegistry.global().register(address, address + size, owner);
    }

    /** Reserves {@code bytes} (rounded up to pages) of addresses, inaccessible until pieces are placed. */
    public static CodeArena reserve(long bytes, Object owner) {
        long size = SystemInfo.roundUpToPages(bytes);
        long address = MemoryMapping.mapAnonymous(size, PROT_NONE);
        try {
            return new CodeArena(address, size, owner);
        } catch (RuntimeException | Error e) {
            MemoryMapping.munmap(address, size);
            throw e;
        }
    }

    /** Whether a piece of {@code length} bytes still fits. */
    public synchronized boolean fits(int length) {
        return !closed && used + SystemInfo.roundUpToPages(Math.max(length, 1)) <= size;
    }

    /**
     * Places {@code code} on fresh pages and makes them executable.
     *
     * @return the piece's address
     * @throws IllegalStateException when it does not {@link #fits fit} or the arena is closed
     */
    @SuppressWarnings("restricted")
    public synchronized long place(byte[] code) {
        if (!fits(code.length)) throw new IllegalStateException("the code arena is full or closed");
        long pages = SystemInfo.roundUpToPages(Math.max(code.length, 1));
        long at = address + used;
        MemoryMapping.mprotect(at, pages, PROT_READ | PROT_WRITE);
        MemorySegment.copy(code, 0, MemorySegment.ofAddress(at).reinterpret(pages), ValueLayout.JAVA_BYTE, 0,
                code.length);
        MemoryMapping.mprotect(at, pages, PROT_READ | PROT_EXEC);
        used += pages;
        return at;
    }

    public long address() {
        return address;
    }

    public long size() {
        return size;
    }

    /** Bytes given to pieces so far. */
    public synchronized long used() {
        return used;
    }

    /** Unmaps the whole range and deregisters it. Idempotent; only when no code in it can run any more. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        CodeRegistry.global().deregister(range);
        MemoryMapping.munmap(address, size);
    }
}
