package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Float to integer truncation, trapping ({@code i32/i64.trunc_f32/f64_s/u}: NaN raises "invalid conversion to
 * integer", out of range "integer overflow") and saturating ({@code trunc_sat}: NaN is 0, out of range the nearest
 * bound). The conversion comes first and the input is only examined when the result says it may be invalid, so
 * the common path is the conversion, one compare and one branch. Shown for f64 (f32: {@code ss} forms, f32
 * constants); constants are {@code [rip + ...]} in the constant pool.
 * <pre>
 * ; signed: cvttsd2si gives MIN ("integer indefinite") for NaN and out-of-range input
 *   cvttsd2si dst, src
 *   cmp       dst, 1              ; overflows (OF=1) only for dst = MIN
 *   jno       done
 *   ucomisd   src, src
 *   jp        trap(invalid)       ; saturating: jp nan
 *   ucomisd   src, [MIN - 1]      ; f64 to i32: x &lt;= MIN - 1 (jbe); else x &lt; MIN (jb, [MIN])
 *   jbe       trap(overflow)      ; saturating: ucomisd src, [-MIN]; jb done (MIN is right)
 *   ucomisd   src, [-MIN]         ;             xor dst, -1 (MAX); jmp done
 *   jae       trap(overflow)      ;             nan: xor dstd, dstd
 * done:
 * ; unsigned to i32: a 64-bit conversion, valid exactly when it fits 32 bits
 *   cvttsd2si dst, src            ; 64-bit
 *   mov       t1d, dstd
 *   cmp       t1, dst
 *   je        done
 *   ucomisd   src, src            ; saturating: xor dstd, dstd; ucomisd src, [0]
 *   jp        trap(invalid)       ;             jbe done (NaN or negative: 0)
 *   jmp       trap(overflow)      ;             mov dstd, 0xffffffff
 * done:
 * ; unsigned to i64
 *   ucomisd   src, [2^63]
 *   jae       big
 *   cvttsd2si dst, src            ; 64-bit; negative: NaN or x &lt;= -1
 *   test      dst, dst
 *   jns       done
 *   ucomisd   src, src            ; saturating: xor dstd, dstd; jmp done
 *   jp        trap(invalid)
 *   jmp       trap(overflow)
 * big:
 *   movaps    xt, src
 *   subsd     xt, [2^63]
 *   cvttsd2si dst, xt
 *   test      dst, dst
 *   js        trap(overflow)      ; x &gt;= 2^64 (saturating: js max)
 *   mov       t1, 0x8000000000000000
 *   xor       dst, t1
 *                                 ; saturating: jmp done; max: mov dst, -1
 * done:
 * </pre>
 */
public final class FloatToInt {
    private FloatToInt() {}

    /**
     * {@code dst = trunc(src)}; {@code src} is left unchanged unless it is {@code xt}.
     *
     * @param t1 scratch for unsigned targets, different from {@code dst}
     * @param xt scratch for unsigned i64; may be {@code src} itself when src may be clobbered (src is not read
     *           after {@code xt} is written)
     */
    public static void emit(Assembler a, TrapTargets traps, boolean fromF64, boolean toI64, boolean signed,
                            boolean saturate, Gpr dst, Xmm src, Gpr t1, Xmm xt) {
        if (signed) signed(a, traps, fromF64, toI64, saturate, dst, src);
        else if (!toI64) unsigned32(a, traps, fromF64, saturate, dst, src, t1);
        else unsigned64(a, traps, fromF64, saturate, dst, src, t1, xt);
    }

    private static void signed(Assembler a, TrapTargets traps, boolean fromF64, boolean toI64, boolean saturate,
                               Gpr dst, Xmm src) {
        OperandSize size = toI64 ? QWORD : DWORD;
        SseOp ucomis = fromF64 ? SseOp.UCOMISD : SseOp.UCOMISS;
        cvtt(a, fromF64, size, dst, src);
        traps.instructionEmitted();
        Label done = a.newLabel();
        a.cmp(size, dst, 1);
        a.jcc(Cond.NO, done);
        double min = toI64 ? -0x1p63 : -0x1p31;
        Mem upper = constant(a, fromF64, -min);
        if (saturate) {
            Label nan = a.newLabel();
            a.sse(ucomis, src, src);
            a.jcc(Cond.P, nan);
            a.sse(ucomis, src, upper);
            a.jcc(Cond.B, done);
            a.alu(AluOp.XOR, size, dst, -1); // ~MIN = MAX
            a.jmp(done);
            a.bind(nan);
            a.alu(AluOp.XOR, DWORD, dst, dst);
        } else {
            a.sse(ucomis, src, src);
            a.jcc(Cond.P, traps.trap(TrapCode.INVALID_CONVERSION_TO_INTEGER));
            // too small: x <= min - 1 (f64 to i32) or x < min (where min - 1 is not representable)
            boolean exclusiveBelow = !toI64 && fromF64;
            a.sse(ucomis, src, constant(a, fromF64, exclusiveBelow ? min - 1 : min));
            a.jcc(exclusiveBelow ? Cond.BE : Cond.B, traps.trap(TrapCode.INTEGER_OVERFLOW));
            a.sse(ucomis, src, upper);
            a.jcc(Cond.AE, traps.trap(TrapCode.INTEGER_OVERFLOW));
        }
        a.bind(done);
    }

    private static void unsigned32(Assembler a, TrapTargets traps, boolean fromF64, boolean saturate, Gpr dst,
                                   Xmm src, Gpr t1) {
        SseOp ucomis = fromF64 ? SseOp.UCOMISD : SseOp.UCOMISS;
        cvtt(a, fromF64, QWORD, dst, src);
        traps.instructionEmitted();
        Label done = a.newLabel();
        a.mov(DWORD, t1, dst);
        a.cmp(QWORD, t1, dst);
        a.jcc(Cond.E, done);
        if (saturate) {
            a.alu(AluOp.XOR, DWORD, dst, dst);
            a.sse(ucomis, src, constant(a, fromF64, 0.0));
            a.jcc(Cond.BE, done);
            a.mov(DWORD, dst, 0xFFFF_FFFFL);
        } else {
            invalid(a, traps, ucomis, src);
        }
        a.bind(done);
    }

    private static void unsigned64(Assembler a, TrapTargets traps, boolean fromF64, boolean saturate, Gpr dst,
                                   Xmm src, Gpr t1, Xmm xt) {
        SseOp ucomis = fromF64 ? SseOp.UCOMISD : SseOp.UCOMISS;
        Mem two63 = constant(a, fromF64, 0x1p63);
        Label big = a.newLabel();
        Label done = a.newLabel();
        a.sse(ucomis, src, two63);
        a.jcc(Cond.AE, big);
        cvtt(a, fromF64, QWORD, dst, src);
        traps.instructionEmitted();
        a.test(QWORD, dst, dst);
        a.jcc(Cond.NS, done);
        if (saturate) {
            a.alu(AluOp.XOR, DWORD, dst, dst);
            a.jmp(done);
        } else {
            invalid(a, traps, ucomis, src);
        }
        a.bind(big);
        if (xt != src) a.sse(SseOp.MOVAPS, xt, src);
        a.sse(fromF64 ? SseOp.SUBSD : SseOp.SUBSS, xt, two63);
        cvtt(a, fromF64, QWORD, dst, xt);
        a.test(QWORD, dst, dst);
        Label max = saturate ? a.newLabel() : traps.trap(TrapCode.INTEGER_OVERFLOW);
        a.jcc(Cond.S, max);
        a.movabs(t1, Long.MIN_VALUE);
        a.xor(QWORD, dst, t1);
        if (saturate) {
            a.jmp(done);
            a.bind(max);
            a.mov(QWORD, dst, -1);
        }
        a.bind(done);
    }

    /** An input known invalid: NaN traps as an invalid conversion, anything else as an overflow. */
    private static void invalid(Assembler a, TrapTargets traps, SseOp ucomis, Xmm src) {
        a.sse(ucomis, src, src);
        a.jcc(Cond.P, traps.trap(TrapCode.INVALID_CONVERSION_TO_INTEGER));
        a.jmp(traps.trap(TrapCode.INTEGER_OVERFLOW));
    }

    private static Mem constant(Assembler a, boolean f64, double value) {
        return f64 ? Mem.rip(a.constant64(Double.doubleToRawLongBits(value)))
                : Mem.rip(a.constant32(Float.floatToRawIntBits((float) value)));
    }

    private static void cvtt(Assembler a, boolean fromF64, OperandSize size, Gpr d, Xmm x) {
        if (fromF64) a.cvttsd2si(size, d, x);
        else a.cvttss2si(size, d, x);
    }
}
