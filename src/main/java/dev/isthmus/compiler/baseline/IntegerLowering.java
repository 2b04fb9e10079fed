package dev.isthmus.compiler.baseline;

import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.BitOp;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.ShiftOp;

import static dev.isthmus.compiler.baseline.Codegen.CONST;
import static dev.isthmus.compiler.baseline.Codegen.FLAGS;
import static dev.isthmus.compiler.baseline.Codegen.LOCAL;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Integer arithmetic, comparisons and bit counting: immediates and memory operands folded into the instruction,
 * constants folded at compile time, comparisons left in the flags for a following branch/select, and in-place
 * updates of a local's register when the result goes straight back into it.
 */
final class IntegerLowering {
    private final Codegen g;
    private final Assembler a;

    IntegerLowering(Codegen g) {
        this.g = g;
        this.a = g.a;
    }

    /**
     * {@code add/sub/and/or/xor}. {@code updateLocal} is the local a following local.set/tee writes (or -1): when
     * the left operand reads that local from a register, the operation happens in that register.
     */
    void alu(AluOp op, ValType t, int updateLocal) {
        OperandSize sz = Codegen.sizeOf(t);
        Val rhs = g.pop();
        Val lhs = g.pop();
        if (lhs.isConst() && rhs.isConst()) {
            g.pushConst(t, fold(op, t, lhs.value(), rhs.value()));
            return;
        }
        if (lhs.isConst() && op != AluOp.SUB) {
            Val s = lhs;
            lhs = rhs;
            rhs = s;
        }
        if (updateLocal >= 0 && lhs.kind() == LOCAL && lhs.value() == updateLocal && g.localReg[updateLocal] != null) {
            g.flushLocalReads(updateLocal);
            Gpr home = g.localReg[updateLocal];
            g.alu(op, sz, home, rhs);
            g.free(rhs);
            g.push(LOCAL, updateLocal, t);
            g.flagsLocal = updateLocal;
            return;
        }
        if ((op == AluOp.ADD || op == AluOp.SUB) && rhs.isConst() && lhs.kind() == LOCAL
                && g.localReg[(int) lhs.value()] != null && fitsDisp(op, t, rhs.value())) {
            long disp = op == AluOp.ADD ? rhs.value() : -rhs.value();
            if (t == ValType.I32) disp = (int) disp;
            Gpr d = g.allocGpr();
            a.lea(sz, d, Mem.of(g.localReg[(int) lhs.value()], (int) disp));
            g.pushReg(t, d);
            return;
        }
        Gpr d = g.ownGpr(lhs);
        g.alu(op, sz, d, rhs);
        g.free(rhs);
        g.pushReg(t, d);
    }

    private static boolean fitsDisp(AluOp op, ValType t, long v) {
        if (t == ValType.I32) return true;
        long d = op == AluOp.ADD ? v : -v;
        return d == (int) d && v != Long.MIN_VALUE;
    }

    private static long fold(AluOp op, ValType t, long x, long y) {
        long r = switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case AND -> x & y;
            case OR -> x | y;
            case XOR -> x ^ y;
            default -> throw new IllegalArgumentException(op.toString());
        };
        return t == ValType.I32 ? r & 0xFFFF_FFFFL : r;
    }

    void mul(ValType t, int updateLocal) {
        OperandSize sz = Codegen.sizeOf(t);
        Val rhs = g.pop();
        Val lhs = g.pop();
        if (rhs.kind() == LOCAL && rhs.value() == updateLocal && !lhs.isConst()) {
            Val s = lhs;
            lhs = rhs;
            rhs = s;
        }
        if (updateLocal >= 0 && lhs.kind() == LOCAL && lhs.value() == updateLocal && g.localReg[updateLocal] != null
                && !rhs.isConst()) {
            g.flushLocalReads(updateLocal);
            Gpr home = g.localReg[updateLocal];
            Mem m = g.memOf(rhs);
            if (m != null) {
                a.imul(sz, home, m);
            } else {
                Gpr r = g.readGpr(rhs);
                a.imul(sz, home, r);
                g.doneReading(rhs, r);
            }
            g.free(rhs);
            g.push(LOCAL, updateLocal, t);
            return;
        }
        if (lhs.isConst() && rhs.isConst()) {
            long r = lhs.value() * rhs.value();
            g.pushConst(t, t == ValType.I32 ? r & 0xFFFF_FFFFL : r);
            return;
        }
        if (lhs.isConst()) {
            Val s = lhs;
            lhs = rhs;
            rhs = s;
        }
        if (rhs.isConst() && (t == ValType.I32 || rhs.value() == (int) rhs.value())) {
            Gpr src = g.readGpr(lhs);
            Gpr d = g.allocGpr();
            a.imul(sz, d, src, t == ValType.I32 ? (int) rhs.value() : rhs.value());
            g.doneReading(lhs, src);
            g.pushReg(t, d);
            return;
        }
        Gpr d = g.ownGpr(lhs);
        Mem m = g.memOf(rhs);
        if (m != null) {
            a.imul(sz, d, m);
        } else {
            Gpr r = g.readGpr(rhs);
            a.imul(sz, d, r);
            g.doneReading(rhs, r);
        }
        g.free(rhs);
        g.pushReg(t, d);
    }

    /** div_s/div_u/rem_s/rem_u: rdx:rax by a register, with the wasm traps. */
    void divide(ValType t, boolean signed, boolean remainder) {
        OperandSize sz = Codegen.sizeOf(t);
        g.take(Gpr.RAX);
        g.take(Gpr.RDX);
        Val rhs = g.pop();
        Val lhs = g.pop();
        // a divisor already in a register stays there (it cannot be rax/rdx, just evicted): with few temporaries
        // (leaf functions) the operands may hold all the others
        Gpr divisor;
        if (rhs.kind() == Codegen.REG) {
            divisor = Gpr.of((int) rhs.value());
        } else {
            divisor = g.allocGprExcept((1 << Gpr.RAX.encoding()) | (1 << Gpr.RDX.encoding()));
            g.emitLoad(divisor, rhs);
        }
        g.emitLoad(Gpr.RAX, lhs);
        g.free(lhs);
        // the operands' registers are free again, but rax/rdx/divisor stay taken
        a.test(sz, divisor, divisor);
        a.jcc(Cond.E, g.trap(TrapCode.INTEGER_DIVIDE_BY_ZERO));
        Label done = null;
        if (signed) {
            Label normal = a.newLabel();
            a.cmp(sz, divisor, -1);
            a.jcc(Cond.NE, normal);
            if (remainder) {
                a.mov(DWORD, Gpr.RDX, 0);
                done = a.newLabel();
                a.jmp(done);
            } else {
                if (sz == DWORD) a.cmp(DWORD, Gpr.RAX, Integer.MIN_VALUE);
                else {
                    a.movabs(Gpr.R11, Long.MIN_VALUE);
                    a.cmp(QWORD, Gpr.RAX, Gpr.R11);
                }
                a.jcc(Cond.E, g.trap(TrapCode.INTEGER_OVERFLOW));
            }
            a.bind(normal);
            if (sz == DWORD) a.cdq();
            else a.cqo();
            a.idiv(sz, divisor);
        } else {
            a.mov(DWORD, Gpr.RDX, 0);
            a.div(sz, divisor);
        }
        if (done != null) a.bind(done);
        g.release(divisor);
        if (remainder) {
            g.release(Gpr.RAX);
            g.pushReg(t, Gpr.RDX);
        } else {
            g.release(Gpr.RDX);
            g.pushReg(t, Gpr.RAX);
        }
    }

    /** Shifts and rotates; the count is masked by the hardware exactly as wasm requires. */
    void shift(ShiftOp op, ValType t) {
        OperandSize sz = Codegen.sizeOf(t);
        Val count = g.peek(0);
        if (count.isConst()) {
            g.pop();
            Val v = g.pop();
            int c = (int) (count.value() & (sz.bits() - 1));
            if (v.isConst()) {
                g.pushConst(t, foldShift(op, t, v.value(), c));
                return;
            }
            Gpr d = g.ownGpr(v);
            if (c != 0) a.shift(op, sz, d, c);
            g.pushReg(t, d);
            return;
        }
        g.take(Gpr.RCX);
        g.pop();
        Val v = g.pop();
        g.emitLoad(Gpr.RCX, count);
        if (count.kind() == Codegen.REG && count.value() != Gpr.RCX.encoding()) g.free(count);
        Gpr d = g.ownGpr(v); // rcx is taken, so never rcx
        a.shiftByCl(op, sz, d);
        g.release(Gpr.RCX);
        g.pushReg(t, d);
    }

    private static long foldShift(ShiftOp op, ValType t, long x, int c) {
        if (t == ValType.I32) {
            int v = (int) x;
            int r = switch (op) {
                case SHL -> v << c;
                case SHR -> v >>> c;
                case SAR -> v >> c;
                case ROL -> Integer.rotateLeft(v, c);
                case ROR -> Integer.rotateRight(v, c);
                default -> throw new IllegalArgumentException();
            };
            return r & 0xFFFF_FFFFL;
        }
        return switch (op) {
            case SHL -> x << c;
            case SHR -> x >>> c;
            case SAR -> x >> c;
            case ROL -> Long.rotateLeft(x, c);
            case ROR -> Long.rotateRight(x, c);
            default -> throw new IllegalArgumentException();
        };
    }

    /** Comparison: {@code cmp lhs, rhs} left in the flags as a pending condition. */
    void compare(ValType t, Cond cond) {
        OperandSize sz = Codegen.sizeOf(t);
        Val rhs = g.pop();
        Val lhs = g.pop();
        if (lhs.isConst() && !rhs.isConst()) {
            Val s = lhs;
            lhs = rhs;
            rhs = s;
            cond = cond.swapOperands();
        }
        if (rhs.isConst() && rhs.value() == 0 && (cond == Cond.E || cond == Cond.NE) && g.memOf(lhs) == null) {
            Gpr r = g.readGpr(lhs);
            a.test(sz, r, r);
            g.doneReading(lhs, r);
        } else {
            Mem m = g.memOf(lhs);
            if (m != null && rhs.isConst() && (sz == DWORD || rhs.value() == (int) rhs.value())) {
                a.cmp(sz, m, sz == DWORD ? (long) (int) rhs.value() : rhs.value());
            } else {
                Gpr r = g.readGpr(lhs);
                g.alu(AluOp.CMP, sz, r, rhs);
                g.doneReading(lhs, r);
            }
        }
        g.free(rhs);
        g.free(lhs);
        g.pushFlags(cond);
    }

    void eqz(ValType t) {
        Val v = g.peek(0);
        if (v.kind() == FLAGS) {
            g.pop();
            g.pushFlags(Codegen.COND[(int) v.value()].negate());
            return;
        }
        g.pop();
        if (v.isConst()) {
            g.pushConst(ValType.I32, v.value() == 0 ? 1 : 0);
            return;
        }
        if (v.kind() == LOCAL && v.value() == g.flagsLocal) {
            g.pushFlags(Cond.E);
            return;
        }
        g.flagsLocal = -1; // the test below replaces the flags
        Mem m = g.memOf(v);
        if (m != null) {
            a.cmp(Codegen.sizeOf(t), m, 0);
        } else {
            Gpr r = g.readGpr(v);
            a.test(Codegen.sizeOf(t), r, r);
            g.doneReading(v, r);
        }
        g.free(v);
        g.pushFlags(Cond.E);
    }

    void clz(ValType t) {
        OperandSize sz = Codegen.sizeOf(t);
        Val v = g.pop();
        Gpr src = g.readGpr(v);
        Gpr d = g.allocGpr();
        if (g.cpu.lzcnt()) {
            a.bitOp(BitOp.LZCNT, sz, d, src);
        } else {
            a.bitOp(BitOp.BSR, sz, d, src);
            a.mov(DWORD, Gpr.R11, sz == DWORD ? 63 : 127);
            a.cmov(Cond.E, sz, d, Gpr.R11);
            a.xor(sz, d, sz.bits() - 1);
        }
        g.doneReading(v, src);
        g.pushReg(t, d);
    }

    void ctz(ValType t) {
        OperandSize sz = Codegen.sizeOf(t);
        Val v = g.pop();
        Gpr src = g.readGpr(v);
        Gpr d = g.allocGpr();
        if (g.cpu.tzcnt()) {
            a.bitOp(BitOp.TZCNT, sz, d, src);
        } else {
            a.bitOp(BitOp.BSF, sz, d, src);
            a.mov(DWORD, Gpr.R11, sz.bits());
            a.cmov(Cond.E, sz, d, Gpr.R11);
        }
        g.doneReading(v, src);
        g.pushReg(t, d);
    }

    void popcnt(ValType t) {
        OperandSize sz = Codegen.sizeOf(t);
        Val v = g.pop();
        if (g.cpu.popcnt()) {
            Gpr src = g.readGpr(v);
            Gpr d = g.allocGpr();
            a.bitOp(BitOp.POPCNT, sz, d, src);
            g.doneReading(v, src);
            g.pushReg(t, d);
            return;
        }
        // SWAR: x - ((x >> 1) & 0x55..); (x & 0x33..) + ((x >> 2) & 0x33..); (x + (x >> 4)) & 0x0f..; * 0x01.. >> (bits-8)
        Gpr x = g.ownGpr(v);
        Gpr tmp = g.allocGpr();
        mask(tmp, sz, 0x5555555555555555L, x, 1);
        a.sub(sz, x, tmp);
        a.mov(sz, tmp, x);
        a.shift(ShiftOp.SHR, sz, tmp, 2);
        andMask(x, sz, 0x3333333333333333L);
        andMask(tmp, sz, 0x3333333333333333L);
        a.add(sz, x, tmp);
        a.mov(sz, tmp, x);
        a.shift(ShiftOp.SHR, sz, tmp, 4);
        a.add(sz, x, tmp);
        andMask(x, sz, 0x0F0F0F0F0F0F0F0FL);
        if (sz == DWORD) a.imul(DWORD, x, x, 0x01010101);
        else {
            a.movabs(Gpr.R11, 0x0101010101010101L);
            a.imul(QWORD, x, Gpr.R11);
        }
        a.shift(ShiftOp.SHR, sz, x, sz.bits() - 8);
        g.release(tmp);
        g.pushReg(t, x);
    }

    private void mask(Gpr dst, OperandSize sz, long m, Gpr x, int shift) {
        a.mov(sz, dst, x);
        a.shift(ShiftOp.SHR, sz, dst, shift);
        andMask(dst, sz, m);
    }

    private void andMask(Gpr r, OperandSize sz, long m) {
        if (sz == DWORD) a.and(DWORD, r, (int) m);
        else {
            a.movabs(Gpr.R11, m);
            a.and(QWORD, r, Gpr.R11);
        }
    }

    /** i32.extend8_s etc. and i64.extend_i32_s/u, i32.wrap_i64. */
    void extend(ValType to, OperandSize from, boolean signed) {
        Val v = g.pop();
        Gpr src = g.readGpr(v);
        Gpr d = g.allocGpr();
        OperandSize dsz = Codegen.sizeOf(to);
        if (from == DWORD) {
            if (signed) a.movsxd(d, src);
            else a.mov(DWORD, d, src);
        } else if (signed) {
            a.movsx(dsz, d, from, src);
        } else {
            a.movzx(DWORD, d, from, src);
        }
        g.doneReading(v, src);
        g.pushReg(to, d);
    }
}
