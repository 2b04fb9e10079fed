package dev.isthmus.runtime.instance;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.runtime.abi.ValueBuffer;
import dev.isthmus.runtime.host.PendingThrowable;
import dev.isthmus.runtime.stack.EntryRecord;
import dev.isthmus.runtime.stack.ThreadContexts;
import dev.isthmus.runtime.stack.WasmCall;
import dev.isthmus.runtime.trap.TrapException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Calls a wasm function from Java with raw values: writes the arguments to the thread's value buffer, enters the
 * function's entry adapter through the guarded entry trampoline on the thread's wasm stack, and reads the results
 * back.
 *
 * <pre>
 *   Java: state.active[depth++] = instance.id      (a plain store: the instance is in use on this thread)
 *         WasmCall.enterGuarded(adapter, record, funcRef, guard, context, critical) ──▶ trampoline
 *                  [guard] != 0? → CLOSED, nothing read or run  ──▶ adapter ──▶ code (r15 = vmctx)
 *         (no context yet: attach, enter again; a trap: walk its frames)
 *         state.active[--depth] = 0
 * </pre>
 *
 * A call holds no lock and runs no atomic instruction: {@link ActiveCalls} tells whether an instance is in use by
 * reading every thread's {@link CallState#active} after a process-wide barrier. A trap surfaces as
 * {@link TrapException}; if the trap was a host function's exception unwinding the wasm frames, the trap carries
 * that exception ({@link TrapException#hostThrowable()}) for the API to rethrow. Nested calls (wasm → host → wasm)
 * reuse the buffer safely: an adapter has loaded its arguments before the code runs and stores its results only
 * after all nested calls returned.
 */
public final class FunctionCaller {
    private FunctionCaller() {
    }

    /** All of native memory, for the raw reads and writes of the call path (bounds are the callers' business). */
    static final MemorySegment RAW = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** Value slots every thread's buffer has at least: enough for every signature {@link DirectCalls} takes. */
    static final int MIN_SLOTS = 16;
    private static final int MAX_ATTACH_ATTEMPTS = 16;

    /**
     * Per Java thread: the entry record and value buffer, the OS thread's context when it is known (platform
     * threads only: a virtual thread may run on another carrier next time), the instances entered from Java on
     * this thread (ids, outermost first; read by {@link ActiveCalls} and {@link CallWatchdog}) and the deadline of
     * the innermost timed call. The call path writes these as plain fields.
     */
    static final class CallState {
        final Thread thread = Thread.currentThread();
        final boolean platform = !thread.isVirtual();
        final EntryRecord record = EntryRecord.current();
        final long recordAddress = record.segment().address();
        MemorySegment buffer;
        long bufferAddress;
        long context;
        long[] active = new long[8];
        int depth;
        /** System.nanoTime() deadline of the innermost timed call, or 0. */
        long deadline;

        CallState() {
            ensureBuffer(MIN_SLOTS);
            ActiveCalls.register(this);
        }

        /** Buffers replaced by larger ones: an outer call in progress may still hand its results to one. */
        private final java.util.List<MemorySegment> retired = new java.util.ArrayList<>();

        void ensureBuffer(int slots) {
            long bytes = (long) ValueBuffer.SLOT * Math.max(slots, MIN_SLOTS);
            if (buffer == null || buffer.byteSize() < bytes) {
                if (buffer != null) {
                    retired.add(buffer);
                    bytes = Math.max(bytes, 2 * buffer.byteSize());
                }
                buffer = Arena.ofAuto().allocate(bytes, 16);
                bufferAddress = buffer.address();
                record.setBuffer(bufferAddress);
            }
        }

        long[] growActive() {
            long[] grown = java.util.Arrays.copyOf(active, active.length * 2);
            active = grown;
            return grown;
        }

        /** Whether a call into instance {@code id} is in progress on this thread (a racy read from any thread). */
        boolean holds(long id) {
            long[] entries = ActiveCalls.activeOf(this);
            for (int i = 0; i < entries.length; i++) {
                if (ActiveCalls.entry(entries, i) == id) return true;
            }
            return false;
        }

        /** The id of the innermost instance entered on this thread, 0 when none (a racy read from any thread). */
        long innermost() {
            long[] entries = ActiveCalls.activeOf(this);
            int d = Math.min(ActiveCalls.depthOf(this), entries.length);
            return d > 0 ? ActiveCalls.entry(entries, d - 1) : 0;
        }
    }

    private static final ThreadLocal<CallState> STATE = ThreadLocal.withInitial(CallState::new);

    /**
     * The states of recently calling threads by thread id (mod the length): the call path's lookup, a few plain loads
     * that cost the same in every run (a {@code ThreadLocal} lookup costs more when its hash collides with another
     * thread-local of the thread, which differs from run to run). A slot holds another thread's state after a
     * collision: then the {@code ThreadLocal} answers and the slot changes hands. Racy on purpose: a state's fields
     * read here are final, and only its own thread uses the rest.
     */
    private static final CallState[] BY_THREAD = new CallState[256];

    static CallState state() {
        Thread thread = Thread.currentThread();
        CallState state = BY_THREAD[(int) thread.threadId() & (BY_THREAD.length - 1)];
        return state != null && state.thread == thread ? state : stateMissed(thread);
    }

    private static CallState stateMissed(Thread thread) {
        CallState state = STATE.get();
        BY_THREAD[(int) thread.threadId() & (BY_THREAD.length - 1)] = state;
        return state;
    }

    /** Whether the current thread is inside a call to wasm (so, running a host function or a builtin). */
    public static boolean insideCall() {
        return STATE.get().depth > 0;
    }

    /**
     * One call whose arguments are in {@code state}'s buffer; returns once the function returned (its results are
     * in the buffer). {@code instance} is marked in use on this thread for the whole call — every entry attempt
     * (the first entry of an OS thread attaches it and enters again) and the frame walk of a trap — so that neither
     * a close nor the re-arming of an interrupted instance's poll page can slip in between; the poll page is re-armed
     * after the call if an interrupt is pending.
     *
     * @param critical whether to enter through a critical downcall ({@link BoundedLeaf} functions only)
     * @throws IllegalStateException when the instance is closed (nothing ran)
     * @throws TrapException when the code trapped
     */
    static void enter(CallState state, RuntimeInstance instance, long entryAdapter, long funcRef, boolean critical) {
        try {
            enter(state, instance.id, instance.guardAddress, entryAdapter, funcRef, critical);
        } finally {
            if (instance.interruptPending) instance.rearm();
        }
    }

    private static void enter(CallState state, long id, long guard, long entryAdapter, long funcRef,
                              boolean critical) {
        int d = mark(state, id);
        try {
            int status = WasmCall.enterGuarded(entryAdapter, state.recordAddress, funcRef, guard, state.context,
                    critical);
            if (status != 0) failed(state, status, guard, entryAdapter, funcRef, critical);
            if (state.context == 0 && state.platform) {
                state.context = state.record.context();        // what a platform thread's first entry looked up
            }
        } finally {
            unmark(state, d);
        }
    }

    /** Marks {@code id} in use on this thread (see {@link #enter}); returns the depth to give {@link #unmark}. */
    static int mark(CallState state, long id) {
        int d = state.depth;
        long[] active = state.active;
        if (d == active.length) active = state.growActive();
        active[d] = id;
        state.depth = d + 1;
        return d;
    }

    /** Ends what {@link #mark} began. */
    static void unmark(CallState state, int depth) {
        state.active[depth] = 0;                              // (a nested call may have grown the array)
        state.depth = depth;
    }

    /**
     * What a non-zero status other than {@code NO_CONTEXT} means, still marked in use: the instance is closed, or a
     * trap (its frames are walked now; it carries the host function's exception that unwound them, if any).
     */
    static RuntimeException failure(CallState state, int status) {
        if (status == WasmCall.CLOSED) return new IllegalStateException("instance is closed");
        TrapException trap = WasmCall.trap(state.record, status);
        Throwable pending = PendingThrowable.take();
        return pending != null ? trap.thrownByHost(pending) : trap;
    }

    /**
     * After an entry returned a non-zero status, still marked in use: attaches the OS thread and enters again
     * ({@code NO_CONTEXT}), or throws what the status means. Returns normally only once an entry returned 0.
     */
    private static void failed(CallState state, int status, long guard, long entryAdapter, long funcRef,
                               boolean critical) {
        for (int attempt = 0; status == WasmCall.NO_CONTEXT; attempt++) {
            // First entry on this OS thread. (A virtual thread that blocks inside attach may resume on another
            // carrier, which may have no context either: attach there and try again.)
            if (attempt == MAX_ATTACH_ATTEMPTS) {
                throw new IllegalStateException("thread has no wasm context after " + attempt + " attaches");
            }
            ThreadContexts.attachCurrentThread();
            status = WasmCall.enterGuarded(entryAdapter, state.recordAddress, funcRef, guard, state.context, critical);
        }
        if (status != 0) throw failure(state, status);
    }

    /**
     * Calls like {@link #call(long, long, long[], int)} into {@code instance}: its native state stays allocated until
     * the call has returned, trapped or thrown ({@link ActiveCalls}), the call is registered for
     * {@link RuntimeInstance#interrupt()}, thread interrupts and a call timeout ({@link CallWatchdog}; the caller
     * passes the engine's settings, which the instance also holds for the watchdog: {@link RuntimeInstance#limits}).
     *
     * @param timeoutNanos the call's timeout, 0 for none
     * @param threadInterrupts whether the watchdog must run for {@link Thread#interrupt()} to reach the call
     * @throws IllegalStateException when the instance is closed (nothing ran)
     */
    public static long[] call(RuntimeInstance instance, long timeoutNanos, boolean threadInterrupts,
                              long entryAdapter, long funcRef, long[] args, int resultCount) {
        return call(instance, timeoutNanos, threadInterrupts, entryAdapter, funcRef, args, resultCount, false);
    }

    /**
     * Like {@link #call(RuntimeInstance, long, boolean, long, long, long[], int)}, with {@code wide} values: two
     * longs per value (the low and high 8 bytes of its 16-byte slot, as a v128 needs), for arguments and results.
     */
    public static long[] call(RuntimeInstance instance, long timeoutNanos, boolean threadInterrupts,
                              long entryAdapter, long funcRef, long[] args, int resultCount, boolean wide) {
        CallState state = STATE.get();
        if ((timeoutNanos != 0 || threadInterrupts) && !CallWatchdog.running()) CallWatchdog.start();
        if (timeoutNanos == 0) return call(state, instance, entryAdapter, funcRef, args, resultCount, wide);
        long outerDeadline = state.deadline;
        long deadline = System.nanoTime() + timeoutNanos;
        if (deadline == 0) deadline = 1;
        if (outerDeadline == 0 || deadline - outerDeadline < 0) state.deadline = deadline;
        try {
            return call(state, instance, entryAdapter, funcRef, args, resultCount, wide);
        } finally {
            state.deadline = outerDeadline;
        }
    }

    /**
     * Calls the function of {@code funcRef} through {@code entryAdapter}, outside any instance's lifetime (for code
     * whose owner keeps it alive otherwise: tests, tools).
     *
     * @param args raw argument values (see {@link ValueBuffer}); i32/f32 in the low 32 bits
     * @param resultCount how many results to read back
     * @return the raw results
     */
    public static long[] call(long entryAdapter, long funcRef, long[] args, int resultCount) {
        return call(STATE.get(), 0, UNGUARDED.address(), entryAdapter, funcRef, args, resultCount, false);
    }

    /** A guard word that is never set, for calls outside any instance's lifetime. */
    private static final MemorySegment UNGUARDED = Arena.global().allocate(8, 8);

    private static long[] call(CallState state, RuntimeInstance instance, long entryAdapter, long funcRef,
                               long[] args, int resultCount, boolean wide) {
        MemorySegment buffer = writeArguments(state, args, resultCount, wide);
        enter(state, instance, entryAdapter, funcRef, false);
        return readResults(buffer, resultCount, wide);
    }

    private static long[] call(CallState state, long id, long guard, long entryAdapter, long funcRef,
                               long[] args, int resultCount, boolean wide) {
        MemorySegment buffer = writeArguments(state, args, resultCount, wide);
        enter(state, id, guard, entryAdapter, funcRef, false);
        return readResults(buffer, resultCount, wide);
    }

    /** Writes raw arguments to the thread's buffer, large enough for them and the results; returns that buffer. */
    private static MemorySegment writeArguments(CallState state, long[] args, int resultCount, boolean wide) {
        int argCount = wide ? args.length / 2 : args.length;
        state.ensureBuffer(Math.max(argCount, resultCount));
        MemorySegment buffer = state.buffer;
        for (int i = 0; i < argCount; i++) {
            buffer.set(JAVA_LONG, ValueBuffer.offset(i), wide ? args[2 * i] : args[i]);
            buffer.set(JAVA_LONG, ValueBuffer.offset(i) + 8, wide ? args[2 * i + 1] : 0);
        }
        return buffer;
    }

    private static long[] readResults(MemorySegment buffer, int resultCount, boolean wide) {
        if (wide) {
            long[] results = new long[2 * resultCount];
            for (int i = 0; i < resultCount; i++) {
                results[2 * i] = buffer.get(JAVA_LONG, ValueBuffer.offset(i));
                results[2 * i + 1] = buffer.get(JAVA_LONG, ValueBuffer.offset(i) + 8);
            }
            return results;
        }
        long[] results = new long[resultCount];
        for (int i = 0; i < resultCount; i++) results[i] = buffer.get(JAVA_LONG, ValueBuffer.offset(i));
        return results;
    }
}
