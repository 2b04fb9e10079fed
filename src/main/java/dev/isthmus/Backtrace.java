package dev.isthmus;

import dev.isthmus.runtime.stack.EntryRecord;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.runtime.trap.TrapFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * The wasm frames an exception crossed, innermost first, as {@link WasmTrap}, {@link HostException} and
 * {@link WasmBacktrace} hold them: at most {@link EntryRecord#MAX_FRAMES} frames, a contiguous prefix of the wasm
 * stack, and a count of the frames left out. An exception that crosses several entries into wasm (wasm → host →
 * wasm → host) collects each entry's frames in turn, as long as nothing was left out before.
 */
final class Backtrace {
    private final List<WasmFrame> frames = new ArrayList<>();
    private int omitted;

    Backtrace(TrapException trap) {
        append(trap);
    }

    /** Adds the frames of an outer entry the exception has just unwound. Owned by one thread at a time. */
    synchronized void append(TrapException trap) {
        List<TrapFrame> more = trap.backtrace();
        int count = more.size() + trap.omittedFrames();
        int room = omitted > 0 ? 0 : Math.max(EntryRecord.MAX_FRAMES - frames.size(), 0);
        int taken = Math.min(room, more.size());
        for (int i = 0; i < taken; i++) {
            TrapFrame f = more.get(i);
            frames.add(new WasmFrame(f.functionIndex(), f.name(), f.codeOffset()));
        }
        omitted += count - taken;
    }

    synchronized List<WasmFrame> frames() {
        return List.copyOf(frames);
    }

    synchronized int omitted() {
        return omitted;
    }

    /** What {@code toString()} of an exception with this backtrace appends: how many frames it leaves out, if any. */
    String omittedNote() {
        int omitted = omitted();
        return omitted == 0 ? "" : " (" + omitted + " more wasm frames omitted from the backtrace)";
    }

    /** One {@code "\n    at FRAME"} line per frame, then the count of frames left out, if any. */
    synchronized void describeInto(StringBuilder text) {
        for (WasmFrame frame : frames) text.append("\n    at ").append(frame);
        if (omitted > 0) text.append("\n    ... ").append(omitted).append(" more wasm frames omitted");
    }
}
