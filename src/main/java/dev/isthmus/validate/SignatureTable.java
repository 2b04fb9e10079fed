package dev.isthmus.validate;

import dev.isthmus.binary.Opcode;

/**
 * The instructions whose typing is a fixed {@link Signature}, keyed by {@link Opcode}: numeric and conversion
 * instructions ({@link NumericTyping}), loads and stores ({@link MemoryTyping}) and the SIMD instructions
 * ({@link SimdTyping}). Everything else (control, variables, references, tables, calls) needs the module context and
 * is typed by {@link FunctionValidator} itself.
 */
final class SignatureTable {
    /** The table of Wasm 2.0 (plus nothing else: tail calls are context-dependent). */
    static final SignatureTable STANDARD = standard();

    private final Signature[] byOpcode = new Signature[Opcode.values().length];

    private static SignatureTable standard() {
        SignatureTable table = new SignatureTable();
        NumericTyping.defineAll(table);
        MemoryTyping.defineAll(table);
        SimdTyping.defineAll(table);
        return table;
    }

    /** Gives every opcode in {@code ops} the signature written as {@code signature} (see {@link Signature#parse}). */
    void define(String signature, Opcode... ops) {
        Signature parsed = Signature.parse(signature);
        for (Opcode op : ops) {
            if (byOpcode[op.ordinal()] != null) throw new IllegalStateException("defined twice: " + op);
            byOpcode[op.ordinal()] = parsed;
        }
    }

    /** The fixed signature of {@code op}, or null when its typing depends on context. */
    Signature of(Opcode op) {
        return byOpcode[op.ordinal()];
    }
}
