package dev.isthmus.x64;

/**
 * SSE/SSE2 operations of the form {@code xmm, xmm/mem} (ModRM.reg = destination): scalar float arithmetic,
 * comparisons, precision conversions, register moves/loads and bitwise logic. Each row is its encoding:
 * mandatory prefix (none = packed single, 66 = packed double, F3 = scalar single, F2 = scalar double) and the
 * opcode in the 0x0F map.
 */
public enum SseOp {
    ADDSS(0xF3, 0x58), ADDSD(0xF2, 0x58),
    SUBSS(0xF3, 0x5C), SUBSD(0xF2, 0x5C),
    MULSS(0xF3, 0x59), MULSD(0xF2, 0x59),
    DIVSS(0xF3, 0x5E), DIVSD(0xF2, 0x5E),
    SQRTSS(0xF3, 0x51), SQRTSD(0xF2, 0x51),
    MINSS(0xF3, 0x5D), MINSD(0xF2, 0x5D),
    MAXSS(0xF3, 0x5F), MAXSD(0xF2, 0x5F),
    UCOMISS(0, 0x2E), UCOMISD(0x66, 0x2E),
    CVTSS2SD(0xF3, 0x5A), CVTSD2SS(0xF2, 0x5A),
    /** Load form (0x10); {@code movss mem, xmm} is {@link Assembler#movss(Mem, Xmm)}. */
    MOVSS(0xF3, 0x10),
    /** Load form (0x10); {@code movsd mem, xmm} is {@link Assembler#movsd(Mem, Xmm)}. */
    MOVSD(0xF2, 0x10),
    MOVAPS(0, 0x28), MOVAPD(0x66, 0x28),
    ANDPS(0, 0x54), ANDPD(0x66, 0x54),
    ANDNPS(0, 0x55), ANDNPD(0x66, 0x55),
    ORPS(0, 0x56), ORPD(0x66, 0x56),
    XORPS(0, 0x57), XORPD(0x66, 0x57);

    final Opcode opcode;

    SseOp(int prefix, int opcode) {
        this.opcode = Opcode.twoByte(name().toLowerCase(), prefix, opcode, Opcode.REG, 0);
    }

    /** The Intel mnemonic. */
    public String mnemonic() {
        return opcode.mnemonic();
    }
}
