package dev.isthmus.x64;

import static dev.isthmus.x64.CaseList.GPRS;
import static dev.isthmus.x64.CaseList.MEMS;
import static dev.isthmus.x64.CaseList.SIZES;
import static dev.isthmus.x64.CaseList.SIZES_16_64;
import static dev.isthmus.x64.CaseList.highByteConflict;
import static dev.isthmus.x64.CaseList.immediates;
import static dev.isthmus.x64.CaseList.registers;
import static dev.isthmus.x64.FormGenerators.mem1;
import static dev.isthmus.x64.FormGenerators.memImm;
import static dev.isthmus.x64.FormGenerators.memReg;
import static dev.isthmus.x64.FormGenerators.reg1;
import static dev.isthmus.x64.FormGenerators.regImm;
import static dev.isthmus.x64.FormGenerators.regMem;
import static dev.isthmus.x64.FormGenerators.regReg;
import static dev.isthmus.x64.IntelSyntax.address;
import static dev.isthmus.x64.IntelSyntax.cc;
import static dev.isthmus.x64.IntelSyntax.imm;
import static dev.isthmus.x64.IntelSyntax.mem;
import static dev.isthmus.x64.IntelSyntax.reg;
import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static dev.isthmus.x64.OperandSize.WORD;

/** Round-trip cases for the integer, stack and control-flow instruction forms. */
final class IntegerForms {
    private static final OperandSize[] ONLY_QWORD = {QWORD};
    private static final OperandSize[] DWORD_QWORD = {DWORD, QWORD};
    private static final int[] SHIFT_COUNTS = {1, 2, 7, 8, 31, 63, 0xFF};

    private IntegerForms() {
    }

    static void addAll(CaseList list) {
        dataMovement(list);
        arithmetic(list);
        conditionsAndBits(list);
        stackAndControl(list);
    }

    private static void dataMovement(CaseList list) {
        regReg(list, "mov", SIZES, Assembler::mov);
        regMem(list, "mov", SIZES, Assembler::mov);
        memReg(list, "mov", SIZES, (a, s, r, m) -> a.mov(s, m, r));
        regImm(list, "mov", SIZES, Assembler::mov);
        memImm(list, "mov", SIZES, Assembler::mov);
        for (Gpr r : GPRS) {
            for (long v : new long[]{0, -1, 0x1122_3344_5566_7788L, Long.MIN_VALUE, 0xFFFF_FFFFL}) {
                list.add(a -> a.movabs(r, v), "mov " + reg(r, QWORD) + ", " + imm(v, QWORD));
            }
        }
        lea(list);
        extensions(list, "movzx", Assembler::movzx, Assembler::movzx);
        extensions(list, "movsx", Assembler::movsx, Assembler::movsx);
        for (Gpr d : GPRS) for (Gpr s : GPRS) list.add(a -> a.movsxd(d, s), "movsxd " + reg(d, QWORD) + ", " + reg(s, DWORD));
        int k = 0;
        for (Mem m : MEMS) {
            Gpr d = GPRS[k++ % 16];
            list.add(a -> a.movsxd(d, m), next -> "movsxd " + reg(d, QWORD) + ", " + mem(DWORD, m, next));
        }
        regReg(list, "xchg", SIZES, Assembler::xchg);
        memReg(list, "xchg", SIZES, (a, s, r, m) -> a.xchg(s, m, r));
        reg1(list, "bswap", DWORD_QWORD, Assembler::bswap);
    }

    /** lea computes an address and reads nothing, so its operand prints without a size. */
    private static void lea(CaseList list) {
        int k = 0;
        for (OperandSize s : SIZES_16_64) {
            for (Mem m : MEMS) {
                Gpr r = GPRS[k++ % 16];
                list.add(a -> a.lea(s, r, m), next -> "lea " + reg(r, s) + ", " + address(m, next));
            }
        }
    }

    interface ExtendReg { void emit(Assembler a, OperandSize dstSize, Gpr dst, OperandSize srcSize, Gpr src); }
    interface ExtendMem { void emit(Assembler a, OperandSize dstSize, Gpr dst, OperandSize srcSize, Mem src); }

    private static void extensions(CaseList list, String mnemonic, ExtendReg reg, ExtendMem mem) {
        OperandSize[][] pairs = {{WORD, BYTE}, {DWORD, BYTE}, {QWORD, BYTE}, {DWORD, WORD}, {QWORD, WORD}};
        int k = 0;
        for (OperandSize[] p : pairs) {
            OperandSize ds = p[0], ss = p[1];
            for (Gpr d : GPRS) {
                for (Gpr s : registers(ss)) {
                    boolean conflict = s.isHighByte() && (d.encoding() >= 8 || ds == QWORD);
                    if (conflict) list.rejected(a -> reg.emit(a, ds, d, ss, s));
                    else list.add(a -> reg.emit(a, ds, d, ss, s), mnemonic + " " + reg(d, ds) + ", " + reg(s, ss));
                }
            }
            for (Mem m : MEMS) {
                Gpr d = GPRS[k++ % 16];
                list.add(a -> mem.emit(a, ds, d, ss, m), next -> mnemonic + " " + reg(d, ds) + ", " + mem(ss, m, next));
            }
        }
    }

    private static void arithmetic(CaseList list) {
        for (AluOp op : AluOp.values()) {
            String mn = op.mnemonic();
            regReg(list, mn, SIZES, (a, s, x, y) -> a.alu(op, s, x, y));
            regMem(list, mn, SIZES, (a, s, r, m) -> a.alu(op, s, r, m));
            memReg(list, mn, SIZES, (a, s, r, m) -> a.alu(op, s, m, r));
            regImm(list, mn, SIZES, (a, s, r, v) -> a.alu(op, s, r, v));
            memImm(list, mn, SIZES, (a, s, m, v) -> a.alu(op, s, m, v));
        }
        regReg(list, "test", SIZES, Assembler::test);
        memReg(list, "test", SIZES, (a, s, r, m) -> a.test(s, m, r));
        regImm(list, "test", SIZES, Assembler::test);
        memImm(list, "test", SIZES, Assembler::test);
        for (UnaryOp op : UnaryOp.values()) {
            reg1(list, op.mnemonic(), SIZES, (a, s, r) -> a.unary(op, s, r));
            mem1(list, op.mnemonic(), SIZES, (a, s, m) -> a.unary(op, s, m));
        }
        regReg(list, "imul", SIZES_16_64, Assembler::imul);
        regMem(list, "imul", SIZES_16_64, Assembler::imul);
        int k = 0;
        for (OperandSize s : SIZES_16_64) {
            long[] imms = immediates(s);
            for (Gpr d : GPRS) {
                for (Gpr src : GPRS) {
                    long v = imms[k++ % imms.length];
                    list.add(a -> a.imul(s, d, src, v), "imul " + reg(d, s) + ", " + reg(src, s) + ", " + imm(v, s));
                }
            }
            for (Mem m : MEMS) {
                Gpr d = GPRS[k % 16];
                long v = imms[k++ % imms.length];
                list.add(a -> a.imul(s, d, m, v), next -> "imul " + reg(d, s) + ", " + mem(s, m, next) + ", " + imm(v, s));
            }
        }
        list.add(Assembler::cdq, "cdq");
        list.add(Assembler::cqo, "cqo");
        for (ShiftOp op : ShiftOp.values()) shifts(list, op);
        for (OperandSize s : SIZES) {
            int j = 0;
            for (Mem m : MEMS) {
                Gpr r = registers(s)[j++ % registers(s).length];
                if (highByteConflict(s, m, r)) continue;
                list.add(a -> a.lockAdd(s, m, r), next -> "lock add " + mem(s, m, next) + ", " + reg(r, s));
                list.add(a -> a.lockXadd(s, m, r), next -> "lock xadd " + mem(s, m, next) + ", " + reg(r, s));
                list.add(a -> a.lockCmpxchg(s, m, r), next -> "lock cmpxchg " + mem(s, m, next) + ", " + reg(r, s));
                long v = immediates(s)[j % immediates(s).length];
                list.add(a -> a.lockAdd(s, m, v), next -> "lock add " + mem(s, m, next) + ", " + imm(v, s));
            }
        }
    }

    private static void shifts(CaseList list, ShiftOp op) {
        String mn = op.mnemonic();
        for (OperandSize s : SIZES) {
            for (Gpr r : registers(s)) {
                for (int count : SHIFT_COUNTS) {
                    list.add(a -> a.shift(op, s, r, count), mn + " " + reg(r, s) + ", " + imm(count, BYTE));
                }
                list.add(a -> a.shiftByCl(op, s, r), mn + " " + reg(r, s) + ", cl");
            }
            int k = 0;
            for (Mem m : MEMS) {
                int count = SHIFT_COUNTS[k++ % SHIFT_COUNTS.length];
                list.add(a -> a.shift(op, s, m, count), next -> mn + " " + mem(s, m, next) + ", " + imm(count, BYTE));
                list.add(a -> a.shiftByCl(op, s, m), next -> mn + " " + mem(s, m, next) + ", cl");
            }
        }
    }

    private static void conditionsAndBits(CaseList list) {
        for (BitOp op : BitOp.values()) {
            regReg(list, op.mnemonic(), SIZES_16_64, (a, s, x, y) -> a.bitOp(op, s, x, y));
            regMem(list, op.mnemonic(), SIZES_16_64, (a, s, r, m) -> a.bitOp(op, s, r, m));
        }
        for (Cond c : Cond.values()) {
            for (OperandSize s : SIZES_16_64) {
                for (Gpr d : GPRS) {
                    Gpr src = GPRS[(d.encoding() * 7 + c.code() + s.bytes()) % 16];
                    list.add(a -> a.cmov(c, s, d, src), "cmov" + cc(c) + " " + reg(d, s) + ", " + reg(src, s));
                }
                for (int i = c.code(); i < MEMS.size(); i += 4) {
                    Mem m = MEMS.get(i);
                    Gpr d = GPRS[i % 16];
                    list.add(a -> a.cmov(c, s, d, m), next -> "cmov" + cc(c) + " " + reg(d, s) + ", " + mem(s, m, next));
                }
            }
            for (Gpr r : registers(BYTE)) list.add(a -> a.set(c, r), "set" + cc(c) + " " + reg(r, BYTE));
            for (int i = c.code(); i < MEMS.size(); i += 2) {
                Mem m = MEMS.get(i);
                list.add(a -> a.set(c, m), next -> "set" + cc(c) + " " + mem(BYTE, m, next));
            }
        }
    }

    private static void stackAndControl(CaseList list) {
        reg1(list, "push", ONLY_QWORD, (a, s, r) -> a.push(r));
        reg1(list, "pop", ONLY_QWORD, (a, s, r) -> a.pop(r));
        mem1(list, "push", ONLY_QWORD, (a, s, m) -> a.push(m));
        mem1(list, "pop", ONLY_QWORD, (a, s, m) -> a.pop(m));
        for (int v : new int[]{0, 1, 0x7F, 0x80, -0x80, -0x81, Integer.MAX_VALUE, Integer.MIN_VALUE, -1}) {
            list.add(a -> a.push(v), "push " + imm(v, QWORD));
        }
        reg1(list, "call", ONLY_QWORD, (a, s, r) -> a.call(r));
        reg1(list, "jmp", ONLY_QWORD, (a, s, r) -> a.jmp(r));
        mem1(list, "call", ONLY_QWORD, (a, s, m) -> a.call(m));
        mem1(list, "jmp", ONLY_QWORD, (a, s, m) -> a.jmp(m));
        list.add(Assembler::ret, "ret");
        list.add(Assembler::ud2, "ud2");
        list.add(Assembler::int3, "int3");
        list.add(Assembler::syscall, "syscall");
        list.add(Assembler::mfence, "mfence");
        list.add(Assembler::cpuid, "cpuid");
        list.add(Assembler::xgetbv, "xgetbv");
        String[] nops = {null, "nop", "nop", "nop dword ptr [rax], eax", "nop dword ptr [rax], eax",
                "nop dword ptr [rax+rax*1], eax", "nop word ptr [rax+rax*1], ax", "nop dword ptr [rax], eax",
                "nop dword ptr [rax+rax*1], eax", "nop word ptr [rax+rax*1], ax"};
        for (int n = 1; n <= 9; n++) {
            int length = n;
            list.add(a -> a.nop(length), nops[n]);
        }
    }
}
