package dev.isthmus.x64;

import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static dev.isthmus.x64.OperandSize.WORD;

/**
 * An x86-64 assembler: thin named entry points over the operand-form emitters of {@link Encoder}, with encodings
 * kept as data ({@link Opcodes}, {@link AluOp}, {@link ShiftOp}, {@link UnaryOp}, {@link BitOp}, {@link SseOp}).
 * It only encodes: no prologues, no idioms, no register allocation.
 *
 * <p>Conventions: Intel operand order, destination first ({@code mov(QWORD, RAX, RBX)} is {@code mov rax, rbx});
 * the {@link OperandSize} comes first where the width is not implied by the operands. Register-to-register integer
 * forms use the "r/m, reg" opcode (0x89, 0x01, ...), as GNU as does. Immediates are validated against the width.
 *
 * <p>Branches to labels: a branch to an already bound label (backward) uses the short rel8 form when it reaches and
 * rel32 otherwise. A branch to an unbound label (forward) is rel32 with {@link #jmp(Label)}/{@link #jcc(Cond, Label)};
 * the caller may choose rel8 with {@link #jmpShort(Label)}/{@link #jccShort(Cond, Label)}, which fail with
 * {@link IllegalStateException} at {@link #bind(Label)} if the target turns out to be out of range.
 *
 * <p>Constants ({@link #constant64(long)} etc.) are laid out after the code by {@link #finish()}; the result is
 * position-independent (all references inside the buffer are relative).
 */
public final class Assembler {
    private static final byte[][] NOPS = {
            {},
            {(byte) 0x90},
            {0x66, (byte) 0x90},
            {0x0F, 0x1F, 0x00},
            {0x0F, 0x1F, 0x40, 0x00},
            {0x0F, 0x1F, 0x44, 0x00, 0x00},
            {0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00},
            {0x0F, 0x1F, (byte) 0x80, 0x00, 0x00, 0x00, 0x00},
            {0x0F, 0x1F, (byte) 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
            {0x66, 0x0F, 0x1F, (byte) 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    };

    private final CodeBuffer buffer = new CodeBuffer();
    private final Encoder encoder = new Encoder(buffer);
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

    // ---------------------------------------------------------------- data movement

    /** {@code mov dst, src} between registers. */
    public void mov(OperandSize size, Gpr dst, Gpr src) {
        encoder.registerForm(Opcodes.MOV_MR, size, src, dst, 0, 0);
    }

    /** {@code mov dst, [mem]}: a load of {@code size} bytes (a 32-bit load zero-extends to 64 bits). */
    public void mov(OperandSize size, Gpr dst, Mem src) {
        encoder.memoryForm(Opcodes.MOV_RM, size, dst, src, 0, 0);
    }

    /** {@code mov [mem], src}: a store of {@code size} bytes. */
    public void mov(OperandSize size, Mem dst, Gpr src) {
        encoder.memoryForm(Opcodes.MOV_MR, size, src, dst, 0, 0);
    }

    /**
     * {@code mov dst, imm}: {@code B0+r}/{@code B8+r} for 8/16/32 bits; for {@code QWORD} the sign-extended imm32
     * form {@code C7 /0} (use {@link #movabs} for a full 64-bit value).
     */
    public void mov(OperandSize size, Gpr dst, long imm) {
        checkImmediate(size, imm);
        switch (size) {
            case BYTE -> encoder.opcodeRegisterForm(Opcodes.MOV_OI8, BYTE, dst, 1, imm);
            case WORD, DWORD -> encoder.opcodeRegisterForm(Opcodes.MOV_OI, size, dst, size.bytes(), imm);
            case QWORD -> encoder.registerForm(Opcodes.MOV_MI, QWORD, null, dst, 4, imm);
        }
    }

    /** {@code mov [mem], imm} ({@code C6/C7 /0}; for {@code QWORD} a sign-extended imm32). */
    public void mov(OperandSize size, Mem dst, long imm) {
        checkImmediate(size, imm);
        encoder.memoryForm(Opcodes.MOV_MI, size, null, dst, size.immediateBytes(), imm);
    }

    /** {@code mov dst, imm64} ({@code REX.W B8+r io}), the only instruction with a 64-bit immediate. */
    public void movabs(Gpr dst, long imm) {
        encoder.opcodeRegisterForm(Opcodes.MOV_OI, QWORD, dst, 8, imm);
    }

    /** {@code movzx dst, src}: zero-extends a BYTE or WORD register into a wider one. */
    public void movzx(OperandSize dstSize, Gpr dst, OperandSize srcSize, Gpr src) {
        encoder.registerForm(extension(Opcodes.MOVZX_B, Opcodes.MOVZX_W, dstSize, srcSize), dstSize, dst, dstSize, src, srcSize, 0, 0);
    }

    /** {@code movzx dst, byte/word ptr [mem]}: a zero-extending load. */
    public void movzx(OperandSize dstSize, Gpr dst, OperandSize srcSize, Mem src) {
        encoder.memoryForm(extension(Opcodes.MOVZX_B, Opcodes.MOVZX_W, dstSize, srcSize), dstSize, dst, src, 0, 0);
    }

    /** {@code movsx dst, src}: sign-extends a BYTE or WORD register into a wider one. */
    public void movsx(OperandSize dstSize, Gpr dst, OperandSize srcSize, Gpr src) {
        encoder.registerForm(extension(Opcodes.MOVSX_B, Opcodes.MOVSX_W, dstSize, srcSize), dstSize, dst, dstSize, src, srcSize, 0, 0);
    }

    /** {@code movsx dst, byte/word ptr [mem]}: a sign-extending load. */
    public void movsx(OperandSize dstSize, Gpr dst, OperandSize srcSize, Mem src) {
        encoder.memoryForm(extension(Opcodes.MOVSX_B, Opcodes.MOVSX_W, dstSize, srcSize), dstSize, dst, src, 0, 0);
    }

    /** {@code movsxd dst64, src32}: sign-extends a 32-bit register into a 64-bit one. */
    public void movsxd(Gpr dst, Gpr src) {
        encoder.registerForm(Opcodes.MOVSXD, QWORD, dst, QWORD, src, DWORD, 0, 0);
    }

    /** {@code movsxd dst64, dword ptr [mem]}: a sign-extending 32-bit load. */
    public void movsxd(Gpr dst, Mem src) {
        encoder.memoryForm(Opcodes.MOVSXD, QWORD, dst, src, 0, 0);
    }

    /** {@code lea dst, [mem]}: the address, not the contents. */
    public void lea(OperandSize size, Gpr dst, Mem src) {
        encoder.memoryForm(Opcodes.LEA, size, dst, src, 0, 0);
    }

    /**
     * {@code xchg a, b}; uses the one-byte {@code 90+r} form when exactly one operand is the accumulator
     * ({@code 90} itself is {@code nop}, which would not zero-extend {@code xchg eax, eax}).
     */
    public void xchg(OperandSize size, Gpr a, Gpr b) {
        boolean shortForm = size != BYTE && a != b && (a == Gpr.RAX || b == Gpr.RAX);
        if (shortForm) encoder.opcodeRegisterForm(Opcodes.XCHG_O, size, a == Gpr.RAX ? b : a, 0, 0);
        else encoder.registerForm(Opcodes.XCHG_MR, size, b, a, 0, 0);
    }

    /** {@code xchg [mem], src} (implicitly locked by the CPU). */
    public void xchg(OperandSize size, Mem a, Gpr b) {
        encoder.memoryForm(Opcodes.XCHG_MR, size, b, a, 0, 0);
    }

    /** {@code bswap reg} (DWORD or QWORD). */
    public void bswap(OperandSize size, Gpr reg) {
        requireSize(size, DWORD, QWORD);
        encoder.opcodeRegisterForm(Opcodes.BSWAP_O, size, reg, 0, 0);
    }

    /** {@code cmovcc dst, src} (WORD, DWORD or QWORD). */
    public void cmov(Cond cond, OperandSize size, Gpr dst, Gpr src) {
        requireSize(size, WORD, DWORD, QWORD);
        encoder.registerForm(Opcodes.CMOV_RM.plus(cond.code()), size, dst, src, 0, 0);
    }

    /** {@code cmovcc dst, [mem]} (WORD, DWORD or QWORD). */
    public void cmov(Cond cond, OperandSize size, Gpr dst, Mem src) {
        requireSize(size, WORD, DWORD, QWORD);
        encoder.memoryForm(Opcodes.CMOV_RM.plus(cond.code()), size, dst, src, 0, 0);
    }

    /** {@code setcc dst8}: writes 1 or 0 to a byte register. */
    public void set(Cond cond, Gpr dst) {
        encoder.registerForm(Opcodes.SET_M.plus(cond.code()), DWORD, null, DWORD, dst, BYTE, 0, 0);
    }

    /** {@code setcc byte ptr [mem]}. */
    public void set(Cond cond, Mem dst) {
        encoder.memoryForm(Opcodes.SET_M.plus(cond.code()), DWORD, null, dst, 0, 0);
    }

    // ---------------------------------------------------------------- integer arithmetic

    /** {@code op dst, src} for any {@link AluOp} between registers. */
    public void alu(AluOp op, OperandSize size, Gpr dst, Gpr src) {
        encoder.registerForm(op.memoryRegister, size, src, dst, 0, 0);
    }

    /** {@code op dst, [mem]}. */
    public void alu(AluOp op, OperandSize size, Gpr dst, Mem src) {
        encoder.memoryForm(op.registerMemory, size, dst, src, 0, 0);
    }

    /** {@code op [mem], src}. */
    public void alu(AluOp op, OperandSize size, Mem dst, Gpr src) {
        encoder.memoryForm(op.memoryRegister, size, src, dst, 0, 0);
    }

    /**
     * {@code op dst, imm}: the sign-extended imm8 form ({@code 83 /n}) when the value fits, else the accumulator
     * short form for al/ax/eax/rax, else {@code 81 /n} with a 16- or 32-bit immediate (sign-extended for QWORD).
     */
    public void alu(AluOp op, OperandSize size, Gpr dst, long imm) {
        checkImmediate(size, imm);
        if (size != BYTE && fitsSigned8(size, imm)) {
            encoder.registerForm(op.immediate8, size, null, dst, 1, imm);
        } else if (dst == Gpr.RAX) {
            encoder.noOperandForm(op.accumulatorImmediate, size, size.immediateBytes(), imm);
        } else {
            encoder.registerForm(op.immediate, size, null, dst, size.immediateBytes(), imm);
        }
    }

    /** {@code op [mem], imm}: imm8 form when it fits, else a full-width (at most 32-bit, sign-extended) immediate. */
    public void alu(AluOp op, OperandSize size, Mem dst, long imm) {
        checkImmediate(size, imm);
        if (size != BYTE && fitsSigned8(size, imm)) encoder.memoryForm(op.immediate8, size, null, dst, 1, imm);
        else encoder.memoryForm(op.immediate, size, null, dst, size.immediateBytes(), imm);
    }

    /** {@code add dst, src}. */
    public void add(OperandSize size, Gpr dst, Gpr src) { alu(AluOp.ADD, size, dst, src); }

    /** {@code add dst, [mem]}. */
    public void add(OperandSize size, Gpr dst, Mem src) { alu(AluOp.ADD, size, dst, src); }

    /** {@code add [mem], src}. */
    public void add(OperandSize size, Mem dst, Gpr src) { alu(AluOp.ADD, size, dst, src); }

    /** {@code add dst, imm}. */
    public void add(OperandSize size, Gpr dst, long imm) { alu(AluOp.ADD, size, dst, imm); }

    /** {@code add [mem], imm}. */
    public void add(OperandSize size, Mem dst, long imm) { alu(AluOp.ADD, size, dst, imm); }

    /** {@code sub dst, src}. */
    public void sub(OperandSize size, Gpr dst, Gpr src) { alu(AluOp.SUB, size, dst, src); }

    /** {@code sub dst, [mem]}. */
    public void sub(OperandSize size, Gpr dst, Mem src) { alu(AluOp.SUB, size, dst, src); }

    /** {@code sub [mem], src}. */
    public void sub(OperandSize size, Mem dst, Gpr src) { alu(AluOp.SUB, size, dst, src); }

    /** {@code sub dst, imm}. */
    public void sub(OperandSize size, Gpr dst, long imm) { alu(AluOp.SUB, size, dst, imm); }

    /** {@code sub [mem], imm}. */
    public void sub(OperandSize size, Mem dst, long imm) { alu(AluOp.SUB, size, dst, imm); }

    /** {@code cmp a, b}. */
    public void cmp(OperandSize size, Gpr a, Gpr b) { alu(AluOp.CMP, size, a, b); }

    /** {@code cmp a, [mem]}. */
    public void cmp(OperandSize size, Gpr a, Mem b) { alu(AluOp.CMP, size, a, b); }

    /** {@code cmp [mem], b}. */
    public void cmp(OperandSize size, Mem a, Gpr b) { alu(AluOp.CMP, size, a, b); }

    /** {@code cmp a, imm}. */
    public void cmp(OperandSize size, Gpr a, long imm) { alu(AluOp.CMP, size, a, imm); }

    /** {@code cmp [mem], imm}. */
    public void cmp(OperandSize size, Mem a, long imm) { alu(AluOp.CMP, size, a, imm); }

    /** {@code and dst, src}. */
    public void and(OperandSize size, Gpr dst, Gpr src) { alu(AluOp.AND, size, dst, src); }

    /** {@code and dst, imm}. */
    public void and(OperandSize size, Gpr dst, long imm) { alu(AluOp.AND, size, dst, imm); }

    /** {@code or dst, src}. */
    public void or(OperandSize size, Gpr dst, Gpr src) { alu(AluOp.OR, size, dst, src); }

    /** {@code or dst, imm}. */
    public void or(OperandSize size, Gpr dst, long imm) { alu(AluOp.OR, size, dst, imm); }

    /** {@code xor dst, src}. */
    public void xor(OperandSize size, Gpr dst, Gpr src) { alu(AluOp.XOR, size, dst, src); }

    /** {@code xor dst, imm}. */
    public void xor(OperandSize size, Gpr dst, long imm) { alu(AluOp.XOR, size, dst, imm); }

    /** {@code test a, b}. */
    public void test(OperandSize size, Gpr a, Gpr b) {
        encoder.registerForm(Opcodes.TEST_MR, size, b, a, 0, 0);
    }

    /** {@code test [mem], b}. */
    public void test(OperandSize size, Mem a, Gpr b) {
        encoder.memoryForm(Opcodes.TEST_MR, size, b, a, 0, 0);
    }

    /** {@code test a, imm} (accumulator short form {@code A8/A9} for al/ax/eax/rax). */
    public void test(OperandSize size, Gpr a, long imm) {
        checkImmediate(size, imm);
        if (a == Gpr.RAX) encoder.noOperandForm(Opcodes.TEST_AI, size, size.immediateBytes(), imm);
        else encoder.registerForm(Opcodes.TEST_MI, size, null, a, size.immediateBytes(), imm);
    }

    /** {@code test [mem], imm}. */
    public void test(OperandSize size, Mem a, long imm) {
        checkImmediate(size, imm);
        encoder.memoryForm(Opcodes.TEST_MI, size, null, a, size.immediateBytes(), imm);
    }

    /** One-operand operation ({@link UnaryOp}: inc, dec, not, neg, mul, imul, div, idiv) on a register. */
    public void unary(UnaryOp op, OperandSize size, Gpr operand) {
        encoder.registerForm(op.opcode, size, null, operand, 0, 0);
    }

    /** One-operand operation on memory. */
    public void unary(UnaryOp op, OperandSize size, Mem operand) {
        encoder.memoryForm(op.opcode, size, null, operand, 0, 0);
    }

    /** {@code inc reg}. */
    public void inc(OperandSize size, Gpr reg) { unary(UnaryOp.INC, size, reg); }

    /** {@code dec reg}. */
    public void dec(OperandSize size, Gpr reg) { unary(UnaryOp.DEC, size, reg); }

    /** {@code neg reg}. */
    public void neg(OperandSize size, Gpr reg) { unary(UnaryOp.NEG, size, reg); }

    /** {@code not reg}. */
    public void not(OperandSize size, Gpr reg) { unary(UnaryOp.NOT, size, reg); }

    /** {@code div reg}: unsigned rdx:rax / reg. */
    public void div(OperandSize size, Gpr divisor) { unary(UnaryOp.DIV, size, divisor); }

    /** {@code idiv reg}: signed rdx:rax / reg. */
    public void idiv(OperandSize size, Gpr divisor) { unary(UnaryOp.IDIV, size, divisor); }

    /** {@code imul dst, src} (two-operand, WORD/DWORD/QWORD). */
    public void imul(OperandSize size, Gpr dst, Gpr src) {
        requireSize(size, WORD, DWORD, QWORD);
        encoder.registerForm(Opcodes.IMUL_RM, size, dst, src, 0, 0);
    }

    /** {@code imul dst, [mem]}. */
    public void imul(OperandSize size, Gpr dst, Mem src) {
        requireSize(size, WORD, DWORD, QWORD);
        encoder.memoryForm(Opcodes.IMUL_RM, size, dst, src, 0, 0);
    }

    /** {@code imul dst, src, imm} (three-operand; imm8 form when it fits). */
    public void imul(OperandSize size, Gpr dst, Gpr src, long imm) {
        requireSize(size, WORD, DWORD, QWORD);
        checkImmediate(size, imm);
        if (fitsSigned8(size, imm)) encoder.registerForm(Opcodes.IMUL_RMI8, size, dst, src, 1, imm);
        else encoder.registerForm(Opcodes.IMUL_RMI, size, dst, src, size.immediateBytes(), imm);
    }

    /** {@code imul dst, [mem], imm}. */
    public void imul(OperandSize size, Gpr dst, Mem src, long imm) {
        requireSize(size, WORD, DWORD, QWORD);
        checkImmediate(size, imm);
        if (fitsSigned8(size, imm)) encoder.memoryForm(Opcodes.IMUL_RMI8, size, dst, src, 1, imm);
        else encoder.memoryForm(Opcodes.IMUL_RMI, size, dst, src, size.immediateBytes(), imm);
    }

    /** {@code cdq}: sign-extends eax into edx:eax (before a 32-bit idiv). */
    public void cdq() {
        encoder.noOperandForm(Opcodes.CDQ, DWORD, 0, 0);
    }

    /** {@code cqo}: sign-extends rax into rdx:rax (before a 64-bit idiv). */
    public void cqo() {
        encoder.noOperandForm(Opcodes.CDQ, QWORD, 0, 0);
    }

    /** Shift or rotate by an immediate count ({@code D1 /n} for a count of 1, else {@code C1 /n ib}). */
    public void shift(ShiftOp op, OperandSize size, Gpr operand, int count) {
        if (count < 0 || count > 255) throw new IllegalArgumentException("shift count must fit in a byte: " + count);
        if (count == 1) encoder.registerForm(op.byOne, size, null, operand, 0, 0);
        else encoder.registerForm(op.byImmediate, size, null, operand, 1, count);
    }

    /** Shift or rotate memory by an immediate count. */
    public void shift(ShiftOp op, OperandSize size, Mem operand, int count) {
        if (count < 0 || count > 255) throw new IllegalArgumentException("shift count must fit in a byte: " + count);
        if (count == 1) encoder.memoryForm(op.byOne, size, null, operand, 0, 0);
        else encoder.memoryForm(op.byImmediate, size, null, operand, 1, count);
    }

    /** Shift or rotate by {@code cl}. */
    public void shiftByCl(ShiftOp op, OperandSize size, Gpr operand) {
        encoder.registerForm(op.byCl, size, null, operand, 0, 0);
    }

    /** Shift or rotate memory by {@code cl}. */
    public void shiftByCl(ShiftOp op, OperandSize size, Mem operand) {
        encoder.memoryForm(op.byCl, size, null, operand, 0, 0);
    }

    /** Bit counting/scanning ({@link BitOp}) {@code dst, src} (WORD, DWORD or QWORD). */
    public void bitOp(BitOp op, OperandSize size, Gpr dst, Gpr src) {
        requireSize(size, WORD, DWORD, QWORD);
        encoder.registerForm(op.opcode, size, dst, src, 0, 0);
    }

    /** Bit counting/scanning {@code dst, [mem]}. */
    public void bitOp(BitOp op, OperandSize size, Gpr dst, Mem src) {
        requireSize(size, WORD, DWORD, QWORD);
        encoder.memoryForm(op.opcode, size, dst, src, 0, 0);
    }

    /** {@code lock add [mem], src}. */
    public void lockAdd(OperandSize size, Mem dst, Gpr src) {
        encoder.lockNext();
        alu(AluOp.ADD, size, dst, src);
    }

    /** {@code lock add [mem], imm}. */
    public void lockAdd(OperandSize size, Mem dst, long imm) {
        encoder.lockNext();
        alu(AluOp.ADD, size, dst, imm);
    }

    /** {@code lock xadd [mem], src}: src receives the old value, memory the sum. */
    public void lockXadd(OperandSize size, Mem dst, Gpr src) {
        encoder.lockNext();
        encoder.memoryForm(Opcodes.XADD_MR, size, src, dst, 0, 0);
    }

    /** {@code lock cmpxchg [mem], src}: if [mem] == rax then [mem] = src, else rax = [mem]; ZF tells which. */
    public void lockCmpxchg(OperandSize size, Mem dst, Gpr src) {
        encoder.lockNext();
        encoder.memoryForm(Opcodes.CMPXCHG_MR, size, src, dst, 0, 0);
    }

    // ---------------------------------------------------------------- stack and control flow

    /** {@code push reg} (64-bit). */
    public void push(Gpr reg) {
        encoder.opcodeRegisterForm(Opcodes.PUSH_O, QWORD, reg, 0, 0);
    }

    /** {@code pop reg} (64-bit). */
    public void pop(Gpr reg) {
        encoder.opcodeRegisterForm(Opcodes.POP_O, QWORD, reg, 0, 0);
    }

    /** {@code push qword ptr [mem]}. */
    public void push(Mem src) {
        encoder.memoryForm(Opcodes.PUSH_M, QWORD, null, src, 0, 0);
    }

    /** {@code pop qword ptr [mem]}. */
    public void pop(Mem dst) {
        encoder.memoryForm(Opcodes.POP_M, QWORD, null, dst, 0, 0);
    }

    /** {@code push imm} (sign-extended to 64 bits; imm8 form when it fits). */
    public void push(int imm) {
        if (imm >= -128 && imm <= 127) encoder.noOperandForm(Opcodes.PUSH_I8, QWORD, 1, imm);
        else encoder.noOperandForm(Opcodes.PUSH_I, QWORD, 4, imm);
    }

    /** {@code call rel32} to a label. */
    public void call(Label target) {
        buffer.emit8(0xE8);
        relative32(target);
    }

    /** {@code call reg}. */
    public void call(Gpr target) {
        encoder.registerForm(Opcodes.CALL_M, QWORD, null, target, 0, 0);
    }

    /** {@code call qword ptr [mem]}. */
    public void call(Mem target) {
        encoder.memoryForm(Opcodes.CALL_M, QWORD, null, target, 0, 0);
    }

    /** {@code jmp} to a label: rel8 if already bound and in reach, else rel32 (see the class comment). */
    public void jmp(Label target) {
        if (reachesShort(target, 2)) {
            jmpShort(target);
        } else {
            buffer.emit8(0xE9);
            relative32(target);
        }
    }

    /** {@code jmp rel8} to a label; the caller asserts it reaches (checked when the label is bound). */
    public void jmpShort(Label target) {
        buffer.emit8(0xEB);
        relative8(target);
    }

    /** {@code jmp reg}. */
    public void jmp(Gpr target) {
        encoder.registerForm(Opcodes.JMP_M, QWORD, null, target, 0, 0);
    }

    /** {@code jmp qword ptr [mem]}. */
    public void jmp(Mem target) {
        encoder.memoryForm(Opcodes.JMP_M, QWORD, null, target, 0, 0);
    }

    /** {@code jcc} to a label: rel8 if already bound and in reach, else rel32 (see the class comment). */
    public void jcc(Cond cond, Label target) {
        if (reachesShort(target, 2)) {
            jccShort(cond, target);
        } else {
            buffer.emit8(0x0F);
            buffer.emit8(0x80 + cond.code());
            relative32(target);
        }
    }

    /** {@code jcc rel8} to a label; the caller asserts it reaches (checked when the label is bound). */
    public void jccShort(Cond cond, Label target) {
        buffer.emit8(0x70 + cond.code());
        relative8(target);
    }

    /** {@code ret}. */
    public void ret() {
        encoder.noOperandForm(Opcodes.RET, DWORD, 0, 0);
    }

    /** {@code ud2}: the guaranteed invalid-opcode trap. */
    public void ud2() {
        encoder.noOperandForm(Opcodes.UD2, DWORD, 0, 0);
    }

    /** {@code syscall}: Linux system call (number in rax, arguments in rdi, rsi, rdx, r10, r8, r9; clobbers rcx, r11). */
    public void syscall() {
        encoder.noOperandForm(Opcodes.SYSCALL, DWORD, 0, 0);
    }

    /** {@code mfence}: orders all earlier loads and stores before all later ones. */
    public void mfence() {
        encoder.registerForm(Opcodes.MFENCE, DWORD, null, Gpr.RAX, 0, 0);
    }

    /** {@code int3}: breakpoint trap. */
    public void int3() {
        encoder.noOperandForm(Opcodes.INT3, DWORD, 0, 0);
    }

    /** Emits {@code length} bytes of no-ops, using the recommended multi-byte forms (at most 9 bytes each). */
    public void nop(int length) {
        if (length < 0) throw new IllegalArgumentException("negative nop length");
        while (length > 0) {
            int chunk = Math.min(length, NOPS.length - 1);
            buffer.emitBytes(NOPS[chunk]);
            length -= chunk;
        }
    }

    /** Pads with no-ops until the position is a multiple of {@code alignment} (a power of two). */
    public void align(int alignment) {
        if (Integer.bitCount(alignment) != 1) throw new IllegalArgumentException("alignment must be a power of two");
        nop((alignment - buffer.position() % alignment) % alignment);
    }

    // ---------------------------------------------------------------- SSE scalar floating point

    /** An {@link SseOp} {@code dst, src} between XMM registers. */
    public void sse(SseOp op, Xmm dst, Xmm src) {
        encoder.registerForm(op.opcode, DWORD, dst, src, 0, 0);
    }

    /** An {@link SseOp} {@code dst, [mem]}. */
    public void sse(SseOp op, Xmm dst, Mem src) {
        encoder.memoryForm(op.opcode, DWORD, dst, src, 0, 0);
    }

    /** {@code movss dst, src} (merges the low 32 bits). */
    public void movss(Xmm dst, Xmm src) { sse(SseOp.MOVSS, dst, src); }

    /** {@code movss dst, dword ptr [mem]} (zeroes the rest of dst). */
    public void movss(Xmm dst, Mem src) { sse(SseOp.MOVSS, dst, src); }

    /** {@code movss dword ptr [mem], src}. */
    public void movss(Mem dst, Xmm src) {
        encoder.memoryForm(Opcodes.MOVSS_STORE, DWORD, src, dst, 0, 0);
    }

    /** {@code movsd dst, src} (merges the low 64 bits). */
    public void movsd(Xmm dst, Xmm src) { sse(SseOp.MOVSD, dst, src); }

    /** {@code movsd dst, qword ptr [mem]} (zeroes the rest of dst). */
    public void movsd(Xmm dst, Mem src) { sse(SseOp.MOVSD, dst, src); }

    /** {@code movsd qword ptr [mem], src}. */
    public void movsd(Mem dst, Xmm src) {
        encoder.memoryForm(Opcodes.MOVSD_STORE, DWORD, src, dst, 0, 0);
    }

    /** {@code movaps xmmword ptr [mem], src} (16-byte aligned store). */
    public void movaps(Mem dst, Xmm src) {
        encoder.memoryForm(Opcodes.MOVAPS_STORE, DWORD, src, dst, 0, 0);
    }

    /** {@code movd dst, src32} / {@code movq dst, src64}: GPR bits into the low lane of an XMM register (size DWORD or QWORD). */
    public void movGprToXmm(OperandSize size, Xmm dst, Gpr src) {
        requireSize(size, DWORD, QWORD);
        encoder.registerForm(Opcodes.MOVD_XMM_GPR, size, dst, src, 0, 0);
    }

    /** {@code movd dst32, src} / {@code movq dst64, src}: the low lane of an XMM register into a GPR. */
    public void movXmmToGpr(OperandSize size, Gpr dst, Xmm src) {
        requireSize(size, DWORD, QWORD);
        encoder.registerForm(Opcodes.MOVD_GPR_XMM, size, src, dst, 0, 0);
    }

    /** {@code cvtsi2ss dst, src} from a signed 32- or 64-bit integer register. */
    public void cvtsi2ss(Xmm dst, OperandSize srcSize, Gpr src) { intToFloat(Opcodes.CVTSI2SS, dst, srcSize, src); }

    /** {@code cvtsi2ss dst, dword/qword ptr [mem]}. */
    public void cvtsi2ss(Xmm dst, OperandSize srcSize, Mem src) { intToFloat(Opcodes.CVTSI2SS, dst, srcSize, src); }

    /** {@code cvtsi2sd dst, src} from a signed 32- or 64-bit integer register. */
    public void cvtsi2sd(Xmm dst, OperandSize srcSize, Gpr src) { intToFloat(Opcodes.CVTSI2SD, dst, srcSize, src); }

    /** {@code cvtsi2sd dst, dword/qword ptr [mem]}. */
    public void cvtsi2sd(Xmm dst, OperandSize srcSize, Mem src) { intToFloat(Opcodes.CVTSI2SD, dst, srcSize, src); }

    /** {@code cvttss2si dst, src}: truncating float to signed 32/64-bit integer (0x80..0 on overflow/NaN). */
    public void cvttss2si(OperandSize dstSize, Gpr dst, Xmm src) { floatToInt(Opcodes.CVTTSS2SI, dstSize, dst, src); }

    /** {@code cvttss2si dst, dword ptr [mem]}. */
    public void cvttss2si(OperandSize dstSize, Gpr dst, Mem src) { floatToInt(Opcodes.CVTTSS2SI, dstSize, dst, src); }

    /** {@code cvttsd2si dst, src}: truncating double to signed 32/64-bit integer. */
    public void cvttsd2si(OperandSize dstSize, Gpr dst, Xmm src) { floatToInt(Opcodes.CVTTSD2SI, dstSize, dst, src); }

    /** {@code cvttsd2si dst, qword ptr [mem]}. */
    public void cvttsd2si(OperandSize dstSize, Gpr dst, Mem src) { floatToInt(Opcodes.CVTTSD2SI, dstSize, dst, src); }

    /** {@code roundss dst, src, mode} (SSE4.1; mode 0 nearest, 1 floor, 2 ceil, 3 trunc; +8 suppresses precision exceptions). */
    public void roundss(Xmm dst, Xmm src, int mode) { round(Opcodes.ROUNDSS, dst, src, mode); }

    /** {@code roundss dst, dword ptr [mem], mode}. */
    public void roundss(Xmm dst, Mem src, int mode) { round(Opcodes.ROUNDSS, dst, src, mode); }

    /** {@code roundsd dst, src, mode} (SSE4.1). */
    public void roundsd(Xmm dst, Xmm src, int mode) { round(Opcodes.ROUNDSD, dst, src, mode); }

    /** {@code roundsd dst, qword ptr [mem], mode}. */
    public void roundsd(Xmm dst, Mem src, int mode) { round(Opcodes.ROUNDSD, dst, src, mode); }

    // ---------------------------------------------------------------- helpers

    private void intToFloat(Opcode op, Xmm dst, OperandSize srcSize, Object src) {
        requireSize(srcSize, DWORD, QWORD);
        if (src instanceof Gpr gpr) encoder.registerForm(op, srcSize, dst, gpr, 0, 0);
        else encoder.memoryForm(op, srcSize, dst, (Mem) src, 0, 0);
    }

    private void floatToInt(Opcode op, OperandSize dstSize, Gpr dst, Object src) {
        requireSize(dstSize, DWORD, QWORD);
        if (src instanceof Xmm xmm) encoder.registerForm(op, dstSize, dst, xmm, 0, 0);
        else encoder.memoryForm(op, dstSize, dst, (Mem) src, 0, 0);
    }

    private void round(Opcode op, Xmm dst, Object src, int mode) {
        if (mode < 0 || mode > 15) throw new IllegalArgumentException("rounding mode must be 0..15: " + mode);
        if (src instanceof Xmm xmm) encoder.registerForm(op, DWORD, dst, xmm, 1, mode);
        else encoder.memoryForm(op, DWORD, dst, (Mem) src, 1, mode);
    }

    private static Opcode extension(Opcode fromByte, Opcode fromWord, OperandSize dstSize, OperandSize srcSize) {
        if (srcSize != BYTE && srcSize != WORD || dstSize.bytes() <= srcSize.bytes()) {
            throw new IllegalArgumentException("cannot extend " + srcSize + " to " + dstSize);
        }
        return srcSize == BYTE ? fromByte : fromWord;
    }

    private boolean reachesShort(Label target, int instructionLength) {
        if (!target.isBound()) return false;
        int displacement = target.position() - (buffer.position() + instructionLength);
        return displacement >= -128 && displacement <= 127;
    }

    private void relative8(Label target) {
        int field = buffer.position();
        buffer.emit8(0);
        target.reference(buffer, field, 1, field + 1);
    }

    private void relative32(Label target) {
        int field = buffer.position();
        buffer.emit32(0);
        target.reference(buffer, field, 4, field + 4);
    }

    private static boolean fitsSigned8(OperandSize size, long imm) {
        long signed = switch (size) {
            case BYTE -> (byte) imm;
            case WORD -> (short) imm;
            case DWORD -> (int) imm;
            case QWORD -> imm;
        };
        return signed >= -128 && signed <= 127;
    }

    private static void checkImmediate(OperandSize size, long imm) {
        if (!size.fitsImmediate(imm)) {
            throw new IllegalArgumentException("immediate " + imm + " does not fit a " + size + " operation");
        }
    }

    private static void requireSize(OperandSize size, OperandSize... allowed) {
        for (OperandSize a : allowed) if (a == size) return;
        throw new IllegalArgumentException("operand size " + size + " not allowed here");
    }

    private void checkOpen() {
        if (finished) throw new IllegalStateException("assembler already finished");
    }

    private static byte[] littleEndian(long value, int count) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) data[i] = (byte) (value >> (8 * i));
        return data;
    }
}
