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
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.trap.TrapKind;

/**
 * A machine stack for wasm code: an anonymous mapping whose lowest pages are a {@code PROT_NONE} guard, registered
 * in {@link FaultTables#faultRegions()} as "call stack exhausted", so that running into it is a trap.
 *
 * <pre>
 *   top()    ┌──────────────────────────┐  high address (page aligned, so 16-byte aligned)
 *            │ usable stack, grows down │  size bytes, READ|WRITE, committed by the kernel on first touch
 *   limit()  ├──────────────────────────┤
 *            │ guard, PROT_NONE         │  guardSize bytes: a push/call/store here faults → trap
 *   base()   └──────────────────────────┘  low address
 * </pre>
 *
 * <p>Sizes: {@link #DEFAULT_SIZE} is 1 MiB, the default Java thread stack on x86-64 Linux and twice wasmtime's
 * default maximum wasm stack (512 KiB); deep-recursion spec tests fit, and untouched pages cost no memory
 * (MAP_NORESERVE, lazily committed). {@link #DEFAULT_GUARD} is 64 KiB: generated code may move RSP down by up to
 * {@link #maxUnprobedFrame()} without touching each page on the way (frames larger than that must probe page by
 * page, see the spec test {@code skip-stack-guard-page.wast}); the rest of the guard is a margin for the few bytes
 * a call or push writes below a frame. Signal frames do not go on this stack: the shim runs on the thread's
 * alternate signal stack ({@link AltSignalStack}).
 */
public final class WasmStack implements AutoCloseable {
    /** Default usable size: 1 MiB. */
    public static final long DEFAULT_SIZE = 1L << 20;
    /** Default guard size: 64 KiB. */
    public static final long DEFAULT_GUARD = 64L << 10;
    /** Bytes of the guard kept as a margin below the largest unprobed frame. */
    private static final long GUARD_MARGIN = 4L << 10;

    private final long base;
    private final long guardSize;
    private final long size;
    private final Registration guardRegistration;
    private boolean closed;

    private WasmStack(long base, long guardSize, long size, Registration guardRegistration) {
        this.base = base;
        this.guardSize = guardSize;
        this.size = size;
        this.guardRegistration = guardRegistration;
    }

    /** A stack of {@link #DEFAULT_SIZE} with a {@link #DEFAULT_GUARD} guard. */
    public static WasmStack allocate() {
        return allocate(DEFAULT_SIZE, DEFAULT_GUARD);
    }

    /**
     * Maps a stack; both sizes are rounded up to whole pages.
     *
     * @param size usable bytes
     * @param guardSize bytes of the guard below it (at least one page)
     */
    public static WasmStack allocate(long size, long guardSize) {
        if (size <= 0 || guardSize <= 0) {
            throw new IllegalArgumentException("stack and guard sizes must be positive: " + size + ", " + guardSize);
        }
        long usable = SystemInfo.roundUpToPages(size);
        long guard = SystemInfo.roundUpToPages(guardSize);
        long base = MemoryMapping.mmap(0, guard + usable, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        try {
            MemoryMapping.mprotect(base, guard, PROT_NONE);
            Registration registration = FaultTables.registerFaultRegion(base, base + guard,
                    TrapKind.CALL_STACK_EXHAUSTED);
            return new WasmStack(base, guard, usable, registration);
        } catch (RuntimeException e) {
            MemoryMapping.munmap(base, guard + usable);
            throw e;
        }
    }

    /** The lowest address of the mapping (the start of the guard). */
    public long base() {
        return base;
    }

    /** The lowest usable address (the end of the guard). */
    public long limit() {
        return base + guardSize;
    }

    /** The first address above the stack: the initial RSP (page aligned). */
    public long top() {
        return base + guardSize + size;
    }

    /** Usable bytes. */
    public long size() {
        return size;
    }

    /** Guard bytes. */
    public long guardSize() {
        return guardSize;
    }

    /** The largest RSP decrement generated code may make without probing each page: the guard minus 4 KiB. */
    public long maxUnprobedFrame() {
        return Math.max(0, guardSize - GUARD_MARGIN);
    }

    /** Whether {@code address} is in the guard. */
    public boolean isGuard(long address) {
        return address >= base && address < limit();
    }

    /** Deregisters the guard and unmaps the stack. Only when no thread runs on it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        guardRegistration.close();
        MemoryMapping.munmap(base, guardSize + size);
    }

    @Override
    public String toString() {
        return "WasmStack[guard 0x" + Long.toHexString(base) + ", limit 0x" + Long.toHexString(limit()) + ", top 0x"
                + Long.toHexString(top()) + "]";
    }
}
