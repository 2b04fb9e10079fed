package dev.isthmus.runtime.trap;

/**
 * Says how to find the caller's frame from an instruction in a range of machine code: the owner of a code range
 * (the object registered with it in the code registry, e.g. a compiled module) implements it so the backtrace
 * walker can step through frames that have no frame pointer. The answer is a step of the code's
 * {@link dev.isthmus.runtime.abi.FrameUnwind} table.
 */
@FunctionalInterface
public interface FrameUnwindSource {
    /** What {@link #unwindStepAt} returns for code without an unwind table (0 is never a valid step). */
    long NO_STEP = 0;

    /**
     * The {@link dev.isthmus.runtime.abi.FrameUnwind#step} in force at {@code pc}, or {@link #NO_STEP} when
     * {@code pc} lies in code that has no table (a stub, an adapter, padding).
     *
     * @param pc an address inside an instruction of this source's code (for a return address, the caller passes
     *        the return address minus one: the call instruction)
     */
    long unwindStepAt(long pc);
}
