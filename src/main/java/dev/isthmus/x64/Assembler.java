package dev.isthmus.x64;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * An x86-64 assembler: thin named entry points over the operand-form emitters of {@link Encoder}, with encodings
 * kept as data ({@link Opcodes}, {@link AluOp}, {@link ShiftOp}, {@link UnaryOp}, {@link BitOp}, {@link SseOp},
 * {@link SimdOp}).
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
 *
 * <p>The entry points live in four files: {@code AssemblerBase} (buffer, labels, constants),
 * {@code IntegerInstructions} (general-purpose-register instructions), {@code SimdInstructions} (the 128-bit
 * {@link SimdOp} forms, legacy SSE and VEX) and this class (stack, control flow, scalar SSE).
 */
public final class Assembler extends SimdInstructions {
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
        checkShortReach(target);
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
        checkShortReach(target);
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

    /** {@code cpuid}: processor identification for leaf eax, subleaf ecx into eax, ebx, ecx, edx. */
    public void cpuid() {
        encoder.noOperandForm(Opcodes.CPUID, DWORD, 0, 0);
    }

    /** {@code xgetbv}: extended control register ecx into edx:eax (only when CPUID reports OSXSAVE). */
    public void xgetbv() {
        encoder.registerForm(Opcodes.XGETBV, DWORD, null, Gpr.RAX, 0, 0);
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

    private void intToFloat(Opcode op, Xmm dst, OperandSize srcSize, Gpr src) {
        requireSize(srcSize, DWORD, QWORD);
        encoder.registerForm(op, srcSize, dst, src, 0, 0);
    }

    private void intToFloat(Opcode op, Xmm dst, OperandSize srcSize, Mem src) {
        requireSize(srcSize, DWORD, QWORD);
        encoder.memoryForm(op, srcSize, dst, src, 0, 0);
    }

    private void floatToInt(Opcode op, OperandSize dstSize, Gpr dst, Xmm src) {
        requireSize(dstSize, DWORD, QWORD);
        encoder.registerForm(op, dstSize, dst, src, 0, 0);
    }

    private void floatToInt(Opcode op, OperandSize dstSize, Gpr dst, Mem src) {
        requireSize(dstSize, DWORD, QWORD);
        encoder.memoryForm(op, dstSize, dst, src, 0, 0);
    }

    private void round(Opcode op, Xmm dst, Xmm src, int mode) {
        checkRoundingMode(mode);
        encoder.registerForm(op, DWORD, dst, src, 1, mode);
    }

    private void round(Opcode op, Xmm dst, Mem src, int mode) {
        checkRoundingMode(mode);
        encoder.memoryForm(op, DWORD, dst, src, 1, mode);
    }

    private static void checkRoundingMode(int mode) {
        if (mode < 0 || mode > 15) throw new IllegalArgumentException("rounding mode must be 0..15: " + mode);
    }

    private void checkShortReach(Label target) {
        if (target.isBound() && !reachesShort(target, 2)) {
            throw new IllegalStateException("short (rel8) branch at " + buffer.position() + " cannot reach " + target.position());
        }
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
}
