package dev.isthmus.runtime.memory;

import dev.isthmus.options.BoundsChecks;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.model.Limits;
import dev.isthmus.model.MemoryType;
import dev.isthmus.os.LinuxConstants;
import dev.isthmus.os.MemoryMapping;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.runtime.abi.Memory64Guard;
import dev.isthmus.runtime.abi.TrapCode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One wasm linear memory: a fixed reservation of address space of which only the current pages are readable and
 * writable. The base address never moves, so compiled code may keep it; growing only changes page protections.
 *
 * <pre>
 *   base                      base + size                         base + reservation
 *   ├── read-write pages ──────┼──── PROT_NONE (grows into it) ─────┤
 *   └───────────── registered as fault region "out of bounds memory access" ──┘
 *
 *   GUARD_PAGES:      reservation = 8 GiB + 2 MiB, so any i32 index + u32 offset + access size lands inside it
 *                     and compiled code needs no bounds checks.
 *   EXPLICIT:        reservation = the maximum size (at most 4 GiB); compiled code compares with memorySize.
 *   memory64:        reservation = min(declared maximum, MEMORY64_MAX_PAGES = 16 GiB) + 2 GiB guard
 *                    (Memory64Guard); compiled code checks index <= size and lets the guard catch the offset;
 *                    a grow beyond the maximum reserved returns -1.
 * </pre>
 *
 * The current size in bytes is mirrored into every instance context that uses this memory
 * ({@link #mirrorSizeInto}), since compiled code reads {@code vmctx.memorySize}. Reserved with
 * {@code MAP_NORESERVE}; {@link #close()} unmaps everything, so instantiate/close cycles do not accumulate
 * mappings or resident memory. When mmap or mprotect fails with ENOMEM (instances nobody closed still hold
 * reservations), {@link AddressSpace} collects garbage so their Cleaners unmap them, and retries.
 */
public final class LinearMemory implements AutoCloseable {
    /** Bytes per wasm page. */
    public static final long PAGE = MemoryType.PAGE_SIZE;
    /** Reservation in guard-page mode: every i32 + u32 offset + 16-byte access stays inside. */
    public static final long GUARD_RESERVATION = (8L << 30) + (2L << 20);
    /**
     * The engine's limit on a memory64 memory, in pages (2^18 pages = 16 GiB): its reservation is the declared
     * maximum or this, whichever is smaller, so that the base never moves; {@code memory.grow} beyond it returns -1
     * (the spec lets a grow fail for lack of resources). A declared minimum above it fails instantiation.
     */
    public static final long MEMORY64_MAX_PAGES = 1L << 18;

    private final BoundsChecks mode;
    private final boolean address64;
    private final GrowLimits limits;
    private final long maxPages;
    private final boolean declaredMax;
    /** The maximum the type declares (unsigned), or {@link Limits#NO_MAX}: what {@link #currentType()} reports. */
    private final long declaredMaxPages;
    private final long reservation;
    private final long base;
    private final Registration faultRegion;
    private final Arena arena = Arena.ofShared();
    private final List<Long> sizeMirrors = new ArrayList<>();
    private volatile long pages;
    private boolean closed;

    private LinearMemory(BoundsChecks mode, boolean address64, long initialPages, long maxPages,
                         long declaredMaxPages, GrowLimits limits) {
        this.mode = mode;
        this.address64 = address64;
        this.limits = limits;
        this.maxPages = maxPages;
        this.declaredMax = declaredMaxPages != Limits.NO_MAX;
        this.declaredMaxPages = declaredMaxPages;
        this.reservation = address64 ? maxPages * PAGE + Memory64Guard.GUARD_BYTES
                : mode == BoundsChecks.GUARD_PAGES ? GUARD_RESERVATION : Math.max(maxPages * PAGE, 4096);
        long size = reservation;
        this.base = AddressSpace.withRetry("reserve " + size + " bytes for a linear memory",
                () -> MemoryMapping.mmap(0, size, LinuxConstants.PROT_NONE,
                        LinuxConstants.MAP_PRIVATE | LinuxConstants.MAP_ANONYMOUS | LinuxConstants.MAP_NORESERVE, -1, 0));
        Registration registration = null;
        try {
            registration = FaultTables.registerFaultRegion(base, base + reservation,
                    TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS);
            if (initialPages > 0) {
                AddressSpace.withRetry("make " + initialPages + " pages of a linear memory accessible", () -> {
                    MemoryMapping.mprotect(base, initialPages * PAGE, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE);
                    return 0;
                });
            }
        } catch (RuntimeException | Error e) {
            if (registration != null) registration.close();
            MemoryMapping.munmap(base, reservation);
            arena.close();
            throw e;
        }
        this.faultRegion = registration;
        this.pages = initialPages;
    }

    /** A new memory of {@code type}, zero-filled, {@code type.limits().min()} pages. */
    public static LinearMemory create(MemoryType type, BoundsChecks mode) {
        return create(type, mode, GrowLimits.NONE);
    }

    /**
     * A new memory of {@code type} whose grows {@code growLimits} may refuse. The caller checks the initial size
     * against them ({@link GrowLimits#allowsMemory} from 0), to report which limit refused it.
     */
    public static LinearMemory create(MemoryType type, BoundsChecks mode, GrowLimits growLimits) {
        Limits limits = type.limits();
        if (type.address64()) {                  // memory64: explicit checks, reservation up to the engine's limit
            long max = limits.hasMax() ? Math.min(limits.max(), MEMORY64_MAX_PAGES) : MEMORY64_MAX_PAGES;
            if (Long.compareUnsigned(limits.min(), max) > 0) {
                throw new IllegalArgumentException("memory64 minimum of " + Long.toUnsignedString(limits.min())
                        + " pages exceeds the engine's limit of " + max + " pages");
            }
            return new LinearMemory(BoundsChecks.EXPLICIT, true, limits.min(), max, limits.max(), growLimits);
        }
        long max = limits.hasMax() ? Math.min(limits.max(), MemoryType.MAX_PAGES) : MemoryType.MAX_PAGES;
        if (limits.min() > max) throw new IllegalArgumentException("memory minimum " + limits.min() + " > maximum " + max);
        return new LinearMemory(mode, false, limits.min(), max, limits.max(), growLimits);
    }

    /** The base address (constant for the memory's lifetime). */
    public long base() {
        return base;
    }

    /** Current size in pages. */
    public long pages() {
        return pages;
    }

    /** Current size in bytes. */
    public long byteSize() {
        return pages * PAGE;
    }

    /** True for a memory64 memory (i64 addresses; always explicitly bounds-checked). */
    public boolean address64() {
        return address64;
    }

    /**
     * The maximum in pages: the declared one, at most 65536 for a 32-bit memory and {@link #MEMORY64_MAX_PAGES}
     * for a memory64 one (the engine's limit), which is also the maximum when the type declares none.
     */
    public long maxPages() {
        return maxPages;
    }

    /** The memory's type as it is now: current size as minimum, the declared maximum if any. */
    public MemoryType currentType() {
        return new MemoryType(new Limits(pages, declaredMax ? declaredMaxPages : Limits.NO_MAX, address64));
    }

    public BoundsChecks mode() {
        return mode;
    }

    /**
     * A view of the current bytes. It stays valid after a grow (covering the old size) and becomes unusable
     * (IllegalStateException, never a crash) once the memory is closed.
     */
    public MemorySegment segment() {
        return MemorySegment.ofAddress(base).reinterpret(byteSize(), arena, null);
    }

    /**
     * Grows by {@code deltaPages}; returns the old size in pages, or -1 when the maximum would be exceeded or the
     * memory's {@link GrowLimits} refuse (memory.grow semantics; nothing changes then).
     *
     * @throws GrowLimits.Refusal when the limits' callback threw (nothing changes)
     */
    public synchronized long grow(long deltaPages) {
        long old = pages;
        if (closed || deltaPages < 0 || deltaPages > maxPages - old) return -1;
        if (deltaPages > 0 && !limits.allowsMemory(old * PAGE, (old + deltaPages) * PAGE,
                declaredMax ? maxPages * PAGE : -1)) {
            return -1;
        }
        if (deltaPages > 0) {
            try {
                AddressSpace.withRetry("grow a linear memory by " + deltaPages + " pages", () -> {
                    MemoryMapping.mprotect(base + old * PAGE, deltaPages * PAGE,
                            LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE);
                    return 0;
                });
            } catch (OutOfMemoryError exhausted) {
                return -1;                                       // memory.grow may fail for lack of resources
            }
            pages = old + deltaPages;
            for (long field : sizeMirrors) {
                MemorySegment.ofAddress(field).reinterpret(8).set(JAVA_LONG, 0, pages * PAGE);
            }
        }
        return old;
    }

    /**
     * Writes the current byte size to the 8-byte field at {@code fieldAddress} now and after every grow, until
     * {@link #stopMirroring}.
     */
    public synchronized void mirrorSizeInto(long fieldAddress) {
        MemorySegment.ofAddress(fieldAddress).reinterpret(8).set(JAVA_LONG, 0, pages * PAGE);
        sizeMirrors.add(fieldAddress);
    }

    /** Stops updating {@code fieldAddress} (its context is about to be freed). */
    public synchronized void stopMirroring(long fieldAddress) {
        sizeMirrors.remove(fieldAddress);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Unregisters the fault region and unmaps the reservation. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        sizeMirrors.clear();
        arena.close();
        faultRegion.close();
        MemoryMapping.munmap(base, reservation);
    }
}
