package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Sign operations on the bits, NaN payloads untouched: {@code abs}, {@code neg} and {@code copysign}.
 * abs and neg are one packed operation with a 16-byte mask from the constant pool:
 * <pre>
 *   andps dst, [rip + abs mask]     ; abs: 0x7fffffff (f64: 0x7fffffffffffffff) in the low lane
 *   xorps dst, [rip + sign mask]    ; neg: 0x80000000 (f64: 0x8000000000000000)
 * </pre>
 * copysign goes through two general-purpose registers (shown for f32; f64 uses 64-bit forms and 63):
 * <pre>
 *   movd t1, magnitude      ; or mov t1, [magnitude]
 *   movd t2, sign           ; or mov t2, [sign]
 *   shl  t1, 1
 *   shr  t1, 1              ; magnitude without its sign bit
 *   shr  t2, 31
 *   shl  t2, 31             ; only the sign bit of sign
 *   or   t1, t2
 *   movd dst, t1
 * </pre>
 */
public final class FloatSign {
    private FloatSign() {}

    /** {@code dst = |dst|}. */
    public static void abs(Assembler a, boolean f64, Xmm dst) {
        long sign = f64 ? Long.MIN_VALUE : 0x8000_0000L;
        a.sse(SseOp.ANDPS, dst, Mem.rip(a.constant128(~sign & (f64 ? -1L : 0xFFFF_FFFFL), 0)));
    }

    /** {@code dst = -dst}. */
    public static void neg(Assembler a, boolean f64, Xmm dst) {
        long sign = f64 ? Long.MIN_VALUE : 0x8000_0000L;
        a.sse(SseOp.XORPS, dst, Mem.rip(a.constant128(sign, 0)));
    }

    /** {@code dst = copysign(magnitude, sign)} with registers as operands; {@code t1 != t2}. */
    public static void copySign(Assembler a, boolean f64, Xmm dst, Xmm magnitude, Xmm sign, Gpr t1, Gpr t2) {
        copySign(a, f64, dst, magnitude, null, sign, null, t1, t2);
    }

    /**
     * {@code dst = copysign(magnitude, sign)}, each operand either in a register ({@code magnitudeReg},
     * {@code signReg}) or, when that is null, in memory ({@code magnitudeMem}, {@code signMem}).
     */
    public static void copySign(Assembler a, boolean f64, Xmm dst, Xmm magnitudeReg, Mem magnitudeMem,
                                Xmm signReg, Mem signMem, Gpr t1, Gpr t2) {
        OperandSize size = f64 ? QWORD : DWORD;
        int bits = size.bits() - 1;
        if (magnitudeReg != null) a.movXmmToGpr(size, t1, magnitudeReg);
        else a.mov(size, t1, magnitudeMem);
        if (signReg != null) a.movXmmToGpr(size, t2, signReg);
        else a.mov(size, t2, signMem);
        a.shift(ShiftOp.SHL, size, t1, 1);
        a.shift(ShiftOp.SHR, size, t1, 1);
        a.shift(ShiftOp.SHR, size, t2, bits);
        a.shift(ShiftOp.SHL, size, t2, bits);
        a.alu(AluOp.OR, size, t1, t2);
        a.movGprToXmm(size, dst, t1);
    }
}
