package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.WasmFrameSource;
import dev.isthmus.x64.Assembler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A hand-assembled stand-in for a compiled module whose functions carry {@link FrameUnwind} tables, like the
 * compiler's output: it owns its code range as both {@link WasmFrameSource} (names, offsets from the function start)
 * and {@link FrameUnwindSource}. Build with {@link #begin}/{@link #at}/{@link #end}, then {@link #load}.
 */
final class UnwindModule implements WasmFrameSource, FrameUnwindSource {
    private record Function(int index, String name, int start, int end, FrameUnwind unwind) {
    }

    final Assembler asm = new Assembler();
    private final List<Function> functions = new ArrayList<>();
    private FrameUnwind.Builder unwind;
    private int start = -1;
    private CodeMemory code;

    /** Starts a function at a 16-byte boundary, with the step "CFA = rsp + 8" at its entry; returns its offset. */
    int begin() {
        asm.align(16);
        start = asm.position();
        unwind = new FrameUnwind.Builder().at(0, FrameUnwind.step(false, 8, false));
        return start;
    }

    /** From the current position on, {@code step} is in force. */
    void at(long step) {
        unwind.at(asm.position() - start, step);
    }

    /** Ends the function begun last; its frames are named {@code name} with index {@code index}. */
    void end(int index, String name) {
        functions.add(new Function(index, name, start, asm.position(), unwind.build()));
    }

    /** Maps the code, owned by this module, and registers it as ours for the shim. */
    UnwindModule load() {
        byte[] bytes = asm.finish();
        code = CodeMemory.allocate(bytes.length, this);
        code.write(0, bytes);
        code.seal();
        FaultTables.registerCode(code);
        return this;
    }

    long address(int offset) {
        return code.address() + offset;
    }

    private Function functionAt(long pc) {
        long offset = pc - code.address();
        for (Function function : functions) {
            if (offset >= function.start && offset < function.end) return function;
        }
        return null;
    }

    @Override
    public Optional<TrapFrame> frameAt(long pc, boolean returnAddress) {
        long at = returnAddress ? pc - 1 : pc;
        Function function = functionAt(at);
        if (function == null) return Optional.empty();
        return Optional.of(new TrapFrame(function.index, Optional.of(function.name),
                (int) (at - code.address() - function.start)));
    }

    @Override
    public long unwindStepAt(long pc) {
        Function function = functionAt(pc);
        return function == null ? NO_STEP : function.unwind.stepAt((int) (pc - code.address() - function.start));
    }
}
