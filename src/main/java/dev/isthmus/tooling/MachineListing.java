package dev.isthmus.tooling;

import dev.isthmus.compiler.machine.MachineCode;

/** A module's machine code as the explorer lists it: each function's bytes, where they start, and the pc → wasm map. */
public final class MachineListing {
    private final MachineCode code;

    MachineListing(MachineCode code) {
        this.code = code;
    }

    /** The machine code of a defined function (function index space, imports first). */
    public byte[] functionCode(int functionIndex) {
        return code.functionCode(functionIndex);
    }

    /** Where the function's code starts in the module's code. */
    public int functionOffset(int functionIndex) {
        return code.functionOffset(functionIndex);
    }

    /** The wasm instruction's byte offset in the module binary that the code at {@code codeOffset} belongs to, or -1. */
    public int wasmOffsetAt(int codeOffset) {
        return code.wasmOffsetAt(codeOffset);
    }
}
