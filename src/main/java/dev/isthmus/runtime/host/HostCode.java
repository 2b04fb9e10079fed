package dev.isthmus.runtime.host;

import java.lang.foreign.MemorySegment;

/**
 * The Java side of a host function as the bridge runs it: reads its arguments from a
 * {@link dev.isthmus.runtime.abi.ValueBuffer value buffer} and writes its results there. Whatever it throws is
 * caught by the bridge, never crosses native frames, and is rethrown to the Java caller of the wasm entry.
 */
@FunctionalInterface
public interface HostCode {
    /** Runs the function on {@code buffer} (16-byte slots, arguments in, results out). */
    void call(MemorySegment buffer) throws Throwable;

    /**
     * Runs the function for the instance that imported it: {@code caller} is the context given to
     * {@link HostBridge#newRecord(HostCode, int, Object)} for that instance's record (the runtime passes its
     * {@code RuntimeInstance}). By default the context is ignored.
     */
    default void call(MemorySegment buffer, Object caller) throws Throwable {
        call(buffer);
    }

    /**
     * Runs the function on the buffer at {@code address} ({@code bytes} long) for {@code caller}: what the bridge
     * calls. By default a segment over the buffer goes to {@link #call(MemorySegment, Object)}; host code that reads
     * and writes the slots itself overrides this to allocate nothing.
     */
    default void call(long address, long bytes, Object caller) throws Throwable {
        call(MemorySegment.ofAddress(address).reinterpret(bytes), caller);
    }
}
