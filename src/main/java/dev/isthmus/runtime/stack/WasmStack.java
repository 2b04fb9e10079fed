package dev.isthmus.runtime.stack;

import static dev.isthmus.os.LinuxConstants.MAP_ANONYMOUS;
import static dev.isthmus.os.LinuxConstants.MAP_NORESERVE;
import static dev.isthmus.os.LinuxConstants.MAP_PRIVATE;
import static dev.isthmus.os.LinuxConstants.MAP_STACK;
import static dev.isthmus.os.LinuxConstants.PROT_NONE;
import static dev.isthmus.os.LinuxConstants.PROT_READ;
import static dev.isthmus.os.LinuxConstants.PROT_WRITE;
import static dev.isthmus.runtime.abi.StackGeometry.ALIGNMENT;
import static dev.isthmus.runtime.abi.StackGeometry.GUARD;
import static dev.isthmus.runtime.abi.StackGeometry.HEADER;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.os.MemoryMapping;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.abi.TrapCode;
import java.lang.foreign.MemorySegment;

/**
 * A machine stack for wasm code, shaped as {@link StackGeometry} prescribes: a region aligned to
 * {@link StackGeometry#ALIGNMENT} whose low end holds a header page and a {@code PROT_NONE} guard, registered in
 * {@link FaultTables#faultRegions()} as "call stack exhausted", so that running into it is a trap.
 *
 * <pre>
 *   base + ALIGNMENT ┌──────────────────────────┐  not mapped (given back right after the aligned mmap)
 *   top()            ├──────────────────────────┤  initial RSP
 *                    │ usable stack, grows down │  StackGeometry.SIZE bytes  ┐ READ|WRITE, MAP_NORESERVE:
 *   limit()          ├──────────────────────────┤  base + WINDOW             │ committed on first touch
 *                    │ reserve                  │  StackGeometry.RESERVE     ┘
 *   guardEnd()       ├──────────────────────────┤
 *                    │ guard, PROT_NONE         │  StackGeometry.GUARD: a push/call/store here faults → trap
 *   base() + HEADER  ├──────────────────────────┤
 *                    │ header, READ|WRITE       │  CONTEXT_SLOT = the owning thread's context address
 *   base()           └──────────────────────────┘  a multiple of ALIGNMENT
 * </pre>
 *
 * <p>How the aligned region is obtained: {@code mmap} 2 × ALIGNMENT bytes with no access, pick the first multiple
 * of ALIGNMENT inside, and unmap everything outside {@code [base, top)}. Only {@code [base, top)} stays mapped, so
 * another stack may later be placed in the unused tail; that cannot confuse the one-instruction limit test,
 * because each stack's own region starts at its own multiple of ALIGNMENT and RSP never leaves {@code [base, top)}.
 *
 * <p>The geometry is fixed for the process (machine code embeds {@link StackGeometry#WINDOW_MASK}); only the usable
 * size can be chosen, once, with {@code -Disthmus.wasmStack.size}. Signal frames do not go on this stack: the shim
 * runs on the thread's alternate signal stack ({@link AltSignalStack}).
 */
public final class WasmStack implements AutoCloseable {
    private final long base;
    private final Registration guardRegistration;
    private boolean closed;

    private WasmStack(long base, Registration guardRegistration) {
        this.base = base;
        this.guardRegistration = guardRegistration;
    }

    /** Maps a stack of {@link StackGeometry#SIZE} usable bytes; its context slot holds 0 until set. */
    public static WasmStack allocate() {
        long mapped = MemoryMapping.mmap(0, 2 * ALIGNMENT, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        long base = (mapped + ALIGNMENT - 1) & -ALIGNMENT;
        long top = StackGeometry.topOf(base);
        try {
            if (base > mapped) MemoryMapping.munmap(mapped, base - mapped);
            MemoryMapping.munmap(top, mapped + 2 * ALIGNMENT - top);
        } catch (RuntimeException e) {
            MemoryMapping.munmap(mapped, 2 * ALIGNMENT);     // unmapping unmapped pages is not an error
            throw e;
        }
        try {
            MemoryMapping.mprotect(base, HEADER, PROT_READ | PROT_WRITE);
            long reserve = base + HEADER + GUARD;
            MemoryMapping.mprotect(reserve, top - reserve, PROT_READ | PROT_WRITE);
            Registration registration = FaultTables.registerFaultRegion(base + HEADER, reserve,
                    TrapCode.CALL_STACK_EXHAUSTED);
            return new WasmStack(base, registration);
        } catch (RuntimeException e) {
            MemoryMapping.munmap(base, top - base);
            throw e;
        }
    }

    /** The lowest address of the region (a multiple of {@link StackGeometry#ALIGNMENT}; the header page). */
    public long base() {
        return base;
    }

    /** The first address of the guard. */
    public long guardStart() {
        return base + HEADER;
    }

    /** The first address above the guard: the lowest accessible stack address. */
    public long guardEnd() {
        return base + HEADER + GUARD;
    }

    /** The explicit-check limit: base + WINDOW (RSP below it is "exhausted"). */
    public long limit() {
        return StackGeometry.limitOf(base);
    }

    /** The first address above the stack: the initial RSP (page aligned). */
    public long top() {
        return StackGeometry.topOf(base);
    }

    /** Usable bytes between the limit and the top. */
    public long size() {
        return StackGeometry.SIZE;
    }

    /** Whether {@code address} is in the guard. */
    public boolean isGuard(long address) {
        return address >= guardStart() && address < guardEnd();
    }

    /** Stores the owning thread's context address in the header's {@link StackGeometry#CONTEXT_SLOT}. */
    void setContext(long contextAddress) {
        MemorySegment.ofAddress(base).reinterpret(HEADER).set(JAVA_LONG, StackGeometry.CONTEXT_SLOT, contextAddress);
    }

    /** The context address in the header. */
    long context() {
        return MemorySegment.ofAddress(base).reinterpret(HEADER).get(JAVA_LONG, StackGeometry.CONTEXT_SLOT);
    }

    /** Deregisters the guard and unmaps the stack. Only when no thread runs on it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        guardRegistration.close();
        MemoryMapping.munmap(base, top() - base);
    }

    @Override
    public String toString() {
        return "WasmStack[base 0x" + Long.toHexString(base) + ", limit 0x" + Long.toHexString(limit()) + ", top 0x"
                + Long.toHexString(top()) + "]";
    }
}
