package dev.isthmus.os;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Zeroed native allocations that live until freed explicitly ({@code calloc}/{@code free}): instance contexts,
 * table headers and element arrays, global cells and host records, whose addresses compiled code keeps.
 */
public final class NativeHeap {
    private NativeHeap() {
    }

    private static final MethodHandle CALLOC = NativeCall.handle(NativeCall.symbol("calloc"));
    private static final MethodHandle FREE = NativeCall.handle(NativeCall.symbol("free"));

    private static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();

    /** How many allocations are not freed yet (for leak tests). */
    public static long liveAllocations() {
        return LIVE.get();
    }

    /** {@code bytes} zeroed bytes, 16-byte aligned; never 0. */
    public static long allocate(long bytes) {
        try {
            long address = (long) CALLOC.invokeExact(1L, Math.max(bytes, 1L), 0L, 0L, 0L, 0L);
            if (address == 0) throw new OutOfMemoryError("calloc(" + bytes + ") failed");
            LIVE.incrementAndGet();
            return address;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Frees an address from {@link #allocate} (0 is ignored). */
    public static void free(long address) {
        if (address == 0) return;
        try {
            long ignored = (long) FREE.invokeExact(address, 0L, 0L, 0L, 0L, 0L);
            LIVE.decrementAndGet();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** An unbounded view of native memory at {@code address}, {@code bytes} long. */
    public static MemorySegment at(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    public static long getLong(long address) {
        return at(address, 8).get(JAVA_LONG, 0);
    }

    public static void putLong(long address, long value) {
        at(address, 8).set(JAVA_LONG, 0, value);
    }

    public static int getInt(long address) {
        return at(address, 4).get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
    }

    public static void putInt(long address, int value) {
        at(address, 4).set(java.lang.foreign.ValueLayout.JAVA_INT, 0, value);
    }
}
