package dev.isthmus.x64;

/**
 * The operand-form emitters: every instruction the {@link Assembler} knows is one of these shapes, driven by an
 * {@link Opcode} row. This class owns prefix order, REX computation and the REX rules for byte registers.
 *
 * <pre>
 *   [F0 lock] [66 if WORD] [mandatory prefix] [REX 0100WRXB] [map] opcode  ModRM [SIB] [disp] [imm]
 *   REX.W = 64-bit operand size   REX.R = ModRM.reg high bit   REX.X = SIB.index high bit   REX.B = rm/base high bit
 * </pre>
 *
 * Operand sizes are given twice where they differ: {@code size} drives the 0x66 prefix, REX.W and the byte opcode;
 * the per-register sizes drive the spl/bpl/sil/dil and ah/ch/dh/bh rules (e.g. {@code movzx eax, sil}).
 */
final class Encoder {
    private final CodeBuffer buffer;
    private boolean lockNext;

    Encoder(CodeBuffer buffer) {
        this.buffer = buffer;
    }

    /** Makes the next instruction carry the 0xF0 LOCK prefix. */
    void lockNext() {
        lockNext = true;
    }

    /**
     * Register-direct form (ModRM.mod = 11): {@code reg} in ModRM.reg (or the opcode's extension when {@code reg}
     * is null) and {@code rm} in ModRM.rm, followed by an immediate of {@code immBytes} bytes.
     */
    void registerForm(Opcode op, OperandSize size, Register reg, OperandSize regSize, Register rm, OperandSize rmSize,
                      int immBytes, long imm) {
        checkHighByte(reg, regSize);
        checkHighByte(rm, rmSize);
        int rexBits = bit(reg) << 2 | bit(rm);
        boolean force = reg != null && reg.requiresRex(regSize) || rm.requiresRex(rmSize);
        boolean forbid = reg != null && reg.forbidsRex() || rm.forbidsRex();
        prefixes(op, size, rexBits, force, forbid);
        opcodeBytes(op, size, 0);
        buffer.emit8(0b11 << 6 | regField(op, reg) << 3 | rm.low3());
        immediate(immBytes, imm);
    }

    /** Same as {@link #registerForm} with every operand at {@code size}. */
    void registerForm(Opcode op, OperandSize size, Register reg, Register rm, int immBytes, long imm) {
        registerForm(op, size, reg, size, rm, size, immBytes, imm);
    }

    /** Memory form: {@code reg} (or the extension) in ModRM.reg, {@code mem} as ModRM.rm/SIB/disp, then the immediate. */
    void memoryForm(Opcode op, OperandSize size, Register reg, OperandSize regSize, Mem mem, int immBytes, long imm) {
        checkHighByte(reg, regSize);
        int rexBits = bit(reg) << 2 | mem.rexX() << 1 | mem.rexB();
        boolean force = reg != null && reg.requiresRex(regSize);
        boolean forbid = reg != null && reg.forbidsRex();
        prefixes(op, size, rexBits, force, forbid);
        opcodeBytes(op, size, 0);
        mem.encode(buffer, regField(op, reg), immBytes);
        immediate(immBytes, imm);
    }

    /** Same as {@link #memoryForm} with the register at {@code size}. */
    void memoryForm(Opcode op, OperandSize size, Register reg, Mem mem, int immBytes, long imm) {
        memoryForm(op, size, reg, size, mem, immBytes, imm);
    }

    /** Register-in-opcode form ({@code +r}): opcode + low 3 bits of {@code reg}, REX.B for the high bit. */
    void opcodeRegisterForm(Opcode op, OperandSize size, Register reg, int immBytes, long imm) {
        checkHighByte(reg, size);
        prefixes(op, size, bit(reg), reg.requiresRex(size), reg.forbidsRex());
        opcodeBytes(op, size, reg.low3());
        immediate(immBytes, imm);
    }

    /** An instruction with no ModRM (e.g. {@code ret}, {@code cqo}, {@code add eax, imm32}), then its immediate. */
    void noOperandForm(Opcode op, OperandSize size, int immBytes, long imm) {
        prefixes(op, size, 0, false, false);
        opcodeBytes(op, size, 0);
        immediate(immBytes, imm);
    }

    /**
     * VEX-encoded form (VEX.L = 0, 128-bit): {@code reg} (or the opcode's extension when null) in ModRM.reg,
     * {@code vvvv} (or none when null) in VEX.vvvv, and either {@code rm} (ModRM.mod = 11) or {@code mem}. The
     * two-byte prefix C5 is used when it can express the instruction (map 0F, W = 0, no REX.X or REX.B), else the
     * three-byte prefix C4.
     *
     * <pre>
     *   C5  [R' vvvv' L pp]                    R', X', B', vvvv' = inverted; pp: 0 none, 1 = 66, 2 = F3, 3 = F2
     *   C4  [R' X' B' mmmmm] [W vvvv' L pp]    mmmmm: 1 = 0F, 2 = 0F38, 3 = 0F3A
     * </pre>
     */
    void vexForm(Opcode op, boolean w, Register reg, Register vvvv, Register rm, Mem mem, int immBytes, long imm) {
        if ((rm == null) == (mem == null)) throw new IllegalArgumentException("exactly one of register and memory");
        int r = bit(reg);
        int x = mem != null ? mem.rexX() : 0;
        int b = mem != null ? mem.rexB() : bit(rm);
        int pp = switch (op.prefix()) {
            case 0 -> 0;
            case 0x66 -> 1;
            case 0xF3 -> 2;
            default -> 3;
        };
        int v = ~(vvvv == null ? 0 : vvvv.encoding()) & 0xF;
        if (op.map() == 0x0F && x == 0 && b == 0 && !w) {
            buffer.emit8(0xC5);
            buffer.emit8((r ^ 1) << 7 | v << 3 | pp);
        } else {
            int mmmmm = switch (op.map()) {
                case 0x0F -> 1;
                case 0x0F38 -> 2;
                case 0x0F3A -> 3;
                default -> throw new IllegalArgumentException("no VEX encoding in the one-byte map");
            };
            buffer.emit8(0xC4);
            buffer.emit8((r ^ 1) << 7 | (x ^ 1) << 6 | (b ^ 1) << 5 | mmmmm);
            buffer.emit8((w ? 1 : 0) << 7 | v << 3 | pp);
        }
        buffer.emit8(op.opcode());
        if (mem != null) {
            mem.encode(buffer, regField(op, reg), immBytes);
        } else {
            buffer.emit8(0b11 << 6 | regField(op, reg) << 3 | rm.low3());
        }
        immediate(immBytes, imm);
    }

    /** Appends a little-endian immediate of {@code bytes} bytes (0 = none). */
    void immediate(int bytes, long value) {
        buffer.emitLittleEndian(value, bytes);
    }

    private void prefixes(Opcode op, OperandSize size, int rexRxb, boolean forceRex, boolean forbidRex) {
        if (lockNext) {
            buffer.emit8(0xF0);
            lockNext = false;
        }
        if (size == OperandSize.WORD) buffer.emit8(0x66);
        if (op.prefix() != 0) buffer.emit8(op.prefix());
        int w = size == OperandSize.QWORD && !op.has(Opcode.DEFAULT_64) ? 1 : 0;
        int rex = 0x40 | w << 3 | rexRxb;
        if (rex != 0x40 || forceRex) {
            if (forbidRex) throw new IllegalArgumentException("ah/ch/dh/bh cannot be used in an instruction that needs REX");
            buffer.emit8(rex);
        }
    }

    private void opcodeBytes(Opcode op, OperandSize size, int registerBits) {
        switch (op.map()) {
            case 0 -> { }
            case 0x0F -> buffer.emit8(0x0F);
            default -> {
                buffer.emit8(0x0F);
                buffer.emit8(op.map() & 0xFF);
            }
        }
        int code = size == OperandSize.BYTE && op.has(Opcode.BYTE_FORM) ? op.opcode() - 1 : op.opcode();
        buffer.emit8(code + registerBits);
    }

    private static int regField(Opcode op, Register reg) {
        if (reg == null) {
            if (op.extension() == Opcode.REG) throw new IllegalArgumentException(op.mnemonic() + " needs a register");
            return op.extension();
        }
        if (op.extension() != Opcode.REG) throw new IllegalArgumentException(op.mnemonic() + " has an opcode extension");
        return reg.low3();
    }

    private static int bit(Register reg) {
        return reg != null && reg.isExtended() ? 1 : 0;
    }

    private static void checkHighByte(Register reg, OperandSize size) {
        if (reg != null && reg.forbidsRex() && size != OperandSize.BYTE) {
            throw new IllegalArgumentException(reg + " is only usable as a byte register");
        }
    }
}
