package dev.isthmus.compiler.baseline;

import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Conversions between integers and floats: trapping truncations (NaN → "invalid conversion to integer", out of range
 * → "integer overflow"), saturating truncations, unsigned conversions both ways (u64 → float rounded correctly by
 * halving with the lost bit kept sticky), demote/promote and reinterpretations.
 */
final class ConversionLowering {
    private static final double TWO_31 = 2147483648.0;
    private static final double TWO_32 = 4294967296.0;
    private static final double TWO_63 = 9223372036854775808.0;
    private static final double TWO_64 = 18446744073709551616.0;

    private final Codegen g;
    private final Assembler a;

    ConversionLowering(Codegen g) {
        this.g = g;
        this.a = g.a;
    }

    /**
     * Float → integer truncation.
     *
     * @param to       I32 or I64
     * @param signed   signed or unsigned target
     * @param saturate saturating (no traps) or trapping
     */
    void truncate(ValType from, ValType to, boolean signed, boolean saturate) {
        boolean f32 = from == ValType.F32;
        SseOp ucomi = f32 ? SseOp.UCOMISS : SseOp.UCOMISD;
        Val v = g.pop();
        Xmm x = g.ownXmm(v);
        Gpr d = g.allocGpr();
        OperandSize dsz = Codegen.sizeOf(to);
        // valid range: lower < x (or lower <= x when lower is exactly representable) and x < upper
        double lower;
        boolean lowerInclusive;
        double upper;
        if (signed) {
            double min = to == ValType.I32 ? -TWO_31 : -TWO_63;
            upper = to == ValType.I32 ? TWO_31 : TWO_63;
            if (to == ValType.I32 && !f32) {
                lower = min - 1;
                lowerInclusive = false;
            } else {
                lower = min;
                lowerInclusive = true;
            }
        } else {
            lower = -1.0;
            lowerInclusive = false;
            upper = to == ValType.I32 ? TWO_32 : TWO_64;
        }
        Label done = a.newLabel();
        Label tooLow = saturate ? a.newLabel() : g.trap(TrapCode.INTEGER_OVERFLOW);
        Label tooHigh = saturate ? a.newLabel() : g.trap(TrapCode.INTEGER_OVERFLOW);
        Label nan = saturate ? a.newLabel() : g.trap(TrapCode.INVALID_CONVERSION_TO_INTEGER);
        a.sse(ucomi, x, x);
        a.jcc(Cond.P, nan);
        loadConstant(Xmm.XMM15, f32, lower);
        a.sse(ucomi, x, Xmm.XMM15);
        a.jcc(lowerInclusive ? Cond.B : Cond.BE, tooLow);
        loadConstant(Xmm.XMM15, f32, upper);
        a.sse(ucomi, x, Xmm.XMM15);
        a.jcc(Cond.AE, tooHigh);
        if (signed) {
            cvtt(f32, dsz, d, x);
        } else if (to == ValType.I32) {
            cvtt(f32, QWORD, d, x);
            a.mov(DWORD, d, d);
        } else {
            Label big = a.newLabel();
            loadConstant(Xmm.XMM15, f32, TWO_63);
            a.sse(ucomi, x, Xmm.XMM15);
            a.jcc(Cond.AE, big);
            cvtt(f32, QWORD, d, x);
            a.jmp(done);
            a.bind(big);
            a.sse(f32 ? SseOp.SUBSS : SseOp.SUBSD, x, Xmm.XMM15);
            cvtt(f32, QWORD, d, x);
            a.movabs(Gpr.R11, Long.MIN_VALUE);
            a.xor(QWORD, d, Gpr.R11);
        }
        if (saturate) {
            a.jmp(done);
            a.bind(nan);
            a.mov(DWORD, d, 0);
            a.jmp(done);
            a.bind(tooLow);
            long min = !signed ? 0 : to == ValType.I32 ? Integer.MIN_VALUE & 0xFFFF_FFFFL : Long.MIN_VALUE;
            g.loadConst(d, to, min);
            a.jmp(done);
            a.bind(tooHigh);
            long max = to == ValType.I32 ? (signed ? Integer.MAX_VALUE : 0xFFFF_FFFFL) : (signed ? Long.MAX_VALUE : -1L);
            g.loadConst(d, to, max);
        }
        a.bind(done);
        g.release(x);
        g.pushReg(to, d);
    }

    private void cvtt(boolean f32, OperandSize size, Gpr d, Xmm x) {
        if (f32) a.cvttss2si(size, d, x);
        else a.cvttsd2si(size, d, x);
    }

    private void loadConstant(Xmm dst, boolean f32, double value) {
        if (f32) {
            a.mov(DWORD, Gpr.R11, Float.floatToRawIntBits((float) value));
            a.movGprToXmm(DWORD, dst, Gpr.R11);
        } else {
            a.movabs(Gpr.R11, Double.doubleToRawLongBits(value));
            a.movGprToXmm(QWORD, dst, Gpr.R11);
        }
    }

    /** Integer → float. */
    void convert(ValType from, ValType to, boolean signed) {
        boolean f32 = to == ValType.F32;
        Val v = g.pop();
        Gpr src = g.readGpr(v);
        Xmm d = g.allocXmm();
        a.sse(SseOp.XORPS, d, d);
        if (from == ValType.I32) {
            // i32 registers are zero-extended: unsigned converts as a non-negative i64
            if (signed) cvtsi(f32, d, DWORD, src);
            else cvtsi(f32, d, QWORD, src);
        } else if (signed) {
            cvtsi(f32, d, QWORD, src);
        } else {
            Label big = a.newLabel();
            Label done = a.newLabel();
            a.test(QWORD, src, src);
            a.jcc(Cond.S, big);
            cvtsi(f32, d, QWORD, src);
            a.jmp(done);
            a.bind(big);
            // halve keeping the lowest bit sticky, convert, double: rounds exactly like a direct conversion
            a.mov(QWORD, Gpr.R11, src);
            a.shift(ShiftOp.SHR, QWORD, Gpr.R11, 1);
            Gpr low = g.allocGpr();
            a.mov(DWORD, low, src);
            a.and(DWORD, low, 1);
            a.or(QWORD, Gpr.R11, low);
            g.release(low);
            cvtsi(f32, d, QWORD, Gpr.R11);
            a.sse(f32 ? SseOp.ADDSS : SseOp.ADDSD, d, d);
            a.bind(done);
        }
        g.doneReading(v, src);
        g.pushReg(to, d);
    }

    private void cvtsi(boolean f32, Xmm d, OperandSize size, Gpr src) {
        if (f32) a.cvtsi2ss(d, size, src);
        else a.cvtsi2sd(d, size, src);
    }

    void demote() {
        Val v = g.pop();
        Xmm d = g.ownXmm(v);
        a.sse(SseOp.CVTSD2SS, d, d);
        g.pushReg(ValType.F32, d);
    }

    void promote() {
        Val v = g.pop();
        Xmm d = g.ownXmm(v);
        a.sse(SseOp.CVTSS2SD, d, d);
        g.pushReg(ValType.F64, d);
    }

    /** Same bits, other register file. */
    void reinterpret(ValType to) {
        Val v = g.pop();
        if (v.isConst()) {
            g.pushConst(to, v.value());
            return;
        }
        if (Codegen.isFloat(to)) {
            Gpr src = g.readGpr(v);
            Xmm d = g.allocXmm();
            a.movGprToXmm(Codegen.sizeOf(to), d, src);
            g.doneReading(v, src);
            g.pushReg(to, d);
        } else {
            Xmm src = g.readXmm(v);
            Gpr d = g.allocGpr();
            a.movXmmToGpr(Codegen.sizeOf(to), d, src);
            g.release(src);
            g.pushReg(to, d);
        }
    }
}
