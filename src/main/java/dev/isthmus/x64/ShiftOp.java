package dev.isthmus.x64;

/**
 * Shifts and rotates: group 2, {@code /n} in ModRM.reg. By an immediate: {@code 0xC1 /n ib} ({@code 0xD1 /n} when the
 * count is 1); by {@code cl}: {@code 0xD3 /n}; byte variants one below.
 */
public enum ShiftOp {
    ROL(0), ROR(1), RCL(2), RCR(3), SHL(4), SHR(5), SAR(7);

    final Opcode byImmediate;
    final Opcode byOne;
    final Opcode byCl;

    ShiftOp(int extension) {
        String mnemonic = name().toLowerCase();
        byImmediate = Opcode.of(mnemonic, 0xC1, extension, Opcode.BYTE_FORM);
        byOne = Opcode.of(mnemonic, 0xD1, extension, Opcode.BYTE_FORM);
        byCl = Opcode.of(mnemonic, 0xD3, extension, Opcode.BYTE_FORM);
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return byCl.mnemonic();
    }
}
