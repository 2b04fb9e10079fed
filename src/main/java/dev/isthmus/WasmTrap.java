package dev.isthmus;

import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.runtime.trap.TrapFrame;
import java.util.List;

/**
 * The wasm code trapped: the one trap type of the API, whatever caught the trap (an explicit check in the compiled
 * code, or a hardware fault turned into a trap).
 *
 * <p>The message is the spec's text for the {@link #kind()} (what {@code assert_trap} compares), possibly followed by
 * detail after {@code ": "}. The wasm backtrace lists the frames that were active, innermost first; it is empty when
 * no frames are known. A trap inside a wasm function that a host function called surfaces as a {@code WasmTrap}
 * too, through the host function, unless the host function catches it.
 */
public final class WasmTrap extends WasmException {
    private static final long serialVersionUID = 1L;

    private final TrapKind kind;
    private final transient List<WasmFrame> backtrace;

    private WasmTrap(TrapException trap) {
        super(trap.getMessage(), trap);
        this.kind = TrapKind.of(trap.kind());
        this.backtrace = trap.backtrace().stream().map(WasmTrap::frame).toList();
    }

    /** The API's view of the runtime's trap (the runtime's exception is the cause). */
    static WasmTrap of(TrapException trap) {
        return new WasmTrap(trap);
    }

    private static WasmFrame frame(TrapFrame frame) {
        return new WasmFrame(frame.functionIndex(), frame.name(), frame.codeOffset());
    }

    /** What went wrong. */
    public TrapKind kind() {
        return kind;
    }

    /** The active wasm frames when the trap happened, innermost first; possibly empty. */
    public List<WasmFrame> backtrace() {
        return backtrace;
    }

    /** The message followed by the wasm backtrace, one frame per line. */
    public String describe() {
        StringBuilder text = new StringBuilder("wasm trap: ").append(getMessage());
        for (WasmFrame frame : backtrace) {
            text.append("\n    at ").append(frame);
        }
        return text.toString();
    }
}
