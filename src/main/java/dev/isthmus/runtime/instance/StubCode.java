package dev.isthmus.runtime.instance;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.trap.FrameUnwindSource;

/**
 * Machine code of runtime stubs that compiled code calls (the builtin stubs, the fuel stub), mapped executable with
 * its unwind table as the owner of its range, so that a backtrace walk passes through the stub, and registered as
 * ours with the signal shim.
 */
final class StubCode implements FrameUnwindSource {
    private final FrameUnwind table;
    private volatile long start;
    private volatile long end;

    private StubCode(FrameUnwind table) {
        this.table = table;
    }

    /** Maps {@code bytes} executable, owned by an unwind source of {@code table} (offsets from the code's start). */
    static CodeMemory install(byte[] bytes, FrameUnwind table) {
        StubCode owner = new StubCode(table);
        CodeMemory code = CodeMemory.allocate(bytes.length, owner);
        code.write(0, bytes);
        code.seal();
        owner.start = code.address();
        owner.end = code.address() + bytes.length;
        FaultTables.registerCode(code);
        return code;
    }

    @Override
    public long unwindStepAt(long pc) {
        long from = start;
        if (pc < from || pc >= end) return NO_STEP;
        return table.stepAt((int) (pc - from));
    }
}
