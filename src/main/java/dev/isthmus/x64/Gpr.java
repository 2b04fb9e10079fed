package dev.isthmus.x64;

/**
 * The sixteen general-purpose registers, plus the four legacy high-byte registers {@code ah, ch, dh, bh}.
 * A {@code Gpr} names the register; the width of an access comes from the {@link OperandSize} of the instruction.
 *
 * <p>Byte registers: with a REX prefix, numbers 4..7 mean {@code spl, bpl, sil, dil}; without one they mean
 * {@code ah, ch, dh, bh}. So {@code spl..dil} force a REX prefix, and {@code ah..bh} cannot appear in an
 * instruction that has one. Both rules live here ({@link #requiresRex}, {@link #forbidsRex}).
 */
public enum Gpr implements Register {
    RAX(0), RCX(1), RDX(2), RBX(3), RSP(4), RBP(5), RSI(6), RDI(7),
    R8(8), R9(9), R10(10), R11(11), R12(12), R13(13), R14(14), R15(15),
    /** Bits 8..15 of rax; byte operations only, never with a REX prefix. */
    AH(4),
    /** Bits 8..15 of rcx; byte operations only, never with a REX prefix. */
    CH(5),
    /** Bits 8..15 of rdx; byte operations only, never with a REX prefix. */
    DH(6),
    /** Bits 8..15 of rbx; byte operations only, never with a REX prefix. */
    BH(7);

    private static final String[] LEGACY_NAMES = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] LEGACY_BYTE_NAMES = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};

    private final int encoding;

    Gpr(int encoding) {
        this.encoding = encoding;
    }

    @Override
    public int encoding() {
        return encoding;
    }

    /** Whether this is one of {@code ah, ch, dh, bh}. */
    public boolean isHighByte() {
        return ordinal() >= AH.ordinal();
    }

    /** The sixteen ordinary registers (without ah..bh), in encoding order. */
    public static Gpr[] ordinary() {
        Gpr[] result = new Gpr[16];
        System.arraycopy(values(), 0, result, 0, 16);
        return result;
    }

    /** The register with this encoding 0..15. */
    public static Gpr of(int encoding) {
        return values()[encoding];
    }

    @Override
    public boolean requiresRex(OperandSize size) {
        return size == OperandSize.BYTE && !isHighByte() && encoding >= 4 && encoding <= 7;
    }

    @Override
    public boolean forbidsRex() {
        return isHighByte();
    }

    /** The Intel name of this register accessed at {@code size}, e.g. {@code R9.nameAt(WORD)} is {@code "r9w"}. */
    public String nameAt(OperandSize size) {
        if (isHighByte()) {
            if (size != OperandSize.BYTE) throw new IllegalArgumentException(this + " is a byte register");
            return name().toLowerCase();
        }
        if (encoding >= 8) {
            String base = "r" + encoding;
            return switch (size) {
                case BYTE -> base + "b";
                case WORD -> base + "w";
                case DWORD -> base + "d";
                case QWORD -> base;
            };
        }
        return switch (size) {
            case BYTE -> LEGACY_BYTE_NAMES[encoding];
            case WORD -> LEGACY_NAMES[encoding];
            case DWORD -> "e" + LEGACY_NAMES[encoding];
            case QWORD -> "r" + LEGACY_NAMES[encoding];
        };
    }
}
