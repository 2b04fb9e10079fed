package dev.isthmus.runtime.trap;

import dev.isthmus.runtime.abi.FrameUnwind;

/**
 * Code whose wasm functions may catch exceptions: for a PC, the function around it with its unwind table, whose
 * {@link FrameUnwind#handlers()} list the try ranges and their landing pads. Read by the exception dispatch only.
 */
public interface HandlerSource {
    /** The wasm function containing {@code pc} (its entry address and table), or null for any other code. */
    FunctionAt functionAt(long pc);

    /** A function's entry address (what its table's offsets count from) and its unwind table. */
    record FunctionAt(long entry, FrameUnwind table) {
    }
}
