package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import java.util.EnumSet;
import java.util.Set;

import static dev.isthmus.binary.Opcode.*;
import static dev.isthmus.x64.OperandSize.DWORD;

/**
 * The integer SIMD instructions that take a sequence: shifts (the count is an i32 in a general-purpose register,
 * taken modulo the lane width; immediate forms when the tier knows the count, {@link SimdOperands#constant}),
 * negation and not, i64x2 mul/abs, bitselect, the boolean reductions and bitmasks, popcnt, the high-half extends,
 * extmul, extadd_pairwise and q15mulr_sat_s. Each method says how it copes with the destination aliasing a source:
 * every source is read before the destination is first written, unless noted.
 */
final class SimdIntegerSequences extends SimdIntegerBase {
    private static final Set<Opcode> HANDLED = EnumSet.of(
            I8X16_SHL, I8X16_SHR_S, I8X16_SHR_U, I16X8_SHL, I16X8_SHR_S, I16X8_SHR_U,
            I32X4_SHL, I32X4_SHR_S, I32X4_SHR_U, I64X2_SHL, I64X2_SHR_S, I64X2_SHR_U,
            I8X16_NEG, I16X8_NEG, I32X4_NEG, I64X2_NEG, I64X2_ABS, I64X2_MUL, V128_NOT, V128_BITSELECT,
            V128_ANY_TRUE, I8X16_ALL_TRUE, I16X8_ALL_TRUE, I32X4_ALL_TRUE, I64X2_ALL_TRUE,
            I8X16_BITMASK, I16X8_BITMASK, I32X4_BITMASK, I64X2_BITMASK, I8X16_POPCNT,
            I16X8_EXTEND_HIGH_I8X16_S, I16X8_EXTEND_HIGH_I8X16_U, I32X4_EXTEND_HIGH_I16X8_S,
            I32X4_EXTEND_HIGH_I16X8_U, I64X2_EXTEND_HIGH_I32X4_S, I64X2_EXTEND_HIGH_I32X4_U,
            I16X8_EXTMUL_LOW_I8X16_S, I16X8_EXTMUL_HIGH_I8X16_S, I16X8_EXTMUL_LOW_I8X16_U, I16X8_EXTMUL_HIGH_I8X16_U,
            I32X4_EXTMUL_LOW_I16X8_S, I32X4_EXTMUL_HIGH_I16X8_S, I32X4_EXTMUL_LOW_I16X8_U, I32X4_EXTMUL_HIGH_I16X8_U,
            I64X2_EXTMUL_LOW_I32X4_S, I64X2_EXTMUL_HIGH_I32X4_S, I64X2_EXTMUL_LOW_I32X4_U, I64X2_EXTMUL_HIGH_I32X4_U,
            I16X8_EXTADD_PAIRWISE_I8X16_S, I16X8_EXTADD_PAIRWISE_I8X16_U,
            I32X4_EXTADD_PAIRWISE_I16X8_S, I32X4_EXTADD_PAIRWISE_I16X8_U, I16X8_Q15MULR_SAT_S);

    /** The instructions that need one xmm temporary (with and without AVX). */
    private static final Set<Opcode> ONE_TEMP = EnumSet.of(I8X16_SHL, I8X16_SHR_S, I8X16_SHR_U, I64X2_SHR_S,
            I64X2_MUL, I8X16_POPCNT);

    /** The popcount of each nibble 0..15, as pshufb's table. */
    private static final long NIBBLE_COUNTS_LOW = 0x0302_0201_0201_0100L;
    private static final long NIBBLE_COUNTS_HIGH = 0x0403_0302_0302_0201L;

    SimdIntegerSequences(Assembler a, boolean avx) {
        super(a, avx);
    }

    @Override
    boolean handles(Opcode op) {
        return HANDLED.contains(op);
    }

    @Override
    int[] temps(Opcode op) {
        return ONE_TEMP.contains(op) ? new int[] {1, 0} : NO_TEMPS;
    }

    /** Shifts by a known count use it as an immediate, never the count register. */
    @Override
    boolean readsRegister(Opcode op, int source, Object[] constants) {
        return source != 1 || !isShift(op) || !(constants[1] instanceof Long);
    }

    private static boolean isShift(Opcode op) {
        return switch (op) {
            case I8X16_SHL, I8X16_SHR_S, I8X16_SHR_U, I16X8_SHL, I16X8_SHR_S, I16X8_SHR_U, I32X4_SHL, I32X4_SHR_S,
                 I32X4_SHR_U, I64X2_SHL, I64X2_SHR_S, I64X2_SHR_U -> true;
            default -> false;
        };
    }

    @Override
    void emit(Opcode op, SimdOperands o) {
        switch (op) {
            case I8X16_SHL, I8X16_SHR_U, I8X16_SHR_S, I64X2_SHR_S -> {
                Long count = o.constant(1);
                if (count != null) constantShift(op, o.xd(), o.x(0), count.intValue(), temp(o));
                else if (op == I8X16_SHL) shl8(o.xd(), o.x(0), o.g(1), temp(o));
                else if (op == I8X16_SHR_U) shrU8(o.xd(), o.x(0), o.g(1), temp(o));
                else if (op == I8X16_SHR_S) shrS8(o.xd(), o.x(0), o.g(1), temp(o));
                else shrS64(o.xd(), o.x(0), o.g(1), temp(o));
            }
            case I16X8_SHL -> shift(SimdOp.PSLLW, SimdOp.PSLLW_I, 15, o);
            case I16X8_SHR_S -> shift(SimdOp.PSRAW, SimdOp.PSRAW_I, 15, o);
            case I16X8_SHR_U -> shift(SimdOp.PSRLW, SimdOp.PSRLW_I, 15, o);
            case I32X4_SHL -> shift(SimdOp.PSLLD, SimdOp.PSLLD_I, 31, o);
            case I32X4_SHR_S -> shift(SimdOp.PSRAD, SimdOp.PSRAD_I, 31, o);
            case I32X4_SHR_U -> shift(SimdOp.PSRLD, SimdOp.PSRLD_I, 31, o);
            case I64X2_SHL -> shift(SimdOp.PSLLQ, SimdOp.PSLLQ_I, 63, o);
            case I64X2_SHR_U -> shift(SimdOp.PSRLQ, SimdOp.PSRLQ_I, 63, o);
            case I8X16_NEG -> negate(SimdOp.PSIGNB, o.xd(), o.x(0));
            case I16X8_NEG -> negate(SimdOp.PSIGNW, o.xd(), o.x(0));
            case I32X4_NEG -> negate(SimdOp.PSIGND, o.xd(), o.x(0));
            case I64X2_NEG -> neg64(o.xd(), o.x(0));
            case I64X2_ABS -> abs64(o.xd(), o.x(0));
            case I64X2_MUL -> mul64(o.xd(), o.x(0), o.x(1), temp(o));
            case V128_NOT -> not(o.xd(), o.x(0));
            case V128_BITSELECT -> bitselect(o.xd(), o.x(0), o.x(1), o.x(2));
            case V128_ANY_TRUE -> anyTrue(o.gd(), o.x(0));
            case I8X16_ALL_TRUE -> allTrue(SimdOp.PCMPEQB, o.gd(), o.x(0));
            case I16X8_ALL_TRUE -> allTrue(SimdOp.PCMPEQW, o.gd(), o.x(0));
            case I32X4_ALL_TRUE -> allTrue(SimdOp.PCMPEQD, o.gd(), o.x(0));
            case I64X2_ALL_TRUE -> allTrue(SimdOp.PCMPEQQ, o.gd(), o.x(0));
            case I8X16_BITMASK -> mask(SimdOp.PMOVMSKB, o.gd(), o.x(0));
            case I16X8_BITMASK -> bitmask16(o.gd(), o.x(0));
            case I32X4_BITMASK -> mask(SimdOp.MOVMSKPS, o.gd(), o.x(0));
            case I64X2_BITMASK -> mask(SimdOp.MOVMSKPD, o.gd(), o.x(0));
            case I8X16_POPCNT -> popcnt(o.xd(), o.x(0), temp(o));
            case I16X8_EXTEND_HIGH_I8X16_S -> extendHigh(SimdOp.PMOVSXBW, o.xd(), o.x(0));
            case I16X8_EXTEND_HIGH_I8X16_U -> extendHigh(SimdOp.PMOVZXBW, o.xd(), o.x(0));
            case I32X4_EXTEND_HIGH_I16X8_S -> extendHigh(SimdOp.PMOVSXWD, o.xd(), o.x(0));
            case I32X4_EXTEND_HIGH_I16X8_U -> extendHigh(SimdOp.PMOVZXWD, o.xd(), o.x(0));
            case I64X2_EXTEND_HIGH_I32X4_S -> extendHigh(SimdOp.PMOVSXDQ, o.xd(), o.x(0));
            case I64X2_EXTEND_HIGH_I32X4_U -> extendHigh(SimdOp.PMOVZXDQ, o.xd(), o.x(0));
            case I16X8_EXTMUL_LOW_I8X16_S -> extmul8(SimdOp.PMOVSXBW, false, o);
            case I16X8_EXTMUL_HIGH_I8X16_S -> extmul8(SimdOp.PMOVSXBW, true, o);
            case I16X8_EXTMUL_LOW_I8X16_U -> extmul8(SimdOp.PMOVZXBW, false, o);
            case I16X8_EXTMUL_HIGH_I8X16_U -> extmul8(SimdOp.PMOVZXBW, true, o);
            case I32X4_EXTMUL_LOW_I16X8_S -> extmul16(SimdOp.PMULHW, SimdOp.PUNPCKLWD, o);
            case I32X4_EXTMUL_HIGH_I16X8_S -> extmul16(SimdOp.PMULHW, SimdOp.PUNPCKHWD, o);
            case I32X4_EXTMUL_LOW_I16X8_U -> extmul16(SimdOp.PMULHUW, SimdOp.PUNPCKLWD, o);
            case I32X4_EXTMUL_HIGH_I16X8_U -> extmul16(SimdOp.PMULHUW, SimdOp.PUNPCKHWD, o);
            case I64X2_EXTMUL_LOW_I32X4_S -> extmul32(SimdOp.PMULDQ, 0x50, o);
            case I64X2_EXTMUL_HIGH_I32X4_S -> extmul32(SimdOp.PMULDQ, 0xFA, o);
            case I64X2_EXTMUL_LOW_I32X4_U -> extmul32(SimdOp.PMULUDQ, 0x50, o);
            case I64X2_EXTMUL_HIGH_I32X4_U -> extmul32(SimdOp.PMULUDQ, 0xFA, o);
            case I16X8_EXTADD_PAIRWISE_I8X16_S -> extaddS8(o.xd(), o.x(0));
            case I16X8_EXTADD_PAIRWISE_I8X16_U -> binary(SimdOp.PMADDUBSW, o.xd(), o.x(0), splat8(1));
            case I32X4_EXTADD_PAIRWISE_I16X8_S -> binary(SimdOp.PMADDWD, o.xd(), o.x(0), splat16(1));
            case I32X4_EXTADD_PAIRWISE_I16X8_U -> extaddU16(o.xd(), o.x(0));
            case I16X8_Q15MULR_SAT_S -> q15mulr(o.xd(), o.x(0), o.x(1));
            default -> throw new IllegalArgumentException("not an integer sequence: " + op.text());
        }
    }

    private static Xmm temp(SimdOperands o) {
        return o.xmmTemps().get(0);
    }

    // ---------------------------------------------------------------- shifts

    /**
     * i16/i32/i64 shifts: by the immediate {@code count & mask} when the tier knows the count (none for 0), else the
     * count modulo the width into the scratch register, then one shift.
     */
    private void shift(SimdOp op, SimdOp immediate, int mask, SimdOperands o) {
        Long count = o.constant(1);
        if (count != null) {
            int s = count.intValue() & mask;
            if (s == 0) move(o.xd(), o.x(0));
            else shift(immediate, o.xd(), o.x(0), s);
            return;
        }
        maskedCount(o.g(1), mask);
        countVector(SCRATCH);
        binary(op, o.xd(), o.x(0), SCRATCH, false);
    }

    /**
     * The byte shifts and i64x2.shr_s by a known count {@code s} (taken modulo the width; nothing to do for 0):
     * <pre>
     *   i8x16.shl     paddb d, x, x (s = 1) | pand d, x, [0xFF >> s]; psllw d, s
     *   i8x16.shr_u   psrlw d, x, s; pand d, [0xFF >> s]
     *   i8x16.shr_s   the bytes doubled into words, psraw by s + 8, packsswb (as {@link #shrS8})
     *   i64x2.shr_s   pshufd d, x, 0xF5; psrad d, 31 (s = 63) | psrlq d, x, s; pxor d, [m]; psubq d, [m]
     *                 with m = 0x8000_0000_0000_0000 >>> s
     * </pre>
     */
    private void constantShift(Opcode op, Xmm dst, Xmm src, int count, Xmm t) {
        int s = count & (op == I64X2_SHR_S ? 63 : 7);
        if (s == 0) {
            move(dst, src);
            return;
        }
        switch (op) {
            case I8X16_SHL -> {
                if (s == 1) {
                    binary(SimdOp.PADDB, dst, src, src, true);
                } else {
                    binary(SimdOp.PAND, dst, src, splat8(0xFF >> s));
                    shift(SimdOp.PSLLW_I, dst, dst, s);
                }
            }
            case I8X16_SHR_U -> {
                shift(SimdOp.PSRLW_I, dst, src, s);
                op3(SimdOp.PAND, dst, dst, splat8(0xFF >> s));
            }
            case I8X16_SHR_S -> {
                unpackWithItself(SimdOp.PUNPCKHBW, t, src);
                unpackWithItself(SimdOp.PUNPCKLBW, dst, src);
                shift(SimdOp.PSRAW_I, t, t, s + 8);
                shift(SimdOp.PSRAW_I, dst, dst, s + 8);
                op3(SimdOp.PACKSSWB, dst, dst, t);
            }
            case I64X2_SHR_S -> {
                if (s == 63) {
                    unary(SimdOp.PSHUFD, dst, src, 0xF5);
                    shift(SimdOp.PSRAD_I, dst, dst, 31);
                } else {
                    long m = Long.MIN_VALUE >>> s;
                    shift(SimdOp.PSRLQ_I, dst, src, s);
                    op3(SimdOp.PXOR, dst, dst, constant(m, m));
                    op3(SimdOp.PSUBQ, dst, dst, constant(m, m));
                }
            }
            default -> throw new IllegalArgumentException("not a constant-count sequence: " + op.text());
        }
    }

    /**
     * i8x16.shl (x86 has no byte shifts): clear the top {@code s} bits of every byte (mask bytes {@code 0xFF >> s},
     * built as the words {@code 0xFFFF >> (s + 8)} packed to bytes), then shift the words left by {@code s}: no bit
     * crosses into the next byte.
     */
    private void shl8(Xmm dst, Xmm src, Gpr count, Xmm t) {
        maskedCount(count, 7);
        lowBitsMask(t, 8);
        binary(SimdOp.PAND, dst, src, SCRATCH, true);
        countVector(t);
        op3(SimdOp.PSLLW, dst, dst, t);
    }

    /** i8x16.shr_u: shift the words right by {@code s}, then clear the top {@code s} bits of every byte. */
    private void shrU8(Xmm dst, Xmm src, Gpr count, Xmm t) {
        maskedCount(count, 7);
        countVector(t);
        binary(SimdOp.PSRLW, dst, src, t, false);
        lowBitsMask(t, 8);
        op3(SimdOp.PAND, dst, dst, SCRATCH);
    }

    /**
     * {@link #SCRATCH} = bytes {@code 0xFF >> s} with {@code s} in r11 (left there): words {@code 0xFFFF >> (s + 8)}
     * packed with unsigned saturation. {@code t} is clobbered.
     */
    private void lowBitsMask(Xmm t, int plus) {
        a.add(DWORD, SCRATCH_GPR, plus);
        countVector(t);
        a.sub(DWORD, SCRATCH_GPR, plus);
        allOnes(SCRATCH);
        op3(SimdOp.PSRLW, SCRATCH, SCRATCH, t);
        op3(SimdOp.PACKUSWB, SCRATCH, SCRATCH, SCRATCH);
    }

    /**
     * i8x16.shr_s: each byte doubled into a word (unpack with itself: high byte = the lane), arithmetic word shift by
     * {@code s + 8}, signed pack back to bytes (exact: the results fit in a byte).
     */
    private void shrS8(Xmm dst, Xmm src, Gpr count, Xmm t) {
        unpackWithItself(SimdOp.PUNPCKHBW, t, src);
        unpackWithItself(SimdOp.PUNPCKLBW, dst, src);
        maskedCount(count, 7);
        a.add(DWORD, SCRATCH_GPR, 8);
        countVector(SCRATCH);
        op3(SimdOp.PSRAW, t, t, SCRATCH);
        op3(SimdOp.PSRAW, dst, dst, SCRATCH);
        op3(SimdOp.PACKSSWB, dst, dst, t);
    }

    private void unpackWithItself(SimdOp unpack, Xmm dst, Xmm src) {
        if (avx) {
            a.vex(unpack, dst, src, src);
        } else {
            move(dst, src);
            a.simd(unpack, dst, dst);
        }
    }

    /**
     * i64x2.shr_s (no psraq before AVX-512): with {@code m = 0x8000_0000_0000_0000 >>> s},
     * {@code x >> s == ((x >>> s) ^ m) - m}.
     */
    private void shrS64(Xmm dst, Xmm src, Gpr count, Xmm t) {
        maskedCount(count, 63);
        countVector(t);
        allOnes(SCRATCH);
        shift(SimdOp.PSLLQ_I, SCRATCH, SCRATCH, 63);
        op3(SimdOp.PSRLQ, SCRATCH, SCRATCH, t);
        binary(SimdOp.PSRLQ, dst, src, t, false);
        op3(SimdOp.PXOR, dst, dst, SCRATCH);
        op3(SimdOp.PSUBQ, dst, dst, SCRATCH);
    }

    // ---------------------------------------------------------------- arithmetic

    /** i8/i16/i32 neg: psign by all ones negates every lane (0 stays 0, the minimum wraps to itself). */
    private void negate(SimdOp psign, Xmm dst, Xmm src) {
        allOnes(SCRATCH);
        binary(psign, dst, src, SCRATCH, false);
    }

    /** i64x2.neg: {@code 0 - x}. */
    private void neg64(Xmm dst, Xmm src) {
        if (avx) {
            zero(SCRATCH);
            a.vex(SimdOp.PSUBQ, dst, SCRATCH, src);
        } else if (dst == src) {
            move(SCRATCH, src);
            zero(dst);
            a.simd(SimdOp.PSUBQ, dst, SCRATCH);
        } else {
            zero(dst);
            a.simd(SimdOp.PSUBQ, dst, src);
        }
    }

    /**
     * i64x2.abs. AVX: blend {@code 0 - x} where x's sign is set (vblendvpd takes any mask register). SSE4.1 (whose
     * blendvpd needs the mask in xmm0): sign {@code s} from the high dwords (pshufd, psrad 31), {@code (x ^ s) - s}.
     */
    private void abs64(Xmm dst, Xmm src) {
        if (avx) {
            zero(SCRATCH);
            a.vex(SimdOp.PSUBQ, SCRATCH, SCRATCH, src);
            a.vex(SimdOp.BLENDVPD, dst, src, SCRATCH, src);
        } else {
            a.simd(SimdOp.PSHUFD, SCRATCH, src, 0xF5);
            a.simd(SimdOp.PSRAD_I, SCRATCH, 31);
            binary(SimdOp.PXOR, dst, src, SCRATCH, true);
            a.simd(SimdOp.PSUBQ, dst, SCRATCH);
        }
    }

    /**
     * i64x2.mul (no pmullq before AVX-512) from three 32x32->64 pmuludq: {@code lo(a)*lo(b) + ((hi(a)*lo(b) +
     * lo(a)*hi(b)) << 32)}.
     */
    private void mul64(Xmm dst, Xmm x, Xmm y, Xmm t) {
        shift(SimdOp.PSRLQ_I, t, x, 32);
        op3(SimdOp.PMULUDQ, t, t, y);
        shift(SimdOp.PSRLQ_I, SCRATCH, y, 32);
        op3(SimdOp.PMULUDQ, SCRATCH, SCRATCH, x);
        op3(SimdOp.PADDQ, t, t, SCRATCH);
        shift(SimdOp.PSLLQ_I, t, t, 32);
        binary(SimdOp.PMULUDQ, dst, x, y, true);
        op3(SimdOp.PADDQ, dst, dst, t);
    }

    /**
     * v128.bitselect(v1, v2, c) = {@code (v1 & c) | (v2 & ~c)}, computed as {@code ((v1 ^ v2) & c) ^ v2} (the
     * scratch register holds the partial result, so the destination may alias any operand).
     */
    private void bitselect(Xmm dst, Xmm v1, Xmm v2, Xmm c) {
        binary(SimdOp.PXOR, SCRATCH, v1, v2, true);
        op3(SimdOp.PAND, SCRATCH, SCRATCH, c);
        binary(SimdOp.PXOR, dst, SCRATCH, v2, true);
    }

    /** i16x8.q15mulr_sat_s: pmulhrsw, whose only overflow (0x8000 * 0x8000 -> 0x8000) is flipped to 0x7FFF. */
    private void q15mulr(Xmm dst, Xmm x, Xmm y) {
        binary(SimdOp.PMULHRSW, dst, x, y, true);
        if (avx) {
            a.vex(SimdOp.PCMPEQW, SCRATCH, dst, splat16(0x8000));
        } else {
            move(SCRATCH, dst);
            a.simd(SimdOp.PCMPEQW, SCRATCH, splat16(0x8000));
        }
        op3(SimdOp.PXOR, dst, dst, SCRATCH);
    }

    // ---------------------------------------------------------------- reductions, masks, popcnt

    /** v128.any_true: ptest sets ZF when all bits are zero. */
    private void anyTrue(Gpr dst, Xmm src) {
        a.xor(DWORD, dst, dst);
        ptest(src, src);
        a.set(Cond.NE, dst);
    }

    /** all_true: compare every lane with zero; true when no lane compared equal. */
    private void allTrue(SimdOp eq, Gpr dst, Xmm src) {
        a.xor(DWORD, dst, dst);
        zero(SCRATCH);
        op3(eq, SCRATCH, SCRATCH, src);
        ptest(SCRATCH, SCRATCH);
        a.set(Cond.E, dst);
    }

    private void ptest(Xmm x, Xmm y) {
        if (avx) a.vex(SimdOp.PTEST, x, y);
        else a.simd(SimdOp.PTEST, x, y);
    }

    /** pmovmskb / movmskps / movmskpd: the lanes' top bits (zero-extended). */
    private void mask(SimdOp op, Gpr dst, Xmm src) {
        if (avx) a.vex(op, dst, src);
        else a.simd(op, dst, src);
    }

    /** i16x8.bitmask: pack the words to bytes with signed saturation (sign kept), pmovmskb, the upper 8 bits. */
    private void bitmask16(Gpr dst, Xmm src) {
        unpackWithItself(SimdOp.PACKSSWB, SCRATCH, src);
        mask(SimdOp.PMOVMSKB, dst, SCRATCH);
        a.shift(ShiftOp.SHR, DWORD, dst, 8);
    }

    /** i8x16.popcnt: pshufb looks up each nibble's popcount in a 16-byte table; the two counts are added. */
    private void popcnt(Xmm dst, Xmm src, Xmm t) {
        var lowNibbles = splat8(0x0F);
        var table = constant(NIBBLE_COUNTS_LOW, NIBBLE_COUNTS_HIGH);
        shift(SimdOp.PSRLW_I, t, src, 4);
        op3(SimdOp.PAND, t, t, lowNibbles);
        binary(SimdOp.PAND, SCRATCH, src, lowNibbles);
        // src is dead from here: dst may alias it
        if (avx) {
            load(dst, table);
            a.vex(SimdOp.PSHUFB, SCRATCH, dst, SCRATCH);
            a.vex(SimdOp.PSHUFB, dst, dst, t);
            a.vex(SimdOp.PADDB, dst, dst, SCRATCH);
        } else {
            load(dst, table);
            a.simd(SimdOp.PSHUFB, dst, SCRATCH);
            load(SCRATCH, table);
            a.simd(SimdOp.PSHUFB, SCRATCH, t);
            a.simd(SimdOp.PADDB, dst, SCRATCH);
        }
    }

    // ---------------------------------------------------------------- widening

    /** extend_high: the high 8 bytes moved down (pshufd), then the low-half extend. */
    private void extendHigh(SimdOp extend, Xmm dst, Xmm src) {
        unary(SimdOp.PSHUFD, dst, src, 0xEE);
        unary(extend, dst, dst);
    }

    /** i16x8.extmul_*_i8x16: both operands widened (the high half moved down first), then pmullw. */
    private void extmul8(SimdOp extend, boolean high, SimdOperands o) {
        Xmm dst = o.xd(), x = o.x(0), y = o.x(1);
        if (high) {
            unary(SimdOp.PSHUFD, SCRATCH, x, 0xEE);
            unary(extend, SCRATCH, SCRATCH);
            unary(SimdOp.PSHUFD, dst, y, 0xEE);
            unary(extend, dst, dst);
        } else {
            unary(extend, SCRATCH, x);
            unary(extend, dst, y);
        }
        op3(SimdOp.PMULLW, dst, dst, SCRATCH);
    }

    /** i32x4.extmul_*_i16x8: the low and high 16 bits of the 32-bit products (pmullw, pmulh[u]w) interleaved. */
    private void extmul16(SimdOp mulHigh, SimdOp unpack, SimdOperands o) {
        Xmm dst = o.xd(), x = o.x(0), y = o.x(1);
        binary(mulHigh, SCRATCH, x, y, true);
        binary(SimdOp.PMULLW, dst, x, y, true);
        op3(unpack, dst, dst, SCRATCH);
    }

    /** i64x2.extmul_*_i32x4: the two lanes moved to the even dwords (pshufd), then pmul[u]dq. */
    private void extmul32(SimdOp mul, int shuffle, SimdOperands o) {
        Xmm dst = o.xd(), x = o.x(0), y = o.x(1);
        unary(SimdOp.PSHUFD, SCRATCH, x, shuffle);
        unary(SimdOp.PSHUFD, dst, y, shuffle);
        op3(mul, dst, dst, SCRATCH);
    }

    /** i16x8.extadd_pairwise_i8x16_s: pmaddubsw with the unsigned operand all ones and x as the signed one. */
    private void extaddS8(Xmm dst, Xmm src) {
        load(SCRATCH, splat8(1));
        if (avx) {
            a.vex(SimdOp.PMADDUBSW, dst, SCRATCH, src);
        } else {
            a.simd(SimdOp.PMADDUBSW, SCRATCH, src);
            move(dst, SCRATCH);
        }
    }

    /**
     * i32x4.extadd_pairwise_i16x8_u: flip the sign bits (x - 0x8000 as signed), pmaddwd by ones (the pair sum minus
     * 0x10000), add 0x10000 back.
     */
    private void extaddU16(Xmm dst, Xmm src) {
        binary(SimdOp.PXOR, dst, src, splat16(0x8000));
        op3(SimdOp.PMADDWD, dst, dst, splat16(1));
        op3(SimdOp.PADDD, dst, dst, splat32(0x10000));
    }
}
