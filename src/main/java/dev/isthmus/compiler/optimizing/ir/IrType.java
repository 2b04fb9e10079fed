package dev.isthmus.compiler.optimizing.ir;

import dev.isthmus.model.ValType;

/** The type of an IR value: the value types the optimizing tier compiles, or none (effects and terminators). */
public enum IrType {
    NONE, I32, I64, F32, F64,
    /** A 128-bit SIMD value: in the xmm register class like the floats, 16 bytes when spilled. */
    V128;

    /** Values of the xmm register class: f32, f64 and v128. */
    public boolean isFloat() {
        return this == F32 || this == F64 || this == V128;
    }

    public boolean isV128() {
        return this == V128;
    }

    /** 64-bit values (i64, f64). */
    public boolean isWide() {
        return this == I64 || this == F64;
    }

    /** The IR type of a wasm value type: a reference (a func ref's address, an extern handle, or null = 0) is an {@link #I64}. */
    public static IrType of(ValType t) {
        if (t.isReference()) return I64;
        return switch (t.kind()) {
            case I32 -> I32;
            case I64 -> I64;
            case F32 -> F32;
            case F64 -> F64;
            case V128 -> V128;
            default -> throw new UnsupportedInTierException("value type " + t.text());
        };
    }
}
