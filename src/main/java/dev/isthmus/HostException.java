package dev.isthmus;

import java.util.List;

/**
 * A host function threw a checked exception: it unwound the wasm frames and reaches the Java caller of the wasm
 * function wrapped in this unchecked exception, the original as {@linkplain #getCause() cause}, so that
 * {@code Instance.call} and exported {@code MethodHandle}s never throw a checked exception they do not declare.
 *
 * <p>It carries the wasm frames the exception crossed ({@link #backtrace()}, innermost first: the frame that called
 * the host function first) and how many were left out ({@link #omittedFrames()}). Unchecked exceptions and errors
 * thrown by host functions are not wrapped: they reach the caller unchanged, with the same frames attached as a
 * suppressed {@link WasmBacktrace}.
 */
public final class HostException extends WasmException {
    private static final long serialVersionUID = 1L;

    private final transient Backtrace backtrace;

    HostException(Throwable cause, Backtrace backtrace) {
        super("host function threw " + cause, cause);
        this.backtrace = backtrace;
    }

    /** The wasm frames the exception crossed, innermost first (at most 64). */
    public List<WasmFrame> backtrace() {
        return backtrace.frames();
    }

    /** How many further wasm frames were active but are not in {@link #backtrace()} (0 when it is complete). */
    public int omittedFrames() {
        return backtrace.omitted();
    }

    Backtrace trace() {
        return backtrace;
    }

    /** The message followed by the wasm backtrace, one frame per line. */
    public String describe() {
        StringBuilder text = new StringBuilder(getMessage());
        backtrace.describeInto(text);
        return text.toString();
    }

    @Override
    public String toString() {
        return super.toString() + backtrace.omittedNote();
    }
}
