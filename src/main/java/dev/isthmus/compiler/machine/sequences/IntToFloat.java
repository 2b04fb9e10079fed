package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Integer to float conversion ({@code f32/f64.convert_i32/i64_s/u}). {@code xorps dst, dst} first breaks the
 * dependency of {@code cvtsi2ss/sd} (which writes only the low lane) on dst's old value. Shown for f64 (f32:
 * {@code cvtsi2ss}, {@code addss}):
 * <pre>
 *   xorps    dst, dst
 * ; i32 signed
 *   cvtsi2sd dst, src32
 * ; i32 unsigned: zero-extended, converted as a non-negative i64
 *   mov      t1d, srcd          ; only when src's upper half is not known to be zero (or from memory)
 *   cvtsi2sd dst, t1
 * ; i64 signed
 *   cvtsi2sd dst, src
 * ; i64 unsigned
 *   test     src, src
 *   js       big
 *   cvtsi2sd dst, src           ; below 2^63: as signed
 *   jmp      done
 * big:                          ; halve keeping the lowest bit sticky, convert, double: same rounding
 *   mov      t1, src
 *   shr      t1, 1
 *   mov      t2d, srcd
 *   and      t2d, 1
 *   or       t1, t2
 *   cvtsi2sd dst, t1
 *   addsd    dst, dst
 * done:
 * </pre>
 */
public final class IntToFloat {
    private IntToFloat() {}

    /**
     * {@code dst = (float) src}.
     *
     * @param zeroExtended whether an i32 {@code src} has its upper 32 bits clear (then u32 needs no move)
     * @param t1           scratch: u32 when not zero-extended, u64; may be {@code src} itself for u32
     * @param t2           scratch for u64, different from {@code t1}; may be {@code src} itself when src may be
     *                     clobbered (src is not read after {@code t2} is written)
     */
    public static void emit(Assembler a, boolean fromI64, boolean signed, boolean toF64, Xmm dst, Gpr src,
                            boolean zeroExtended, Gpr t1, Gpr t2) {
        a.sse(SseOp.XORPS, dst, dst);
        if (!fromI64) {
            if (signed) {
                cvtsi(a, toF64, dst, DWORD, src);
            } else if (zeroExtended) {
                cvtsi(a, toF64, dst, QWORD, src);
            } else {
                a.mov(DWORD, t1, src);
                cvtsi(a, toF64, dst, QWORD, t1);
            }
        } else if (signed) {
            cvtsi(a, toF64, dst, QWORD, src);
        } else {
            Label big = a.newLabel();
            Label done = a.newLabel();
            a.test(QWORD, src, src);
            a.jcc(Cond.S, big);
            cvtsi(a, toF64, dst, QWORD, src);
            a.jmp(done);
            a.bind(big);
            a.mov(QWORD, t1, src);
            a.shift(ShiftOp.SHR, QWORD, t1, 1);
            a.mov(DWORD, t2, src);
            a.and(DWORD, t2, 1);
            a.or(QWORD, t1, t2);
            cvtsi(a, toF64, dst, QWORD, t1);
            a.sse(toF64 ? SseOp.ADDSD : SseOp.ADDSS, dst, dst);
            a.bind(done);
        }
    }

    /**
     * {@code dst = (float) [src]} for signed sources and u32 (u64 wants a register): signed converts straight
     * from memory, u32 loads its 32 bits into {@code t1} ({@code mov t1d, [src]}) first.
     */
    public static void emit(Assembler a, boolean fromI64, boolean signed, boolean toF64, Xmm dst, Mem src, Gpr t1) {
        if (fromI64 && !signed) throw new IllegalArgumentException("u64 from memory");
        a.sse(SseOp.XORPS, dst, dst);
        if (signed) {
            if (toF64) a.cvtsi2sd(dst, fromI64 ? QWORD : DWORD, src);
            else a.cvtsi2ss(dst, fromI64 ? QWORD : DWORD, src);
        } else {
            a.mov(DWORD, t1, src);
            cvtsi(a, toF64, dst, QWORD, t1);
        }
    }

    private static void cvtsi(Assembler a, boolean toF64, Xmm d, OperandSize size, Gpr src) {
        if (toF64) a.cvtsi2sd(d, size, src);
        else a.cvtsi2ss(d, size, src);
    }
}
