package dev.isthmus.runtime.trap;

import dev.isthmus.runtime.abi.TrapCode;
import java.util.List;
import java.util.Objects;

/**
 * A wasm trap: the one exception type every trapping execution surfaces as, whatever caught it (an explicit check
 * in generated code, or a hardware fault turned into a trap by the signal shim).
 *
 * <p>The message is the spec's text for the {@link TrapCode} (what {@code assert_trap} compares), optionally
 * followed by detail after {@code ": "}. The wasm backtrace lists the frames that were active, innermost first; it
 * is empty when no frames are known (for example a trap raised before any wasm frame was set up, or by code that
 * records no frame information yet).
 */
public final class TrapException extends RuntimeException {
    private final TrapCode kind;
    private final List<TrapFrame> backtrace;

    /** A trap with the spec's message and no known frames. */
    public TrapException(TrapCode kind) {
        this(kind, null, List.of());
    }

    /**
     * @param kind what went wrong
     * @param detail extra text appended to the spec message after {@code ": "}, or {@code null}
     * @param backtrace the active wasm frames, innermost first (copied)
     */
    public TrapException(TrapCode kind, String detail, List<TrapFrame> backtrace) {
        super(messageOf(kind, detail), null, false, true);
        this.kind = kind;
        this.backtrace = List.copyOf(backtrace);
    }

    /** What went wrong. */
    public TrapCode kind() {
        return kind;
    }

    /** The active wasm frames when the trap happened, innermost first; possibly empty. */
    public List<TrapFrame> backtrace() {
        return backtrace;
    }

    /** The message followed by the wasm backtrace, one frame per line. */
    public String describe() {
        StringBuilder text = new StringBuilder("wasm trap: ").append(getMessage());
        for (TrapFrame frame : backtrace) {
            text.append("\n    at ").append(frame);
        }
        return text.toString();
    }

    private static String messageOf(TrapCode kind, String detail) {
        Objects.requireNonNull(kind, "kind");
        return detail == null || detail.isEmpty() ? kind.message() : kind.message() + ": " + detail;
    }
}
