package dev.isthmus.validate;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ValType;

import java.util.List;

/**
 * The fixed operand and result types of the instructions whose typing does not depend on context (numeric,
 * conversion, memory and SIMD instructions), for the compilers: the same table the validator checks against.
 */
public final class InstructionSignatures {
    private InstructionSignatures() {}

    /** Whether {@code op} has a fixed signature. */
    public static boolean isFixed(Opcode op) {
        return SignatureTable.STANDARD.of(op) != null;
    }

    /** The operand types of {@code op}, bottom of the stack first. */
    public static List<ValType> params(Opcode op) {
        return List.of(fixed(op).params());
    }

    /** The result types of {@code op} (none or one). */
    public static List<ValType> results(Opcode op) {
        return List.of(fixed(op).results());
    }

    private static Signature fixed(Opcode op) {
        Signature s = SignatureTable.STANDARD.of(op);
        if (s == null) throw new IllegalArgumentException(op.text() + " has no fixed signature");
        return s;
    }
}
