package dev.isthmus.compiler.baseline;

import dev.isthmus.compiler.machine.sequences.FloatMinMax;
import dev.isthmus.compiler.machine.sequences.FloatSign;
import dev.isthmus.model.ValType;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;

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

    /** min/max with wasm's NaN and signed-zero rules ({@link FloatMinMax}). */
    void minMax(ValType t, boolean max) {
        Val rhs = g.pop();
        Val lhs = g.pop();
        Xmm d = g.ownXmm(lhs);
        Xmm s = g.readXmm(rhs);
        FloatMinMax.emit(a, t == ValType.F64, max, d, s);
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

    /** abs and neg on the bits: clear or flip the sign bit, NaN payloads untouched ({@link FloatSign}). */
    void sign(ValType t, boolean negate) {
        Val v = g.pop();
        Xmm d = g.ownXmm(v);
        if (negate) FloatSign.neg(a, t == ValType.F64, d);
        else FloatSign.abs(a, t == ValType.F64, d);
        g.pushReg(t, d);
    }

    void copysign(ValType t) {
        Val rhs = g.pop();
        Val lhs = g.pop();
        Xmm d = g.ownXmm(lhs);
        Xmm s = g.readXmm(rhs);
        Gpr tmp = g.allocGpr();
        FloatSign.copySign(a, t == ValType.F64, d, d, s, Gpr.R11, tmp);
        g.release(tmp);
        g.release(s);
        g.pushReg(t, d);
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
