package dev.isthmus.x64;

import static dev.isthmus.x64.Opcode.BYTE_FORM;
import static dev.isthmus.x64.Opcode.DEFAULT_64;
import static dev.isthmus.x64.Opcode.REG;

/**
 * The encoding table for every instruction form that is not part of an operation family
 * ({@link AluOp}, {@link ShiftOp}, {@link UnaryOp}, {@link BitOp}, {@link SseOp}). One row per form; the names say the
 * operand form: {@code RM} = reg, r/m; {@code MR} = r/m, reg; {@code MI} = r/m, imm; {@code OI} = register in
 * opcode, imm; {@code M} = r/m only; {@code O} = register in opcode.
 */
final class Opcodes {
    private Opcodes() {
    }

    // data movement
    static final Opcode MOV_MR = Opcode.of("mov", 0x89, REG, BYTE_FORM);
    static final Opcode MOV_RM = Opcode.of("mov", 0x8B, REG, BYTE_FORM);
    static final Opcode MOV_MI = Opcode.of("mov", 0xC7, 0, BYTE_FORM);
    static final Opcode MOV_OI = Opcode.of("mov", 0xB8, REG, 0);
    static final Opcode MOV_OI8 = Opcode.of("mov", 0xB0, REG, 0);
    static final Opcode MOVZX_B = Opcode.twoByte("movzx", 0, 0xB6, REG, 0);
    static final Opcode MOVZX_W = Opcode.twoByte("movzx", 0, 0xB7, REG, 0);
    static final Opcode MOVSX_B = Opcode.twoByte("movsx", 0, 0xBE, REG, 0);
    static final Opcode MOVSX_W = Opcode.twoByte("movsx", 0, 0xBF, REG, 0);
    static final Opcode MOVSXD = Opcode.of("movsxd", 0x63, REG, 0);
    static final Opcode LEA = Opcode.of("lea", 0x8D, REG, 0);
    static final Opcode XCHG_MR = Opcode.of("xchg", 0x87, REG, BYTE_FORM);
    static final Opcode XCHG_O = Opcode.of("xchg", 0x90, REG, 0);
    static final Opcode BSWAP_O = Opcode.twoByte("bswap", 0, 0xC8, REG, 0);
    static final Opcode CMOV_RM = Opcode.twoByte("cmov", 0, 0x40, REG, 0);
    static final Opcode SET_M = Opcode.twoByte("set", 0, 0x90, 0, 0);

    // arithmetic beyond the families
    static final Opcode TEST_MR = Opcode.of("test", 0x85, REG, BYTE_FORM);
    static final Opcode TEST_MI = Opcode.of("test", 0xF7, 0, BYTE_FORM);
    static final Opcode TEST_AI = Opcode.of("test", 0xA9, REG, BYTE_FORM);
    static final Opcode IMUL_RM = Opcode.twoByte("imul", 0, 0xAF, REG, 0);
    static final Opcode IMUL_RMI = Opcode.of("imul", 0x69, REG, 0);
    static final Opcode IMUL_RMI8 = Opcode.of("imul", 0x6B, REG, 0);
    static final Opcode CDQ = Opcode.of("cdq", 0x99, REG, 0);

    // string operations (bulk memory): F3 is the rep prefix here
    static final Opcode REP_MOVSB = new Opcode("rep movsb", 0xF3, 0, 0xA4, REG, 0);
    static final Opcode REP_STOSB = new Opcode("rep stosb", 0xF3, 0, 0xAA, REG, 0);
    static final Opcode STD = Opcode.of("std", 0xFD, REG, 0);
    static final Opcode CLD = Opcode.of("cld", 0xFC, REG, 0);
    static final Opcode XADD_MR = Opcode.twoByte("xadd", 0, 0xC1, REG, BYTE_FORM);
    static final Opcode CMPXCHG_MR = Opcode.twoByte("cmpxchg", 0, 0xB1, REG, BYTE_FORM);

    // stack and control flow
    static final Opcode PUSH_O = Opcode.of("push", 0x50, REG, DEFAULT_64);
    static final Opcode POP_O = Opcode.of("pop", 0x58, REG, DEFAULT_64);
    static final Opcode PUSH_M = Opcode.of("push", 0xFF, 6, DEFAULT_64);
    static final Opcode POP_M = Opcode.of("pop", 0x8F, 0, DEFAULT_64);
    static final Opcode PUSH_I = Opcode.of("push", 0x68, REG, DEFAULT_64);
    static final Opcode PUSH_I8 = Opcode.of("push", 0x6A, REG, DEFAULT_64);
    static final Opcode CALL_M = Opcode.of("call", 0xFF, 2, DEFAULT_64);
    static final Opcode JMP_M = Opcode.of("jmp", 0xFF, 4, DEFAULT_64);
    static final Opcode RET = Opcode.of("ret", 0xC3, REG, 0);
    static final Opcode INT3 = Opcode.of("int3", 0xCC, REG, 0);
    static final Opcode UD2 = Opcode.twoByte("ud2", 0, 0x0B, REG, 0);
    static final Opcode SYSCALL = Opcode.twoByte("syscall", 0, 0x05, REG, 0);
    static final Opcode MFENCE = Opcode.twoByte("mfence", 0, 0xAE, 6, 0);
    static final Opcode CPUID = Opcode.twoByte("cpuid", 0, 0xA2, REG, 0);
    /** {@code 0F 01 D0}: ModRM 11 010 000 with the extension 2 and rm = 0. */
    static final Opcode XGETBV = Opcode.twoByte("xgetbv", 0, 0x01, 2, 0);

    // SSE moves between register files, conversions, rounding
    static final Opcode MOVD_XMM_GPR = Opcode.twoByte("movd", 0x66, 0x6E, REG, 0);
    static final Opcode MOVD_GPR_XMM = Opcode.twoByte("movd", 0x66, 0x7E, REG, 0);
    static final Opcode MOVSS_STORE = Opcode.twoByte("movss", 0xF3, 0x11, REG, 0);
    static final Opcode MOVSD_STORE = Opcode.twoByte("movsd", 0xF2, 0x11, REG, 0);
    static final Opcode MOVAPS_STORE = Opcode.twoByte("movaps", 0, 0x29, REG, 0);
    static final Opcode CVTSI2SS = Opcode.twoByte("cvtsi2ss", 0xF3, 0x2A, REG, 0);
    static final Opcode CVTSI2SD = Opcode.twoByte("cvtsi2sd", 0xF2, 0x2A, REG, 0);
    static final Opcode CVTTSS2SI = Opcode.twoByte("cvttss2si", 0xF3, 0x2C, REG, 0);
    static final Opcode CVTTSD2SI = Opcode.twoByte("cvttsd2si", 0xF2, 0x2C, REG, 0);
    static final Opcode ROUNDSS = new Opcode("roundss", 0x66, 0x0F3A, 0x0A, REG, 0);
    static final Opcode ROUNDSD = new Opcode("roundsd", 0x66, 0x0F3A, 0x0B, REG, 0);
}
