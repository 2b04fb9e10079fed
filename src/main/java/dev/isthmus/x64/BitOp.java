package dev.isthmus.x64;

/** Bit counting and scanning, {@code r16/32/64, r/m} (no byte form): popcnt, lzcnt, tzcnt (F3-prefixed), bsf, bsr. */
public enum BitOp {
    POPCNT(0xF3, 0xB8), LZCNT(0xF3, 0xBD), TZCNT(0xF3, 0xBC), BSF(0, 0xBC), BSR(0, 0xBD);

    final Opcode opcode;

    BitOp(int prefix, int opcode) {
        this.opcode = Opcode.twoByte(name().toLowerCase(), prefix, opcode, Opcode.REG, 0);
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return opcode.mnemonic();
    }
}
