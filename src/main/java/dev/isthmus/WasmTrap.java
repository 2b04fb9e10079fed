package dev.isthmus;

import dev.isthmus.runtime.trap.TrapException;
import java.util.List;

/**
 * The wasm code trapped: the one trap type of the API, whatever caught the trap (an explicit check in the compiled
 * code, or a hardware fault turned into a trap).
 *
 * <p>The message is the spec's text for the {@link #kind()} (what {@code assert_trap} compares), possibly followed by
 * detail after {@code ": "}. The wasm backtrace lists the frames that were active, innermost first; it is empty when
 * no frames are known, and says how many frames it leaves out ({@link #omittedFrames()}; also in
 * {@link #toString()} and {@link #describe()}). A trap inside a wasm function that a host function called surfaces
 * as a {@code WasmTrap} too, through the host function, unless the host function catches it.
 */
public final class WasmTrap extends WasmException {
    private static final long serialVersionUID = 1L;

    private final TrapKind kind;
    private final transient Backtrace backtrace;

    private WasmTrap(TrapException trap) {
        super(trap.getMessage(), trap);
        this.kind = TrapKind.of(trap.kind());
        this.backtrace = new Backtrace(trap);
    }

    /** The API's view of the runtime's trap (the runtime's exception is the cause). */
    static WasmTrap of(TrapException trap) {
        return new WasmTrap(trap);
    }

    /** What went wrong. */
    public TrapKind kind() {
        return kind;
    }

    /**
     * The active wasm frames when the trap happened, innermost first; possibly empty. At most 64 frames are kept:
     * {@link #omittedFrames()} counts the rest. A trap that reached the caller through a host function (wasm →
     * host → wasm traps) lists the frames of the inner call, then those of the outer one.
     */
    public List<WasmFrame> backtrace() {
        return backtrace.frames();
    }

    /**
     * How many further wasm frames were active but are not in {@link #backtrace()}: 0 when the backtrace is
     * complete (deep recursion, as in a "call stack exhausted" trap, has thousands).
     */
    public int omittedFrames() {
        return backtrace.omitted();
    }

    Backtrace trace() {
        return backtrace;
    }

    /**
     * The message followed by the wasm backtrace, one frame per line, and a last line with the number of frames
     * left out, if any.
     */
    public String describe() {
        StringBuilder text = new StringBuilder("wasm trap: ").append(getMessage());
        backtrace.describeInto(text);
        return text.toString();
    }

    /** As {@link Throwable#toString()}, plus how many frames the backtrace leaves out when it is not complete. */
    @Override
    public String toString() {
        return super.toString() + backtrace.omittedNote();
    }
}
