package dev.isthmus.runtime.instance;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 8-byte handles that wasm code holds as {@code exnref} values (0 = null), process-wide, like {@link ExternRefs}.
 * A handle is made only when an exception reference comes into existence — {@code catch_ref}/{@code catch_all_ref}
 * of a thrown exception, or an exception passed in from Java — never for a plain {@code catch} or for an exception
 * that leaves to Java, so a loop throwing and catching without {@code _ref} allocates none. An exception has one
 * handle for its life (rethrowing it keeps it); handles are not reclaimed (wasm code may keep them in globals or
 * tables, which Java's collector cannot see): a known limitation shared with externref.
 */
public final class ExnRefs {
    private ExnRefs() {
    }

    private static final ConcurrentHashMap<Long, ExceptionObject> OBJECTS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<ExceptionObject, Long> HANDLES = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(1);

    /** The handle of {@code exception} (0 for null). */
    public static long handle(ExceptionObject exception) {
        if (exception == null) return 0;
        return HANDLES.computeIfAbsent(exception, e -> {
            long h = NEXT.getAndIncrement();
            OBJECTS.put(h, e);
            return h;
        });
    }

    /** The exception of {@code handle} (null for 0). */
    public static ExceptionObject object(long handle) {
        if (handle == 0) return null;
        ExceptionObject e = OBJECTS.get(handle);
        if (e == null) throw new IllegalStateException("unknown exnref handle " + handle);
        return e;
    }

    /** How many handles exist (for tests: a catch without _ref makes none). */
    public static int count() {
        return OBJECTS.size();
    }
}
