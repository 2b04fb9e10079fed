package dev.isthmus.model;

/** A global's value type and mutability. */
public record GlobalType(ValType type, boolean mutable) {
    /** The type in the text format: {@code (global i32)}, {@code (global (mut i64))}. */
    @Override
    public String toString() {
        return "(global " + (mutable ? "(mut " + type.text() + ")" : type.text()) + ")";
    }
}
