package dev.isthmus.runtime.trap;

import java.util.Optional;

/**
 * One frame of a wasm backtrace: which function was running and where in its code.
 *
 * @param functionIndex the function's index in its module's function index space (imports first)
 * @param name the function's name from the name section or an export, if known
 * @param codeOffset the byte offset of the instruction in the module's code section (or in the function body,
 *        as the producer documents), or -1 when unknown
 */
public record TrapFrame(int functionIndex, Optional<String> name, int codeOffset) {
    public TrapFrame {
        if (functionIndex < 0) {
            throw new IllegalArgumentException("negative function index " + functionIndex);
        }
        if (codeOffset < -1) {
            throw new IllegalArgumentException("bad code offset " + codeOffset);
        }
        name = name == null ? Optional.empty() : name;
    }

    /** A frame without a known name. */
    public TrapFrame(int functionIndex, int codeOffset) {
        this(functionIndex, Optional.empty(), codeOffset);
    }

    /** Like wasmtime prints them: {@code 3: $fac @ 0x2a}, {@code 3: <func 3> @ ?}. */
    @Override
    public String toString() {
        String label = name.map(n -> "$" + n).orElse("<func " + functionIndex + ">");
        String where = codeOffset < 0 ? "?" : "0x" + Integer.toHexString(codeOffset);
        return functionIndex + ": " + label + " @ " + where;
    }
}
