package dev.isthmus.runtime.instance;

import dev.isthmus.os.MemoryBarriers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Which instances calls from Java are running in, without an atomic instruction on the call path: every thread's
 * {@link FunctionCaller.CallState} lists the ids of the instances it has entered, and an instance is closed by a
 * handshake whose expensive side is the closer's:
 *
 * <pre>
 *   call (any thread)                           close (one thread)
 *   ─────────────────                           ──────────────────
 *   active[depth++] = id        (plain store)   *guard = 1                       (volatile store)
 *   enterGuarded: *guard != 0 → CLOSED         MemoryBarriers.processWide()    (a fence on every running thread)
 *   ... the call runs ...                       scan every thread's active[] for id
 *   active[--depth] = 0         (plain store)       found → wait (or let the drain thread wait) until it is gone
 *                                                   gone  → free the native state (NativeLifetime.close)
 * </pre>
 * Either the scan sees the caller's entry (and waits for it to leave), or the caller's read of the guard comes after
 * the barrier and sees the guard set (and runs nothing): a call never runs in freed memory. Where the kernel has no
 * process-wide barrier, the entry trampoline fences instead ({@code mfence} before its read of the guard).
 *
 * <p>The drain thread ({@code isthmus-call-drain}, a daemon that runs only while there is work) finishes what must
 * wait for calls of an instance to leave without blocking the thread that asked: a close from inside a call
 * (a host function closing an instance below it on its own stack) and re-arming an interrupted instance's poll page.
 */
final class ActiveCalls {
    private ActiveCalls() {
    }

    private static final Set<FunctionCaller.CallState> STATES = ConcurrentHashMap.newKeySet();
    private static final VarHandle ACTIVE;
    private static final VarHandle DEPTH;
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long DRAIN_PERIOD_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(FunctionCaller.CallState.class,
                    MethodHandles.lookup());
            ACTIVE = lookup.findVarHandle(FunctionCaller.CallState.class, "active", long[].class);
            DEPTH = lookup.findVarHandle(FunctionCaller.CallState.class, "depth", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Work waiting for calls to leave: each task returns true when done. */
    private static final List<BooleanSupplier> PENDING = new ArrayList<>();
    private static boolean draining;

    static void register(FunctionCaller.CallState state) {
        STATES.add(state);
    }

    /** Every thread's call state; states of threads that ended and hold nothing are dropped. */
    static Iterable<FunctionCaller.CallState> states() {
        return STATES;
    }

    static long[] activeOf(FunctionCaller.CallState state) {
        return (long[]) ACTIVE.getAcquire(state);
    }

    static int depthOf(FunctionCaller.CallState state) {
        return (int) DEPTH.getAcquire(state);
    }

    static long entry(long[] entries, int index) {
        return (long) ENTRY.getAcquire(entries, index);
    }

    /**
     * Whether a call into instance {@code id} is in progress on any thread (after a {@link MemoryBarriers#processWide}
     * that followed the guard's store, exactly; otherwise a snapshot that may miss calls just starting).
     *
     * @param exceptCurrentThread whether to ignore the calling thread's own calls
     */
    static boolean inFlight(long id, boolean exceptCurrentThread) {
        Thread current = Thread.currentThread();
        for (Iterator<FunctionCaller.CallState> it = STATES.iterator(); it.hasNext(); ) {
            FunctionCaller.CallState state = it.next();
            if (exceptCurrentThread && state.thread == current) continue;
            if (state.holds(id)) return true;
            if (depthOf(state) == 0 && !state.thread.isAlive()) it.remove();
        }
        return false;
    }

    /**
     * Sets {@code instance}'s guard (later calls are refused before they run) and frees its native state once no
     * call is in it any more: at once when none is; else, when {@code wait} and the current thread is not inside a
     * call into wasm, after waiting here for the calls of other threads; else on the drain thread. Idempotent; a
     * repeated close with {@code wait} waits like the first.
     */
    static void close(RuntimeInstance instance, boolean wait) {
        if (!instance.setGuard() && !wait) return;
        MemoryBarriers.processWide();
        if (!inFlight(instance.id, false)) {
            instance.lifetime().close();
        } else if (wait && !FunctionCaller.insideCall()) {
            awaitNoCalls(instance.id);
            instance.lifetime().close();
        } else {
            whenNoCalls(instance.id, () -> instance.lifetime().close());
        }
    }

    /** Waits until no thread is in a call into instance {@code id}: spins briefly, then parks up to 1 ms at a time. */
    static void awaitNoCalls(long id) {
        long pause = 0;
        while (inFlight(id, false)) {
            if (pause < 100) {
                pause++;
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(1), 1_000L << Math.min(pause++ - 100, 10)));
            }
        }
    }

    /** Runs {@code action} on the drain thread once no thread is in a call into instance {@code id}. */
    static void whenNoCalls(long id, Runnable action) {
        submit(() -> {
            if (inFlight(id, false)) return false;
            action.run();
            return true;
        });
    }

    private static void submit(BooleanSupplier task) {
        synchronized (PENDING) {
            PENDING.add(task);
            if (draining) return;
            draining = true;
        }
        Thread thread = new Thread(ActiveCalls::drain, "isthmus-call-drain");
        thread.setDaemon(true);
        thread.start();
    }

    private static void drain() {
        while (true) {
            List<BooleanSupplier> tasks;
            synchronized (PENDING) {
                if (PENDING.isEmpty()) {
                    draining = false;
                    return;
                }
                tasks = new ArrayList<>(PENDING);
            }
            List<BooleanSupplier> done = new ArrayList<>();
            for (BooleanSupplier task : tasks) {
                try {
                    if (task.getAsBoolean()) done.add(task);
                } catch (RuntimeException | Error e) {
                    done.add(task);                          // a failed free or mprotect: nothing to retry
                }
            }
            synchronized (PENDING) {
                PENDING.removeAll(done);
            }
            LockSupport.parkNanos(DRAIN_PERIOD_NANOS);
        }
    }
}
