package dev.isthmus.x64;

import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static dev.isthmus.x64.OperandSize.WORD;

/**
 * The general-purpose-register instructions of the {@link Assembler}: data movement, integer arithmetic, shifts,
 * bit counting, conditional moves and sets, and locked read-modify-write.
 */
abstract class IntegerInstructions extends AssemblerBase {

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

    /**
     * {@code cmp [mem], imm32} always with the full-width immediate, even when it would fit 8 bits: a site whose
     * immediate is patched later (canonical type ids, see {@code runtime.abi.TypeIds}) must hold any 32-bit value.
     */
    public void cmpImm32(OperandSize size, Mem a, int imm) {
        if (size == BYTE || size == WORD) throw new IllegalArgumentException("cmpImm32 is for 32/64-bit operands");
        encoder.memoryForm(AluOp.CMP.immediate, size, null, a, size.immediateBytes(), imm);
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

    /** {@code rep movsb}: copies rcx bytes from [rsi] to [rdi] (backwards when the direction flag is set). */
    public void repMovsb() {
        encoder.noOperandForm(Opcodes.REP_MOVSB, DWORD, 0, 0);
    }

    /** {@code rep stosb}: stores al into rcx bytes from [rdi]. */
    public void repStosb() {
        encoder.noOperandForm(Opcodes.REP_STOSB, DWORD, 0, 0);
    }

    /** {@code std}: sets the direction flag (string operations go down). */
    public void std() {
        encoder.noOperandForm(Opcodes.STD, DWORD, 0, 0);
    }

    /** {@code cld}: clears the direction flag (the ABI's state at every call and return). */
    public void cld() {
        encoder.noOperandForm(Opcodes.CLD, DWORD, 0, 0);
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

    private static Opcode extension(Opcode fromByte, Opcode fromWord, OperandSize dstSize, OperandSize srcSize) {
        if (srcSize != BYTE && srcSize != WORD || dstSize.bytes() <= srcSize.bytes()) {
            throw new IllegalArgumentException("cannot extend " + srcSize + " to " + dstSize);
        }
        return srcSize == BYTE ? fromByte : fromWord;
    }
}
