package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Wasm {@code f32/f64.min} and {@code max}: NaN when either operand is NaN, {@code min(-0, +0) = -0} and
 * {@code max(-0, +0) = +0}; {@code minss/maxss} alone return their second operand for NaN and for equal operands.
 * Emitted as (min shown; max uses {@code andps} and {@code maxss}, f64 the {@code sd} forms):
 * <pre>
 *   ucomiss dst, src
 *   jp      nan            ; unordered: a NaN operand
 *   jne     normal
 *   orps    dst, src       ; equal: only ±0 can differ, or keeps -0 (max: and keeps +0)
 *   jmp     done
 * nan:
 *   addss   dst, src       ; a quiet NaN
 *   jmp     done
 * normal:
 *   minss   dst, src
 * done:
 * </pre>
 * The common path (ordered, different) ends in the fall-through. With {@code src} in memory the equal case goes
 * through a general-purpose scratch register ({@code movq t, dst; or t, [src]; movq dst, t}): the packed
 * operations want an aligned 16-byte memory operand.
 */
public final class FloatMinMax {
    private FloatMinMax() {}

    /** {@code dst = min/max(dst, src)}. */
    public static void emit(Assembler a, boolean f64, boolean max, Xmm dst, Xmm src) {
        emit(a, f64, max, dst, src, null, null);
    }

    /** {@code dst = min/max(dst, [src])}, the equal case through {@code scratch}. */
    public static void emit(Assembler a, boolean f64, boolean max, Xmm dst, Mem src, Gpr scratch) {
        emit(a, f64, max, dst, null, src, scratch);
    }

    private static void emit(Assembler a, boolean f64, boolean max, Xmm dst, Xmm srcReg, Mem srcMem, Gpr scratch) {
        SseOp ucomis = f64 ? SseOp.UCOMISD : SseOp.UCOMISS;
        SseOp add = f64 ? SseOp.ADDSD : SseOp.ADDSS;
        SseOp op = max ? (f64 ? SseOp.MAXSD : SseOp.MAXSS) : (f64 ? SseOp.MINSD : SseOp.MINSS);
        Label nan = a.newLabel();
        Label normal = a.newLabel();
        Label done = a.newLabel();
        sse(a, ucomis, dst, srcReg, srcMem);
        a.jcc(Cond.P, nan);
        a.jcc(Cond.NE, normal);
        if (srcReg != null) {
            a.sse(max ? SseOp.ANDPS : SseOp.ORPS, dst, srcReg);
        } else {
            a.movXmmToGpr(QWORD, scratch, dst);
            a.alu(max ? AluOp.AND : AluOp.OR, QWORD, scratch, srcMem);
            a.movGprToXmm(QWORD, dst, scratch);
        }
        a.jmp(done);
        a.bind(nan);
        sse(a, add, dst, srcReg, srcMem);
        a.jmp(done);
        a.bind(normal);
        sse(a, op, dst, srcReg, srcMem);
        a.bind(done);
    }

    private static void sse(Assembler a, SseOp op, Xmm dst, Xmm srcReg, Mem srcMem) {
        if (srcReg != null) a.sse(op, dst, srcReg);
        else a.sse(op, dst, srcMem);
    }
}
