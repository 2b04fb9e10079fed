package dev.isthmus.x64;

import static dev.isthmus.x64.CaseList.MEMS;
import static dev.isthmus.x64.CaseList.highByteConflict;
import static dev.isthmus.x64.CaseList.immediates;
import static dev.isthmus.x64.CaseList.registers;
import static dev.isthmus.x64.IntelSyntax.imm;
import static dev.isthmus.x64.IntelSyntax.mem;
import static dev.isthmus.x64.IntelSyntax.reg;

/**
 * Generic generators of round-trip cases for one integer operand form: every register (pair) or every memory shape
 * (with registers taken round-robin), at every given size. The expected text is {@code mnemonic operands}.
 */
final class FormGenerators {
    interface RegReg { void emit(Assembler a, OperandSize size, Gpr first, Gpr second); }
    interface RegMem { void emit(Assembler a, OperandSize size, Gpr reg, Mem mem); }
    interface Reg { void emit(Assembler a, OperandSize size, Gpr reg); }
    interface MemOnly { void emit(Assembler a, OperandSize size, Mem mem); }
    interface RegImm { void emit(Assembler a, OperandSize size, Gpr reg, long imm); }
    interface MemImm { void emit(Assembler a, OperandSize size, Mem mem, long imm); }

    private FormGenerators() {
    }

    /** {@code mnemonic r1, r2} over all register pairs. */
    static void regReg(CaseList list, String mnemonic, OperandSize[] sizes, RegReg form) {
        for (OperandSize s : sizes) {
            for (Gpr a : registers(s)) {
                for (Gpr b : registers(s)) {
                    if (highByteConflict(s, null, a, b)) {
                        list.rejected(asm -> form.emit(asm, s, a, b));
                    } else {
                        list.add(asm -> form.emit(asm, s, a, b), mnemonic + " " + reg(a, s) + ", " + reg(b, s));
                    }
                }
            }
        }
    }

    /** {@code mnemonic r, size ptr [m]} over all memory shapes. */
    static void regMem(CaseList list, String mnemonic, OperandSize[] sizes, RegMem form) {
        int k = 0;
        for (OperandSize s : sizes) {
            Gpr[] regs = registers(s);
            for (Mem m : MEMS) {
                Gpr r = regs[k++ % regs.length];
                if (highByteConflict(s, m, r)) {
                    list.rejected(asm -> form.emit(asm, s, r, m));
                } else {
                    list.add(asm -> form.emit(asm, s, r, m), next -> mnemonic + " " + reg(r, s) + ", " + mem(s, m, next));
                }
            }
        }
    }

    /** {@code mnemonic size ptr [m], r} over all memory shapes. */
    static void memReg(CaseList list, String mnemonic, OperandSize[] sizes, RegMem form) {
        int k = 3;
        for (OperandSize s : sizes) {
            Gpr[] regs = registers(s);
            for (Mem m : MEMS) {
                Gpr r = regs[k++ % regs.length];
                if (highByteConflict(s, m, r)) {
                    list.rejected(asm -> form.emit(asm, s, r, m));
                } else {
                    list.add(asm -> form.emit(asm, s, r, m), next -> mnemonic + " " + mem(s, m, next) + ", " + reg(r, s));
                }
            }
        }
    }

    /** {@code mnemonic r} over all registers. */
    static void reg1(CaseList list, String mnemonic, OperandSize[] sizes, Reg form) {
        for (OperandSize s : sizes) {
            for (Gpr r : registers(s)) list.add(asm -> form.emit(asm, s, r), mnemonic + " " + reg(r, s));
        }
    }

    /** {@code mnemonic size ptr [m]} over all memory shapes. */
    static void mem1(CaseList list, String mnemonic, OperandSize[] sizes, MemOnly form) {
        for (OperandSize s : sizes) {
            for (Mem m : MEMS) list.add(asm -> form.emit(asm, s, m), next -> mnemonic + " " + mem(s, m, next));
        }
    }

    /** {@code mnemonic r, imm} over all registers and boundary immediates. */
    static void regImm(CaseList list, String mnemonic, OperandSize[] sizes, RegImm form) {
        for (OperandSize s : sizes) {
            for (Gpr r : registers(s)) {
                for (long v : immediates(s)) {
                    list.add(asm -> form.emit(asm, s, r, v), mnemonic + " " + reg(r, s) + ", " + imm(v, s));
                }
            }
        }
    }

    /** {@code mnemonic size ptr [m], imm} over all memory shapes, immediates round-robin. */
    static void memImm(CaseList list, String mnemonic, OperandSize[] sizes, MemImm form) {
        int k = 0;
        for (OperandSize s : sizes) {
            long[] imms = immediates(s);
            for (Mem m : MEMS) {
                long v = imms[k++ % imms.length];
                list.add(asm -> form.emit(asm, s, m, v), next -> mnemonic + " " + mem(s, m, next) + ", " + imm(v, s));
            }
        }
    }
}
