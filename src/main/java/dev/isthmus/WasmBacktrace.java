package dev.isthmus;

import java.util.List;
import java.util.Optional;

/**
 * The wasm frames an unchecked exception or error thrown by a host function crossed on its way to the Java caller,
 * attached to it as a {@linkplain Throwable#getSuppressed() suppressed} exception. The host function's exception
 * itself reaches the caller unchanged (same object, same type); this record only adds where in wasm it passed:
 *
 * <pre>
 *   try { instance.call("run"); }
 *   catch (IllegalStateException e) {
 *       WasmBacktrace.of(e).ifPresent(bt -&gt; log(bt.frames()));   // innermost first
 *   }
 * </pre>
 *
 * A stack trace printed by the JVM shows it as {@code Suppressed: dev.isthmus.WasmBacktrace: wasm backtrace} with
 * one {@code at} line per frame. It has no Java stack trace of its own and is never thrown. Checked exceptions are
 * wrapped in {@link HostException} instead, which carries the same frames as a field.
 */
public final class WasmBacktrace extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Backtrace backtrace;

    WasmBacktrace(Backtrace backtrace) {
        super("wasm backtrace", null, false, false);
        this.backtrace = backtrace;
    }

    /** The wasm backtrace attached to {@code thrown}, if it crossed wasm frames on its way out of a call. */
    public static Optional<WasmBacktrace> of(Throwable thrown) {
        for (Throwable suppressed : thrown.getSuppressed()) {
            if (suppressed instanceof WasmBacktrace backtrace) return Optional.of(backtrace);
        }
        return Optional.empty();
    }

    /** The wasm frames, innermost first (at most 64). */
    public List<WasmFrame> frames() {
        return backtrace.frames();
    }

    /** How many further wasm frames were active but are not in {@link #frames()} (0 when it is complete). */
    public int omittedFrames() {
        return backtrace.omitted();
    }

    Backtrace backtrace() {
        return backtrace;
    }

    /** "wasm backtrace" followed by one {@code at} line per frame (and the count of omitted frames). */
    @Override
    public String getMessage() {
        StringBuilder text = new StringBuilder("wasm backtrace");
        backtrace.describeInto(text);
        return text.toString();
    }
}
