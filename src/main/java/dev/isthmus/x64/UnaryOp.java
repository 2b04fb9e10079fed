package dev.isthmus.x64;

/**
 * One-operand integer operations on a register or memory: inc/dec ({@code 0xFF /0, /1}) and group 3
 * ({@code 0xF7 /n}: not, neg, and the rdx:rax multiply/divide family); byte variants one below.
 */
public enum UnaryOp {
    INC(0xFF, 0), DEC(0xFF, 1), NOT(0xF7, 2), NEG(0xF7, 3), MUL(0xF7, 4), IMUL(0xF7, 5), DIV(0xF7, 6), IDIV(0xF7, 7);

    final Opcode opcode;

    UnaryOp(int opcode, int extension) {
        this.opcode = Opcode.of(name().toLowerCase(), opcode, extension, Opcode.BYTE_FORM);
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return opcode.mnemonic();
    }
}
