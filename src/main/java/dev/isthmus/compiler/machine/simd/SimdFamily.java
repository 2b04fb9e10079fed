package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

/**
 * One family of SIMD lowerings (integer, float, lanes, memory, relaxed), with the helpers every family needs to emit
 * the SSE or the AVX form of an instruction from operands that may alias. A family handles a fixed set of opcodes
 * ({@link #handles}) and says how many temporaries each needs ({@link #temps}).
 */
abstract class SimdFamily {
    /** The scratch xmm register of both tiers (never an operand; any sequence may clobber it). */
    static final Xmm SCRATCH = Xmm.XMM15;

    final Assembler a;
    final boolean avx;

    SimdFamily(Assembler a, boolean avx) {
        this.a = a;
        this.avx = avx;
    }

    /** Whether this family lowers {@code op}. */
    abstract boolean handles(Opcode op);

    /** {xmm temporaries, gpr temporaries} that {@code op}'s sequence needs (with or without AVX). */
    abstract int[] temps(Opcode op);

    /** Emits {@code op}. */
    abstract void emit(Opcode op, SimdOperands o);

    /**
     * Whether {@code op}'s sequence reads the register of source {@code source} when the tier knows the
     * {@code constants} (one per source, as {@link SimdOperands#constants()}); false when the sequence uses the
     * known value instead (an immediate, a constant-pool operand), so a tier may leave that source out of registers.
     */
    boolean readsRegister(Opcode op, int source, Object[] constants) {
        return true;
    }

    static final int[] NO_TEMPS = {0, 0};

    // ---------------------------------------------------------------- helpers

    /** {@code dst = src} (nothing when equal). */
    void move(Xmm dst, Xmm src) {
        if (dst == src) return;
        if (avx) a.vex(SimdOp.MOVDQA, dst, src);
        else a.simd(SimdOp.MOVDQA, dst, src);
    }

    /**
     * {@code dst = op(x, y)} for a two-operand instruction (form XXX): {@code vop dst, x, y} with AVX; else
     * {@code movdqa dst, x; op dst, y}, going through {@link #SCRATCH} when {@code dst} aliases {@code y} but not
     * {@code x} (or swapping the operands when {@code commutative}).
     */
    void binary(SimdOp op, Xmm dst, Xmm x, Xmm y, boolean commutative) {
        if (avx) {
            a.vex(op, dst, x, y);
        } else if (dst == x) {
            a.simd(op, dst, y);
        } else if (dst == y && commutative) {
            a.simd(op, dst, x);
        } else if (dst == y) {
            move(SCRATCH, x);
            a.simd(op, SCRATCH, y);
            move(dst, SCRATCH);
        } else {
            move(dst, x);
            a.simd(op, dst, y);
        }
    }

    /**
     * {@code dst = op(x, [y])} for a two-operand instruction whose second operand is in memory ({@code y} a
     * 16-byte aligned pool constant, as SSE forms require): {@code vop dst, x, [y]} with AVX, else
     * {@code movdqa dst, x; op dst, [y]}.
     */
    void binary(SimdOp op, Xmm dst, Xmm x, Mem y) {
        if (avx) {
            a.vex(op, dst, x, y);
        } else {
            move(dst, x);
            a.simd(op, dst, y);
        }
    }

    /** The 16 bytes {@code b} as a pool constant (16-byte aligned, RIP-relative). */
    Mem pool128(byte[] b) {
        long low = 0, high = 0;
        for (int i = 7; i >= 0; i--) {
            low = low << 8 | (b[i] & 0xFF);
            high = high << 8 | (b[i + 8] & 0xFF);
        }
        return Mem.rip(a.constant128(low, high));
    }

    /** {@code dst = op(x, y, imm)} for a form XXXI instruction, with the same aliasing rules as {@link #binary}. */
    void binary(SimdOp op, Xmm dst, Xmm x, Xmm y, int imm) {
        if (avx) {
            a.vex(op, dst, x, y, imm);
        } else if (dst == x) {
            a.simd(op, dst, y, imm);
        } else if (dst == y) {
            move(SCRATCH, x);
            a.simd(op, SCRATCH, y, imm);
            move(dst, SCRATCH);
        } else {
            move(dst, x);
            a.simd(op, dst, y, imm);
        }
    }
}
