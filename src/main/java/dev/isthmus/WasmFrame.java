package dev.isthmus;

import java.util.Objects;
import java.util.Optional;

/**
 * One frame of a {@link WasmTrap}'s wasm backtrace: which function was running and where in its code.
 *
 * @param functionIndex the function's index in its module's function index space (imports first)
 * @param name the function's name from the name section or an export, if known
 * @param codeOffset the byte offset of the instruction in the module binary, or -1 when unknown
 */
public record WasmFrame(int functionIndex, Optional<String> name, int codeOffset) {
    public WasmFrame {
        if (functionIndex < 0) {
            throw new IllegalArgumentException("negative function index " + functionIndex);
        }
        if (codeOffset < -1) {
            throw new IllegalArgumentException("bad code offset " + codeOffset);
        }
        name = Objects.requireNonNullElse(name, Optional.empty());
    }

    /** Like wasmtime prints them: {@code 3: $fac @ 0x2a}, {@code 3: <func 3> @ ?}. */
    @Override
    public String toString() {
        String label = name.map(n -> "$" + n).orElse("<func " + functionIndex + ">");
        String where = codeOffset < 0 ? "?" : "0x" + Integer.toHexString(codeOffset);
        return functionIndex + ": " + label + " @ " + where;
    }
}
