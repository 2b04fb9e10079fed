package dev.isthmus.runtime.instance;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The lifetime of a piece of native state (an instance's context, memories, tables and globals; a module's machine
 * code) shared by its owner and other native owners depending on it: use counts in one atomic word; the state is
 * freed exactly once, when the owner has closed it and no use is left. (Calls from Java into an instance take no
 * use: {@link ActiveCalls} closes an instance only once no call is in it.)
 *
 * <pre>
 *   state (64 bits):  bit 63 FREED | bit 62 CLOSED | bits 31..61 dependants | bits 0..30 the owner's use
 *
 *   acquireDependant()   dependants++ (instances importing from this one, instances of this code); CLOSED was set →
 *                        dependants-- (freeing if it was the last) and IllegalStateException
 *   releaseDependant()   dependants-- ; the word is now exactly CLOSED → CAS to CLOSED|FREED; the winner frees
 *   close()              sets CLOSED once, then gives back the owner's use (freeing like releaseDependant)
 * </pre>
 * The word never returns to "open", so an acquire after the free fails and the state is never touched again.
 */
public final class NativeLifetime {
    private static final long OWNER = 1;
    private static final long OWNERS = (1L << 31) - 1;
    private static final long DEPENDANT = 1L << 31;
    private static final long CLOSED = 1L << 62;
    private static final long FREED = 1L << 63;

    private final String what;
    private final Runnable free;
    private final AtomicLong state = new AtomicLong(OWNER);
    /** Set when the free action has finished (FREED is set just before it starts). */
    private volatile boolean freeDone;

    /**
     * @param what what the state is, for the exception text ("instance" gives "instance is closed")
     * @param free frees the native state; runs once, on the thread that gives back the last use
     */
    public NativeLifetime(String what, Runnable free) {
        this.what = what;
        this.free = free;
    }

    /**
     * Takes one use for a native owner that depends on this state for as long as it lives.
     *
     * @throws IllegalStateException once {@link #close()} was called
     */
    public void acquireDependant() {
        if ((state.getAndAdd(DEPENDANT) & CLOSED) != 0) {
            releaseDependant();
            throw new IllegalStateException(what + " is closed");
        }
    }

    /** Gives back a use taken by {@link #acquireDependant()}. */
    public void releaseDependant() {
        if (state.addAndGet(-DEPENDANT) == CLOSED) freeOnce();
    }

    private void freeOnce() {
        if (!state.compareAndSet(CLOSED, CLOSED | FREED)) return;
        try {
            free.run();
        } finally {
            freeDone = true;
        }
    }

    /**
     * Marks the state closed (later acquires fail) and gives back the owner's use. Idempotent.
     *
     * @return whether this call closed it (false when it was closed already)
     */
    public boolean close() {
        long s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) return false;
        } while (!state.compareAndSet(s, s | CLOSED));
        if (state.addAndGet(-OWNER) == CLOSED) freeOnce();
        return true;
    }

    /** Whether {@link #close()} was called (one volatile read). */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * After {@link #close()}: if no dependant is left, waits until the state has been freed (by another thread that
     * gave back the last use). Spins briefly, then parks for growing intervals (at most 1 ms).
     */
    public void awaitFree() {
        long pause = 0;
        while (true) {
            long s = state.get();
            if ((s & OWNERS) == 0 && ((s & ~(CLOSED | FREED)) != 0 || freeDone)) return;
            if (pause < 100) {
                pause++;
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(1), 1_000L << Math.min(pause++ - 100, 10)));
            }
        }
    }
}
