package dev.isthmus.runtime.instance;

import dev.isthmus.os.NativeHeap;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.ValueBuffer;
import dev.isthmus.runtime.host.PendingThrowable;
import dev.isthmus.runtime.stack.WasmCall;
import dev.isthmus.runtime.trap.TrapException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Calls a wasm function from Java with raw values: writes the arguments to a per-thread value buffer, enters the
 * function's entry adapter through the entry trampoline on the thread's wasm stack, and reads the results back.
 *
 * <pre>
 *   Java ── WasmCall.invoke(adapter, vmctx, code, buffer) ──▶ trampoline ──▶ adapter ──▶ code (r15 = vmctx)
 * </pre>
 *
 * A trap surfaces as {@link TrapException}; if the trap was a host function's exception unwinding the wasm frames, the
 * trap carries that exception ({@link TrapException#hostThrowable()}) for the API to rethrow. Nested calls (wasm → host → wasm) reuse the buffer safely: an adapter has loaded
 * its arguments before the code runs and stores its results only after all nested calls returned.
 */
public final class FunctionCaller {
    private FunctionCaller() {
    }

    private static final int MIN_SLOTS = 16;
    /**
     * Per thread: the value buffer, how many Java-to-wasm calls are in progress on the thread, and what
     * {@link CallWatchdog} reads: the instance of the innermost call from Java (null outside calls) and its
     * deadline. The call path writes these as plain fields (opaque writes: plain moves on x86-64).
     */
    static final class CallState {
        final Thread thread = Thread.currentThread();
        MemorySegment buffer;
        int depth;
        RuntimeInstance instance;
        /** System.nanoTime() deadline of the innermost timed call, or 0. */
        long deadline;

        CallState() {
            CallWatchdog.register(this);
        }
    }

    private static final ThreadLocal<CallState> STATE = ThreadLocal.withInitial(CallState::new);

    /** Whether the current thread is inside a call to wasm (so, running a host function or a builtin). */
    public static boolean insideCall() {
        return STATE.get().depth > 0;
    }

    /**
     * Calls like {@link #call(long, long, long[], int)} while holding a use of {@code instance}'s lifetime (its
     * native state stays allocated until the call has returned, trapped or thrown), registering the
     * call for {@link RuntimeInstance#interrupt()} (the poll page is re-armed when the last call leaves), thread
     * interrupts and a call timeout ({@link CallWatchdog}; the caller passes the engine's settings, which the
     * instance also holds for the watchdog: {@link RuntimeInstance#limits}).
     *
     * @param timeoutNanos the call's timeout, 0 for none
     * @param threadInterrupts whether the watchdog must run for {@link Thread#interrupt()} to reach the call
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
        NativeLifetime lifetime = instance.lifetime();
        lifetime.acquire();
        CallState state = STATE.get();
        RuntimeInstance outerInstance = state.instance;
        state.instance = instance;
        if ((timeoutNanos != 0 || threadInterrupts) && !CallWatchdog.running()) CallWatchdog.start();
        try {
            if (timeoutNanos == 0) return call(state, entryAdapter, funcRef, args, resultCount, wide);
            return callWithDeadline(state, timeoutNanos, entryAdapter, funcRef, args, resultCount, wide);
        } finally {
            state.instance = outerInstance;
            lifetime.release();
            instance.callLeft();
        }
    }

    private static long[] callWithDeadline(CallState state, long timeoutNanos, long entryAdapter, long funcRef,
                                           long[] args, int resultCount, boolean wide) {
        long outerDeadline = state.deadline;
        long deadline = System.nanoTime() + timeoutNanos;
        if (deadline == 0) deadline = 1;
        if (outerDeadline == 0 || deadline - outerDeadline < 0) state.deadline = deadline;
        try {
            return call(state, entryAdapter, funcRef, args, resultCount, wide);
        } finally {
            state.deadline = outerDeadline;
        }
    }

    /**
     * Calls the function of {@code funcRef} through {@code entryAdapter}.
     *
     * @param args raw argument values (see {@link ValueBuffer}); i32/f32 in the low 32 bits
     * @param resultCount how many results to read back
     * @return the raw results
     */
    public static long[] call(long entryAdapter, long funcRef, long[] args, int resultCount) {
        return call(STATE.get(), entryAdapter, funcRef, args, resultCount, false);
    }

    private static long[] call(CallState state, long entryAdapter, long funcRef, long[] args, int resultCount,
                               boolean wide) {
        int argCount = wide ? args.length / 2 : args.length;
        MemorySegment buffer = buffer(state, Math.max(argCount, resultCount));
        for (int i = 0; i < argCount; i++) {
            buffer.set(JAVA_LONG, ValueBuffer.offset(i), wide ? args[2 * i] : args[i]);
            buffer.set(JAVA_LONG, ValueBuffer.offset(i) + 8, wide ? args[2 * i + 1] : 0);
        }
        long code = NativeHeap.getLong(funcRef + FuncRefLayout.CODE);
        long vmctx = NativeHeap.getLong(funcRef + FuncRefLayout.VMCTX);
        state.depth++;
        try {
            WasmCall.invoke(entryAdapter, vmctx, code, buffer.address(), 0);
        } catch (TrapException trap) {
            Throwable pending = PendingThrowable.take();
            throw pending != null ? trap.thrownByHost(pending) : trap;
        } finally {
            state.depth--;
        }
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

    private static MemorySegment buffer(CallState state, int slots) {
        MemorySegment buffer = state.buffer;
        long bytes = (long) ValueBuffer.SLOT * Math.max(slots, MIN_SLOTS);
        if (buffer == null || buffer.byteSize() < bytes) {
            buffer = Arena.ofAuto().allocate(bytes, 16);
            state.buffer = buffer;
        }
        return buffer;
    }
}
