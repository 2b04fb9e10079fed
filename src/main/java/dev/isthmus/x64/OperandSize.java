package dev.isthmus.x64;

/**
 * The width of an integer operation. It selects the encoding: {@code BYTE} uses the byte opcode of a pair
 * (e.g. 0x88 instead of 0x89), {@code WORD} adds the 0x66 operand-size prefix, {@code QWORD} sets REX.W.
 */
public enum OperandSize {
    BYTE(1, "byte"),
    WORD(2, "word"),
    DWORD(4, "dword"),
    QWORD(8, "qword");

    private final int bytes;
    private final String pointerName;

    OperandSize(int bytes, String pointerName) {
        this.bytes = bytes;
        this.pointerName = pointerName;
    }

    /** Width in bytes (1, 2, 4 or 8). */
    public int bytes() {
        return bytes;
    }

    /** Width in bits. */
    public int bits() {
        return bytes * 8;
    }

    /** The Intel-syntax size keyword of a memory operand of this width ({@code "qword"} for {@code qword ptr}). */
    public String pointerName() {
        return pointerName;
    }

    /** Bytes of an immediate for this width when the instruction takes a full-size one: 1, 2, 4, 4 (imm32 for 64). */
    public int immediateBytes() {
        return Math.min(bytes, 4);
    }

    /** Whether {@code value} is representable as an immediate of this width (sign- or zero-extended as the CPU does). */
    public boolean fitsImmediate(long value) {
        return switch (this) {
            case BYTE -> value >= -128 && value <= 255;
            case WORD -> value >= -32768 && value <= 65535;
            case DWORD -> value >= Integer.MIN_VALUE && value <= 0xFFFF_FFFFL;
            case QWORD -> value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
        };
    }
}
