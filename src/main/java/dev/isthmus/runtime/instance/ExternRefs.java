package dev.isthmus.runtime.instance;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maps Java objects used as externref values to the 8-byte handles wasm code stores (0 = null), process-wide.
 * Equal objects get the same handle. Handles are never reused and their objects stay reachable for the life of
 * the process (a known limitation: long-running embedders passing many distinct objects accumulate them).
 */
public final class ExternRefs {
    private ExternRefs() {
    }

    private static final ConcurrentHashMap<Object, Long> HANDLES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, Object> OBJECTS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(1);

    /** The handle of {@code value} (0 for null). */
    public static long handle(Object value) {
        if (value == null) return 0;
        return HANDLES.computeIfAbsent(value, v -> {
            long h = NEXT.getAndIncrement();
            OBJECTS.put(h, v);
            return h;
        });
    }

    /** The object of {@code handle} (null for 0). */
    public static Object object(long handle) {
        if (handle == 0) return null;
        Object value = OBJECTS.get(handle);
        if (value == null) throw new IllegalStateException("unknown externref handle " + handle);
        return value;
    }
}
