package dev.isthmus.runtime.instance;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The lifetime of a piece of native state (an instance's context, memories, tables and globals; a module's machine
 * code) shared by its owner, the calls running in it and other native owners depending on it: use counts in one
 * atomic word; the state is freed exactly once, when the owner has closed it and no use is left.
 *
 * <pre>
 *   state (64 bits):  bit 63 FREED | bit 62 CLOSED | bits 31..61 dependants | bits 0..30 owner + calls
 *
 *   acquire()            calls++ ; CLOSED was set → calls-- (freeing if it was the last) and IllegalStateException
 *   release()            calls-- ; the word is now exactly CLOSED → CAS to CLOSED|FREED; the winner frees
 *   acquireDependant()   dependants++ (instances importing from this one, instances of this code); fails like acquire
 *   releaseDependant()   dependants-- ; frees like release
 *   close()              sets CLOSED once, then gives back the owner's use (a release)
 * </pre>
 * A call costs one atomic add to acquire and one to release; nothing else is on that path. The word never returns
 * to "open", so an acquire after the free fails and the state is never touched again. Calls and dependants share
 * the word so that {@link #awaitCalls()} sees both consistently.
 */
public final class NativeLifetime {
    private static final long CALL = 1;
    private static final long CALLS = (1L << 31) - 1;
    private static final long DEPENDANT = 1L << 31;
    private static final long CLOSED = 1L << 62;
    private static final long FREED = 1L << 63;

    private final String what;
    private final Runnable free;
    private final AtomicLong state = new AtomicLong(CALL);
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
     * Takes one use for a call; the state stays allocated until the matching {@link #release()}.
     *
     * @throws IllegalStateException once {@link #close()} was called
     */
    public void acquire() {
        if ((state.getAndAdd(CALL) & CLOSED) != 0) {
            release();
            throw new IllegalStateException(what + " is closed");
        }
    }

    /** Gives back a use taken by {@link #acquire()}; frees the state if it was the last one after a close. */
    public void release() {
        if (state.addAndGet(-CALL) == CLOSED) freeOnce();
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
        release();
        return true;
    }

    /** Whether {@link #close()} was called (one volatile read). */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Calls in flight (the owner's use not counted), from one read of the word. */
    public long callsInFlight() {
        long s = state.get();
        return (s & CALLS) - ((s & CLOSED) != 0 ? 0 : 1);
    }

    /**
     * After {@link #close()}: waits until no call is in flight any more and, if no dependant is left either, until
     * the state has been freed. Spins briefly, then parks for growing intervals (at most 1 ms); calls do not signal.
     */
    public void awaitCalls() {
        long pause = 0;
        while (true) {
            long s = state.get();
            if ((s & CALLS) == 0 && ((s & ~(CLOSED | FREED)) != 0 || freeDone)) return;
            if (pause < 100) {
                pause++;
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(1), 1_000L << Math.min(pause++ - 100, 10)));
            }
        }
    }
}
