package dev.isthmus.compiler.machine.simd;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.DWORD;

/**
 * The emitting helpers of the integer SIMD lowerings ({@link SimdIntegerOps}, {@link SimdIntegerSequences}): one
 * instruction in its SSE or VEX form. The raw three-operand helpers ({@link #op3}) require {@code dst == x} on the
 * SSE path (the sequences arrange it); {@link SimdFamily#binary} copes with any aliasing.
 */
abstract class SimdIntegerBase extends SimdFamily {
    /** The scratch general-purpose register of both tiers. */
    static final Gpr SCRATCH_GPR = Gpr.R11;

    SimdIntegerBase(Assembler a, boolean avx) {
        super(a, avx);
    }

    /** {@code dst = op(x, y)}; without AVX {@code dst} must be {@code x}. */
    void op3(SimdOp op, Xmm dst, Xmm x, Xmm y) {
        if (avx) {
            a.vex(op, dst, x, y);
        } else {
            requireSame(dst, x);
            a.simd(op, dst, y);
        }
    }

    /** {@code dst = op(x, [m])}; without AVX {@code dst} must be {@code x}. */
    void op3(SimdOp op, Xmm dst, Xmm x, Mem m) {
        if (avx) {
            a.vex(op, dst, x, m);
        } else {
            requireSame(dst, x);
            a.simd(op, dst, m);
        }
    }

    /** {@code dst = op(x, [m])} for any {@code dst} (copies {@code x} first without AVX). */
    void binary(SimdOp op, Xmm dst, Xmm x, Mem m) {
        if (!avx) move(dst, x);
        op3(op, dst, avx ? x : dst, m);
    }

    /** {@code dst = op(src)} for a form XX instruction (pabs*, pmovsx*, pmovzx*). */
    void unary(SimdOp op, Xmm dst, Xmm src) {
        if (avx) a.vex(op, dst, src);
        else a.simd(op, dst, src);
    }

    /** {@code dst = op(src, imm)} for a form XXI instruction (pshufd). */
    void unary(SimdOp op, Xmm dst, Xmm src, int imm) {
        if (avx) a.vex(op, dst, src, imm);
        else a.simd(op, dst, src, imm);
    }

    /** {@code dst = src shifted by imm} (form SHIFT). */
    void shift(SimdOp op, Xmm dst, Xmm src, int imm) {
        if (avx) {
            a.vex(op, dst, src, imm);
        } else {
            move(dst, src);
            a.simd(op, dst, imm);
        }
    }

    /** {@code dst = [m]} (a 16-byte constant of the pool, which is 16-byte aligned). */
    void load(Xmm dst, Mem m) {
        if (avx) a.vex(SimdOp.MOVDQA, dst, m);
        else a.simd(SimdOp.MOVDQA, dst, m);
    }

    /** {@code x = all ones}. */
    void allOnes(Xmm x) {
        op3(SimdOp.PCMPEQD, x, x, x);
    }

    /** {@code x = 0}. */
    void zero(Xmm x) {
        op3(SimdOp.PXOR, x, x, x);
    }

    /** {@code dst = ~src} (through {@link #SCRATCH}). */
    void not(Xmm dst, Xmm src) {
        allOnes(SCRATCH);
        binary(SimdOp.PXOR, dst, src, SCRATCH, true);
    }

    /** {@code r11d = count & mask} (a shift count taken modulo the lane width). */
    void maskedCount(Gpr count, int mask) {
        a.mov(DWORD, SCRATCH_GPR, count);
        a.and(DWORD, SCRATCH_GPR, mask);
    }

    /** {@code x = r11d} zero-extended (a shift count vector). */
    void countVector(Xmm x) {
        if (avx) a.vex(SimdOp.MOVD, x, SCRATCH_GPR);
        else a.simd(SimdOp.MOVD, x, SCRATCH_GPR);
    }

    /** The constant with every byte {@code b}. */
    Mem splat8(int b) {
        long v = (b & 0xFFL) * 0x0101_0101_0101_0101L;
        return Mem.rip(a.constant128(v, v));
    }

    /** The constant with every 16-bit lane {@code w}. */
    Mem splat16(int w) {
        long v = (w & 0xFFFFL) * 0x0001_0001_0001_0001L;
        return Mem.rip(a.constant128(v, v));
    }

    /** The constant with every 32-bit lane {@code d}. */
    Mem splat32(int d) {
        long v = (d & 0xFFFF_FFFFL) * 0x0000_0001_0000_0001L;
        return Mem.rip(a.constant128(v, v));
    }

    /** The 16-byte constant {@code high:low}. */
    Mem constant(long low, long high) {
        return Mem.rip(a.constant128(low, high));
    }

    private static void requireSame(Xmm dst, Xmm x) {
        if (dst != x) throw new IllegalStateException("SSE form needs dst == first source: " + dst + ", " + x);
    }
}
