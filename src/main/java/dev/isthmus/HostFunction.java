package dev.isthmus;

/**
 * The generic form of a Java function imported by wasm: arguments and results as Java values per
 * {@link Imports} (Integer, Long, Float, Double, {@link FunctionRef} or null, any Object or null for externref).
 * Return an array with one element per result (an empty array or null when there are none). Whatever it throws
 * unwinds the wasm frames and is rethrown, unchanged, to the Java code that called into wasm — except
 * {@link StackOverflowError}: a host function that runs out of Java stack is a wasm stack exhaustion like any
 * other, so the caller gets a {@link WasmTrap} of kind {@code CALL_STACK_EXHAUSTED} with
 * the wasm backtrace of the call site (the JVM's error would say nothing about where in wasm it happened).
 */
@FunctionalInterface
public interface HostFunction {
    Object[] call(Object[] args) throws Throwable;
}
