package dev.isthmus.x64;

/**
 * The state every part of the {@link Assembler} shares: the code buffer, the operand-form {@link Encoder}, the
 * constant pool, and label binding; plus the operand checks used by the instruction groups.
 */
abstract class AssemblerBase {
    final CodeBuffer buffer = new CodeBuffer();
    final Encoder encoder = new Encoder(buffer);
    private final ConstantPool constants = new ConstantPool();
    private boolean finished;

    // ---------------------------------------------------------------- buffer, labels, constants

    /** The offset of the next instruction. */
    public int position() {
        return buffer.position();
    }

    /** A new unbound label (same as {@code new Label()}). */
    public Label newLabel() {
        return new Label();
    }

    /** Binds {@code label} to the current position and patches every branch or reference already made to it. */
    public void bind(Label label) {
        checkOpen();
        label.bind(buffer, buffer.position());
    }

    /** Lays out the constant pool after the code and returns the final machine code. No more emitting afterwards. */
    public byte[] finish() {
        checkOpen();
        constants.emitInto(buffer, 0xCC);
        finished = true;
        return buffer.toByteArray();
    }

    /** The label of a 4-byte constant (aligned to 4) in the pool after the code; refer to it with {@link Mem#rip(Label)}. */
    public Label constant32(int value) {
        return constants.constant(littleEndian(value, 4), 4);
    }

    /** The label of an 8-byte constant (aligned to 8) in the pool after the code. */
    public Label constant64(long value) {
        return constants.constant(littleEndian(value, 8), 8);
    }

    /** The label of a 16-byte constant {@code high:low} (aligned to 16), e.g. a sign mask for {@code andps}. */
    public Label constant128(long low, long high) {
        byte[] data = new byte[16];
        System.arraycopy(littleEndian(low, 8), 0, data, 0, 8);
        System.arraycopy(littleEndian(high, 8), 0, data, 8, 8);
        return constants.constant(data, 16);
    }

    /**
     * The label of a jump table in the pool after the code (aligned to 4): one 32-bit entry per target, holding
     * {@code target - table}, so {@code table + entry} is the target's address wherever the code is mapped. Every
     * target must be bound before {@link #finish()}.
     */
    public Label jumpTable(Label[] targets) {
        checkOpen();
        return constants.jumpTable(targets);
    }

    /**
     * Emits the 32-bit difference {@code target - base} as data, patched when {@code target} is bound; {@code base}
     * must already be bound. For jump tables: entries relative to the table start, added to its address at run time.
     */
    public void emitLabelOffset32(Label target, Label base) {
        checkOpen();
        int field = buffer.position();
        buffer.emit32(0);
        target.reference(buffer, field, 4, base.position());
    }

    /** Emits raw bytes (e.g. data or an encoding this assembler lacks). */
    public void emitBytes(byte... bytes) {
        checkOpen();
        buffer.emitBytes(bytes);
    }

    // ---------------------------------------------------------------- operand checks

    static boolean fitsSigned8(OperandSize size, long imm) {
        long signed = switch (size) {
            case BYTE -> (byte) imm;
            case WORD -> (short) imm;
            case DWORD -> (int) imm;
            case QWORD -> imm;
        };
        return signed >= -128 && signed <= 127;
    }

    static void checkImmediate(OperandSize size, long imm) {
        if (!size.fitsImmediate(imm)) {
            throw new IllegalArgumentException("immediate " + imm + " does not fit a " + size + " operation");
        }
    }

    static void requireSize(OperandSize size, OperandSize... allowed) {
        for (OperandSize a : allowed) if (a == size) return;
        throw new IllegalArgumentException("operand size " + size + " not allowed here");
    }

    void checkOpen() {
        if (finished) throw new IllegalStateException("assembler already finished");
    }

    private static byte[] littleEndian(long value, int count) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) data[i] = (byte) (value >> (8 * i));
        return data;
    }
}
