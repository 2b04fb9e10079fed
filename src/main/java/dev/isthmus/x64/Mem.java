package dev.isthmus.x64;

import java.util.Objects;

/**
 * An immutable memory operand {@code [base + index*scale + disp]}, or a RIP-relative one ({@code [rip + disp]}
 * or a {@link Label}). Every ModRM/SIB special case of x86-64 is handled in one place, {@link #encode}:
 *
 * <pre>
 *   ModRM = mod(2) | reg(3) | rm(3)        SIB = scale(2) | index(3) | base(3)
 *
 *   shape                        mod        rm     SIB                     displacement
 *   [base]                       00         base   -                       -
 *   [base + disp8]               01         base   -                       disp8
 *   [base + disp32]              10         base   -                       disp32
 *   [rsp/r12 + ...]              as above   100    (none=100, base=100)    as above     (rm=100 means "SIB follows")
 *   [rbp/r13]                    01         101    -                       disp8 = 0    (mod=00 rm=101 means RIP)
 *   [base + index*s + disp]      00/01/10   100    (s, index, base)        as above     (rbp/r13 base: disp8 = 0)
 *   [index*s + disp32]           00         100    (s, index, base=101)    disp32       (no base)
 *   [disp32]                     00         100    (none=100, base=101)    disp32       (absolute)
 *   [rip + disp32]               00         101    -                       disp32 from the end of the instruction
 * </pre>
 * rsp cannot be an index (index=100 means "none"); r12 can.
 */
public final class Mem {
    private final Gpr base;
    private final Gpr index;
    private final int scale;
    private final int displacement;
    private final boolean ripRelative;
    private final Label target;

    private Mem(Gpr base, Gpr index, int scale, int displacement, boolean ripRelative, Label target) {
        if (base != null && base.isHighByte() || index != null && index.isHighByte()) {
            throw new IllegalArgumentException("ah/ch/dh/bh cannot address memory");
        }
        if (index == Gpr.RSP) throw new IllegalArgumentException("rsp cannot be an index register");
        if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
            throw new IllegalArgumentException("scale must be 1, 2, 4 or 8: " + scale);
        }
        this.base = base;
        this.index = index;
        this.scale = scale;
        this.displacement = displacement;
        this.ripRelative = ripRelative;
        this.target = target;
    }

    /** {@code [base]}. */
    public static Mem of(Gpr base) {
        return new Mem(Objects.requireNonNull(base), null, 1, 0, false, null);
    }

    /** {@code [base + disp]}. */
    public static Mem of(Gpr base, int displacement) {
        return new Mem(Objects.requireNonNull(base), null, 1, displacement, false, null);
    }

    /** {@code [base + index*scale + disp]}. */
    public static Mem of(Gpr base, Gpr index, int scale, int displacement) {
        return new Mem(Objects.requireNonNull(base), Objects.requireNonNull(index), scale, displacement, false, null);
    }

    /** {@code [index*scale + disp32]}, no base register. */
    public static Mem indexed(Gpr index, int scale, int displacement) {
        return new Mem(null, Objects.requireNonNull(index), scale, displacement, false, null);
    }

    /** {@code [disp32]}: an absolute address in the low 2 GiB (sign-extended). */
    public static Mem absolute(int address) {
        return new Mem(null, null, 1, address, false, null);
    }

    /** {@code [rip + disp32]}, relative to the end of the instruction. */
    public static Mem rip(int displacement) {
        return new Mem(null, null, 1, displacement, true, null);
    }

    /** {@code [rip + (label - end of instruction)]}: a reference to a label in the same code buffer. */
    public static Mem rip(Label target) {
        return new Mem(null, null, 1, 0, true, Objects.requireNonNull(target));
    }

    /** The base register, or null. */
    public Gpr base() {
        return base;
    }

    /** The index register, or null. */
    public Gpr index() {
        return index;
    }

    /** 1, 2, 4 or 8. */
    public int scale() {
        return scale;
    }

    /** The displacement (for a label reference: 0). */
    public int displacement() {
        return displacement;
    }

    /** Whether this operand is RIP-relative. */
    public boolean isRipRelative() {
        return ripRelative;
    }

    /** The label this RIP-relative operand refers to, or null. */
    public Label target() {
        return target;
    }

    /** This operand with {@code delta} added to its displacement. */
    public Mem plus(int delta) {
        if (target != null) throw new IllegalStateException("cannot offset a label reference");
        return new Mem(base, index, scale, displacement + delta, ripRelative, null);
    }

    /** REX.X: the index register is r8..r15. */
    int rexX() {
        return index != null && index.isExtended() ? 1 : 0;
    }

    /** REX.B: the base register is r8..r15. */
    int rexB() {
        return base != null && base.isExtended() ? 1 : 0;
    }

    /**
     * Emits ModRM, SIB and displacement. {@code regField} is the 3-bit ModRM.reg value (register low bits or an
     * opcode extension); {@code trailingBytes} is the size of the immediate that follows, so that a RIP-relative
     * displacement can be computed from the end of the instruction.
     */
    void encode(CodeBuffer buffer, int regField, int trailingBytes) {
        int reg = (regField & 7) << 3;
        if (ripRelative) {
            buffer.emit8(reg | 0b101);
            int field = buffer.position();
            buffer.emit32(displacement);
            if (target != null) target.reference(buffer, field, 4, field + 4 + trailingBytes);
            return;
        }
        if (base == null) {
            buffer.emit8(reg | 0b100);
            int indexBits = index == null ? 0b100 : index.low3();
            buffer.emit8(scaleBits() << 6 | indexBits << 3 | 0b101);
            buffer.emit32(displacement);
            return;
        }
        int mod;
        if (displacement == 0 && base.low3() != 0b101) mod = 0b00;
        else if (displacement >= -128 && displacement <= 127) mod = 0b01;
        else mod = 0b10;
        boolean sib = index != null || base.low3() == 0b100;
        buffer.emit8(mod << 6 | reg | (sib ? 0b100 : base.low3()));
        if (sib) {
            int indexBits = index == null ? 0b100 : index.low3();
            buffer.emit8(scaleBits() << 6 | indexBits << 3 | base.low3());
        }
        if (mod == 0b01) buffer.emit8(displacement);
        else if (mod == 0b10) buffer.emit32(displacement);
    }

    private int scaleBits() {
        return Integer.numberOfTrailingZeros(scale);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        if (ripRelative) sb.append("rip");
        if (base != null) sb.append(base.nameAt(OperandSize.QWORD));
        if (index != null) {
            if (sb.length() > 1) sb.append('+');
            sb.append(index.nameAt(OperandSize.QWORD)).append('*').append(scale);
        }
        boolean hasRegister = sb.length() > 1;
        if (target != null) {
            sb.append("+label");
        } else if (hasRegister && displacement != 0) {
            sb.append(displacement < 0 ? "-0x" : "+0x").append(Long.toHexString(Math.abs((long) displacement)));
        } else if (!hasRegister) {
            sb.append("0x").append(Integer.toHexString(displacement));
        }
        return sb.append(']').toString();
    }
}
