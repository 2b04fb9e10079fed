package dev.isthmus.compiler.baseline;

import dev.isthmus.model.ValType;

/**
 * One operand popped off the {@link Codegen} value stack: where its value is right now, without moving it.
 *
 * @param kind     {@link Codegen#CONST}, {@link Codegen#LOCAL}, {@link Codegen#REG}, {@link Codegen#SLOT} or
 *                 {@link Codegen#FLAGS}
 * @param value    constant bits, local index, register encoding, or condition code
 * @param type     the wasm type
 * @param position the operand-stack position it was popped from (its slot)
 */
record Val(byte kind, long value, ValType type, int position) {
    boolean isConst() {
        return kind == Codegen.CONST;
    }
}
