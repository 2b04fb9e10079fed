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
}
