package dev.isthmus.x64;

/**
 * A register that can sit in the ModRM.reg or ModRM.rm field: a general-purpose register or an XMM register.
 * Its 4-bit {@link #encoding()} is split into the 3 ModRM bits and one REX bit by the encoder.
 */
public sealed interface Register permits Gpr, Xmm {

    /** The register number 0..15 (the high bit goes into REX.R, REX.X or REX.B). */
    int encoding();

    /** Whether using this register at {@code size} needs a REX prefix even with no REX bit set (spl, bpl, sil, dil). */
    default boolean requiresRex(OperandSize size) {
        return false;
    }

    /** Whether this register cannot be encoded when a REX prefix is present (ah, ch, dh, bh). */
    default boolean forbidsRex() {
        return false;
    }

    /** Whether the register number needs the REX extension bit (r8..r15, xmm8..xmm15). */
    default boolean isExtended() {
        return encoding() >= 8;
    }

    /** The low three bits that go into ModRM or SIB or the opcode. */
    default int low3() {
        return encoding() & 7;
    }
}
