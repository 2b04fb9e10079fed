package dev.isthmus.x64;

/**
 * The sixteen x86 condition codes, in encoding order, so {@code ordinal()} is the 4-bit {@code cc} that is added
 * to the base opcode of {@code jcc} (0x70 / 0x0F 0x80), {@code setcc} (0x0F 0x90) and {@code cmovcc} (0x0F 0x40).
 * Unsigned comparisons use {@link #B}/{@link #AE}/{@link #BE}/{@link #A}, signed ones {@link #L}/{@link #GE}/{@link #LE}/{@link #G}.
 */
public enum Cond {
    /** Overflow (OF=1). */ O,
    /** No overflow (OF=0). */ NO,
    /** Below, unsigned less; carry (CF=1). */ B,
    /** Above or equal, unsigned; no carry (CF=0). */ AE,
    /** Equal, zero (ZF=1). */ E,
    /** Not equal, not zero (ZF=0). */ NE,
    /** Below or equal, unsigned (CF=1 or ZF=1). */ BE,
    /** Above, unsigned (CF=0 and ZF=0). */ A,
    /** Sign (SF=1). */ S,
    /** No sign (SF=0). */ NS,
    /** Parity even; after ucomiss/ucomisd: unordered (PF=1). */ P,
    /** Parity odd; after ucomiss/ucomisd: ordered (PF=0). */ NP,
    /** Less, signed (SF!=OF). */ L,
    /** Greater or equal, signed (SF=OF). */ GE,
    /** Less or equal, signed (ZF=1 or SF!=OF). */ LE,
    /** Greater, signed (ZF=0 and SF=OF). */ G;

    /** The 4-bit condition code. */
    public int code() {
        return ordinal();
    }

    /** The opposite condition (true exactly when this one is false): flips the low bit of the code. */
    public Cond negate() {
        return values()[ordinal() ^ 1];
    }

    /**
     * The condition that holds for {@code cmp b, a} exactly when this one holds for {@code cmp a, b} (operands
     * swapped): less ↔ greater, below ↔ above; equality and flag tests are symmetric and stay as they are.
     */
    public Cond swapOperands() {
        return switch (this) {
            case L -> G;
            case G -> L;
            case LE -> GE;
            case GE -> LE;
            case B -> A;
            case A -> B;
            case BE -> AE;
            case AE -> BE;
            default -> this;
        };
    }
}
