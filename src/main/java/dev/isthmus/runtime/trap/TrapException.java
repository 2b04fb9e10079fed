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
    private final int omittedFrames;
    private final transient Throwable hostThrowable;

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
        this(kind, detail, backtrace, 0);
    }

    /**
     * @param omittedFrames how many further wasm frames were active beyond the recorded {@code backtrace} (the
     *        walk records at most a fixed number; the rest are only counted)
     */
    public TrapException(TrapCode kind, String detail, List<TrapFrame> backtrace, int omittedFrames) {
        this(messageOf(kind, detail), kind, backtrace, omittedFrames, null);
    }

    private TrapException(String message, TrapCode kind, List<TrapFrame> backtrace, int omittedFrames,
            Throwable hostThrowable) {
        super(message, null, false, true);
        if (omittedFrames < 0) throw new IllegalArgumentException("negative omitted frame count " + omittedFrames);
        this.kind = kind;
        this.backtrace = List.copyOf(backtrace);
        this.omittedFrames = omittedFrames;
        this.hostThrowable = hostThrowable;
    }

    /**
     * This trap as the unwinding of {@code thrown}, which a host function (or runtime builtin) threw while these
     * wasm frames were active: the code that entered wasm rethrows {@code thrown}, not the trap.
     */
    public TrapException thrownByHost(Throwable thrown) {
        return new TrapException(getMessage(), kind, backtrace, omittedFrames, Objects.requireNonNull(thrown));
    }

    /** What a host function threw, when this trap is only the unwinding of it; otherwise null. */
    public Throwable hostThrowable() {
        return hostThrowable;
    }

    /** How many active wasm frames beyond {@link #backtrace()} were left out (0 when it is complete). */
    public int omittedFrames() {
        return omittedFrames;
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
        if (omittedFrames > 0) text.append("\n    ... ").append(omittedFrames).append(" more wasm frames omitted");
        return text.toString();
    }

    private static String messageOf(TrapCode kind, String detail) {
        Objects.requireNonNull(kind, "kind");
        return detail == null || detail.isEmpty() ? kind.message() : kind.message() + ": " + detail;
    }
}
