package dev.isthmus;

/**
 * The generic form of a Java function imported by wasm: arguments and results as Java values per
 * {@link Imports} (Integer, Long, Float, Double, {@link V128}, {@link FunctionRef} or null, any Object or null for
 * externref).
 * Return an array with one element per result (an empty array or null when there are none).
 *
 * <p>What it throws unwinds the wasm frames and reaches the Java code that called into wasm: an unchecked exception
 * or error unchanged, with the wasm frames it crossed attached as a suppressed {@link WasmBacktrace}; a checked
 * exception wrapped in {@link HostException} (cause: the exception; the frames as a field). Except
 * {@link StackOverflowError}: a host function that runs out of Java stack is a wasm stack exhaustion like any
 * other, so the caller gets a {@link WasmTrap} of kind {@code CALL_STACK_EXHAUSTED} with the wasm backtrace of the
 * call site (the JVM's error would say nothing about where in wasm it happened).
 *
 * <p>Host functions may be called by several threads at once (one instance may be called from many threads, and
 * imports may be shared by many instances): they must be thread-safe themselves.
 */
@FunctionalInterface
public interface HostFunction {
    Object[] call(Object[] args) throws Throwable;

    /**
     * A host function in generic form that also gets the {@link Caller}: the calling instance, its memory, its user
     * data. The caller is valid only during the call.
     */
    @FunctionalInterface
    interface WithCaller {
        Object[] call(Caller caller, Object[] args) throws Throwable;
    }
}
