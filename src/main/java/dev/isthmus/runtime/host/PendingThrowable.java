package dev.isthmus.runtime.host;

/**
 * The throwable a host function (or runtime builtin) raised while wasm code was on the stack, parked per thread
 * while the wasm frames unwind as a trap. The code that entered wasm takes it back with {@link #take()} and
 * rethrows it instead of the trap.
 */
public final class PendingThrowable {
    private PendingThrowable() {
    }

    private static final ThreadLocal<Throwable> PENDING = new ThreadLocal<>();

    /** Parks {@code t} for the current thread (a newer one replaces an older one that was never taken). */
    public static void park(Throwable t) {
        PENDING.set(t);
    }

    /** The parked throwable of this thread, cleared; or null. */
    public static Throwable take() {
        Throwable t = PENDING.get();
        if (t != null) PENDING.remove();
        return t;
    }

    /** Throws {@code t} whatever its type (checked ones included) without wrapping it. */
    @SuppressWarnings("unchecked")
    public static <T extends Throwable> RuntimeException sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
