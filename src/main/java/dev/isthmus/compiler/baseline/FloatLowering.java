package dev.isthmus.compiler.baseline;

import dev.isthmus.model.ValType;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * f32/f64 arithmetic with wasm's semantics: SSE scalar operations where they agree with the spec, explicit
 * sequences for min/max (NaN and signed-zero rules), sign operations as integer bit operations, rounding with
 * {@code roundss/roundsd}, comparisons through {@code ucomiss/ucomisd} with unordered handled.
 */
final class FloatLowering {
    private final Codegen g;
    private final Assembler a;

    FloatLowering(Codegen g) {
        this.g = g;
        this.a = g.a;
    }

    /**
     * add, sub, mul, div. When a following local.set/tee writes {@code updateLocal}, which lives in an xmm register
     * and is the left operand (or either operand of add/mul), the operation happens in that register.
     */
    void binary(SseOp op, ValType t, int updateLocal) {
        Val rhs = g.pop();
        Val lhs = g.pop();
        boolean commutative = op == SseOp.ADDSS || op == SseOp.ADDSD || op == SseOp.MULSS || op == SseOp.MULSD;
        if (commutative && isHomed(rhs, updateLocal) && !isHomed(lhs, updateLocal)) {
            Val s = lhs;
            lhs = rhs;
            rhs = s;
        }
        if (isHomed(lhs, updateLocal) && !isHomed(rhs, updateLocal)) {
            g.flushLocalReads(updateLocal);
            g.sse(op, g.localXmm[updateLocal], rhs);
            g.free(rhs);
            g.push(Codegen.LOCAL, updateLocal, t);
            return;
        }
        Xmm d = g.ownXmm(lhs);
        g.sse(op, d, rhs);
        g.free(rhs);
        g.pushReg(t, d);
    }

    private boolean isHomed(Val v, int local) {
        return local >= 0 && v.kind() == Codegen.LOCAL && v.value() == local && g.localXmm[local] != null;
    }

    /**
     * min/max: NaN if either is NaN; for equal operands combine the bits (or for min, and for max) so that
     * min(-0, +0) = -0 and max(-0, +0) = +0; otherwise minss/maxss.
     */
    void minMax(ValType t, boolean max) {
        boolean f32 = t == ValType.F32;
        Val rhs = g.pop();
        Val lhs = g.pop();
        Xmm d = g.ownXmm(lhs);
        Xmm s = g.readXmm(rhs);
        Label nan = a.newLabel();
        Label normal = a.newLabel();
        Label done = a.newLabel();
        a.sse(f32 ? SseOp.UCOMISS : SseOp.UCOMISD, d, s);
        a.jcc(Cond.P, nan);
        a.jcc(Cond.NE, normal);
        a.sse(max ? (f32 ? SseOp.ANDPS : SseOp.ANDPD) : (f32 ? SseOp.ORPS : SseOp.ORPD), d, s);
        a.jmp(done);
        a.bind(nan);
        a.sse(f32 ? SseOp.ADDSS : SseOp.ADDSD, d, s);
        a.jmp(done);
        a.bind(normal);
        a.sse(max ? (f32 ? SseOp.MAXSS : SseOp.MAXSD) : (f32 ? SseOp.MINSS : SseOp.MINSD), d, s);
        a.bind(done);
        g.release(s);
        g.pushReg(t, d);
    }

    void sqrt(ValType t) {
        Val v = g.pop();
        Xmm d = g.ownXmm(v);
        a.sse(t == ValType.F32 ? SseOp.SQRTSS : SseOp.SQRTSD, d, d);
        g.pushReg(t, d);
    }

    /** ceil (2), floor (1), trunc (3), nearest (0, ties to even). */
    void round(ValType t, int mode) {
        Val v = g.pop();
        Xmm d = g.ownXmm(v);
        if (t == ValType.F32) a.roundss(d, d, mode | 8);
        else a.roundsd(d, d, mode | 8);
        g.pushReg(t, d);
    }

    /** abs and neg on the bits: clear or flip the sign bit, NaN payloads untouched. */
    void sign(ValType t, boolean negate) {
        Val v = g.pop();
        Xmm d = g.ownXmm(v);
        OperandSize sz = Codegen.sizeOf(t);
        a.movXmmToGpr(sz, Gpr.R11, d);
        if (sz == DWORD) {
            if (negate) a.xor(DWORD, Gpr.R11, Integer.MIN_VALUE);
            else a.and(DWORD, Gpr.R11, Integer.MAX_VALUE);
        } else if (negate) {
            a.shift(ShiftOp.ROL, QWORD, Gpr.R11, 1);
            a.xor(QWORD, Gpr.R11, 1);
            a.shift(ShiftOp.ROR, QWORD, Gpr.R11, 1);
        } else {
            clearSign(QWORD, Gpr.R11);
        }
        a.movGprToXmm(sz, d, Gpr.R11);
        g.pushReg(t, d);
    }

    void copysign(ValType t) {
        Val rhs = g.pop();
        Val lhs = g.pop();
        Xmm d = g.ownXmm(lhs);
        Xmm s = g.readXmm(rhs);
        OperandSize sz = Codegen.sizeOf(t);
        Gpr tmp = g.allocGpr();
        a.movXmmToGpr(sz, Gpr.R11, d);
        a.movXmmToGpr(sz, tmp, s);
        clearSign(sz, Gpr.R11);
        a.shift(ShiftOp.SHR, sz, tmp, sz.bits() - 1);
        a.shift(ShiftOp.SHL, sz, tmp, sz.bits() - 1);
        a.or(sz, Gpr.R11, tmp);
        a.movGprToXmm(sz, d, Gpr.R11);
        g.release(tmp);
        g.release(s);
        g.pushReg(t, d);
    }

    private void clearSign(OperandSize sz, Gpr r) {
        a.shift(ShiftOp.SHL, sz, r, 1);
        a.shift(ShiftOp.SHR, sz, r, 1);
    }

    /**
     * Comparison. lt/gt/le/ge become a pending condition (A/AE after ordering the operands so that unordered is
     * false); eq/ne combine ZF with PF into a register.
     */
    void compare(ValType t, String op) {
        SseOp ucomi = t == ValType.F32 ? SseOp.UCOMISS : SseOp.UCOMISD;
        Val rhs = g.pop();
        Val lhs = g.pop();
        switch (op) {
            case "lt", "le" -> {
                Xmm r = g.readXmm(rhs);
                g.sse(ucomi, r, lhs);
                g.release(r);
                g.free(lhs);
                g.pushFlags(op.equals("lt") ? Cond.A : Cond.AE);
            }
            case "gt", "ge" -> {
                Xmm l = g.readXmm(lhs);
                g.sse(ucomi, l, rhs);
                g.release(l);
                g.free(rhs);
                g.pushFlags(op.equals("gt") ? Cond.A : Cond.AE);
            }
            default -> {
                Xmm l = g.readXmm(lhs);
                g.sse(ucomi, l, rhs);
                g.release(l);
                g.free(rhs);
                Gpr d = g.allocGpr();
                boolean eq = op.equals("eq");
                a.set(eq ? Cond.E : Cond.NE, d);
                a.set(eq ? Cond.NP : Cond.P, Gpr.R11);
                if (eq) a.alu(dev.isthmus.x64.AluOp.AND, BYTE, d, Gpr.R11);
                else a.alu(dev.isthmus.x64.AluOp.OR, BYTE, d, Gpr.R11);
                a.movzx(DWORD, d, BYTE, d);
                g.pushReg(ValType.I32, d);
            }
        }
    }
}
