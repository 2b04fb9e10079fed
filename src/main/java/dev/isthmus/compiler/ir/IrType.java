package dev.isthmus.compiler.ir;

import dev.isthmus.model.ValType;

/** The type of an IR value: the integer widths the optimizing tier compiles, or none (effects and terminators). */
public enum IrType {
    NONE, I32, I64;

    /** The IR type of a wasm value type. */
    public static IrType of(ValType t) {
        return switch (t) {
            case I32 -> I32;
            case I64 -> I64;
            default -> throw new UnsupportedInTierException("value type " + t.text());
        };
    }
}
