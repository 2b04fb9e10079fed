package dev.isthmus.runtime.instance;

import java.util.concurrent.locks.LockSupport;

/**
 * The daemon thread that turns {@link Thread#interrupt()} of a thread running wasm, and call timeouts, into
 * {@link RuntimeInstance#interrupt()}: it runs only while calls from Java are in flight, looks at every thread's
 * {@link FunctionCaller.CallState} every {@link #PERIOD_NANOS} and interrupts the instance of a call whose thread
 * is interrupted (when the instance allows it) or whose deadline has passed.
 *
 * <pre>
 *   call from Java: state.active[depth++] = X.id (plain write); watchdog not running? start it (rare)
 *   watchdog, every 2 ms:  for each thread's state whose innermost call is into X:
 *                              thread.isInterrupted() && X.threadInterrupts  ─┐
 *                              deadline ≠ 0 && now − deadline ≥ 0           ─┴▶ X.interrupt()
 *                          no call seen for IDLE_NANOS → the thread ends (started again by the next call)
 * </pre>
 * The call path costs the writes {@link ActiveCalls} needs anyway and one volatile read of {@link #running()}.
 */
final class CallWatchdog {
    private CallWatchdog() {
    }

    static final long PERIOD_NANOS = 2_000_000;
    private static final long IDLE_NANOS = 500_000_000;

    private static volatile boolean running;

    static boolean running() {
        return running;
    }

    /** Starts the watchdog thread unless one runs. */
    static synchronized void start() {
        if (running) return;
        running = true;
        Thread thread = new Thread(CallWatchdog::loop, "isthmus-call-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private static void loop() {
        long idleSince = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(PERIOD_NANOS);
            long now = System.nanoTime();
            if (scan(now)) {
                idleSince = now;
            } else if (now - idleSince > IDLE_NANOS) {
                synchronized (CallWatchdog.class) {
                    running = false;
                }
                // A call may have started while we decided (it read running == true): look once more after its
                // plain writes have certainly become visible, and keep running if so.
                LockSupport.parkNanos(PERIOD_NANOS);
                if (!scan(System.nanoTime())) return;
                synchronized (CallWatchdog.class) {
                    if (running) return;                      // a caller started another watchdog meanwhile
                    running = true;
                }
                idleSince = System.nanoTime();
            }
        }
    }

    /** Interrupts what must be interrupted; returns whether any call was in flight. */
    private static boolean scan(long now) {
        boolean active = false;
        for (FunctionCaller.CallState state : ActiveCalls.states()) {
            long id = state.innermost();
            if (id == 0) continue;
            active = true;
            RuntimeInstance instance = RuntimeInstance.byId(id);
            if (instance == null) continue;
            long deadline = state.deadline;
            boolean late = deadline != 0 && now - deadline >= 0;
            if (late || (instance.threadInterrupts && state.thread.isInterrupted())) {
                try {
                    instance.interrupt();
                } catch (RuntimeException e) {
                    // freed meanwhile (interrupt() checks under its lock) or mprotect failed: nothing to interrupt
                }
            }
        }
        return active;
    }
}
