package dev.isthmus.runtime.trap;

import java.util.Optional;

/**
 * Maps machine-code addresses of compiled wasm to {@link TrapFrame}s, for backtraces. The owner of a code range
 * (the object registered with the code, e.g. a compiled module) implements it; the runtime asks it for each address
 * of a trap's machine-code backtrace that falls in its range.
 */
@FunctionalInterface
public interface WasmFrameSource {
    /**
     * The wasm frame executing at {@code pc}, or empty when {@code pc} is not inside a wasm function (a stub, an
     * adapter).
     *
     * @param pc a machine-code address in this source's code
     * @param returnAddress whether {@code pc} is a return address (the instruction of interest is the call just
     *        before it: look up {@code pc - 1}) rather than an address inside the trapping instruction
     */
    Optional<TrapFrame> frameAt(long pc, boolean returnAddress);

    /** Whether {@link #frameAt} would find a frame (for counting the frames a backtrace leaves out). */
    default boolean isWasmFrame(long pc, boolean returnAddress) {
        return frameAt(pc, returnAddress).isPresent();
    }
}
