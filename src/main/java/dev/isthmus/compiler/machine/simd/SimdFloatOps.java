package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.isthmus.binary.Opcode.*;

/**
 * Lane-wise float arithmetic, compares, min/max, rounding and conversions (the 52 "float" instructions of Wasm 2.0).
 *
 * <p>The one-instruction cases are data ({@link #SIMPLE}); the rest are sequences, each commented with why it meets
 * the spec:
 * <ul>
 *   <li>arithmetic, sqrt, rounding, demote/promote: the x86 instruction; a NaN result is the first NaN operand
 *       quieted or the default NaN, i.e. arithmetic or canonical as the spec allows;</li>
 *   <li>compares: {@code cmpps}/{@code cmppd} (ne is "unordered or not equal", the others ordered); gt/ge swap the
 *       operands of lt/le so the SSE predicates 0..7 suffice;</li>
 *   <li>abs/neg: and/xor with a sign mask made by {@code pcmpeqd} and a shift (bit-exact, NaN payloads kept);</li>
 *   <li>min/max: {@code minps}/{@code maxps} return their second operand for NaNs and for equal zeros, so both
 *       operand orders are computed and merged (or for min, xor/or/sub for max) so that a NaN or the zero with the
 *       right sign wins, and NaN lanes are then made canonical;</li>
 *   <li>pmin/pmax: exactly {@code minps}/{@code maxps} with swapped operands ({@code b < a ? b : a});</li>
 *   <li>trunc_sat: {@code cvttps2dq} gives 0x80000000 for NaN and out of range, fixed up with masks;</li>
 *   <li>unsigned conversions: halves for f32x4.convert_i32x4_u, the 2^52 magic number for f64x2.</li>
 * </ul>
 * Constants live in the assembler's pool (16-byte aligned absolutely, so SSE memory operands are legal).
 */
final class SimdFloatOps extends SimdFamily {
    /** The instructions that are a single SSE/AVX instruction: {@code dst = op(a)} or {@code dst = op(a, b)}. */
    private record Simple(SimdOp op, boolean unary, boolean commutative, boolean swap, int imm) {}

    private static final Map<Opcode, Simple> SIMPLE = new EnumMap<>(Opcode.class);

    /** roundps immediate bits: round to nearest even 0, down 1, up 2, toward zero 3; 8 = no precision exception. */
    private static final int NEAREST = 0x8, FLOOR = 0x9, CEIL = 0xA, TRUNC = 0xB;

    static {
        binary(F32X4_ADD, SimdOp.ADDPS, true);
        binary(F32X4_SUB, SimdOp.SUBPS, false);
        binary(F32X4_MUL, SimdOp.MULPS, true);
        binary(F32X4_DIV, SimdOp.DIVPS, false);
        binary(F64X2_ADD, SimdOp.ADDPD, true);
        binary(F64X2_SUB, SimdOp.SUBPD, false);
        binary(F64X2_MUL, SimdOp.MULPD, true);
        binary(F64X2_DIV, SimdOp.DIVPD, false);
        // pmin(a, b) = b < a ? b : a = minps(b, a); pmax(a, b) = a < b ? b : a = maxps(b, a)
        SIMPLE.put(F32X4_PMIN, new Simple(SimdOp.MINPS, false, false, true, -1));
        SIMPLE.put(F32X4_PMAX, new Simple(SimdOp.MAXPS, false, false, true, -1));
        SIMPLE.put(F64X2_PMIN, new Simple(SimdOp.MINPD, false, false, true, -1));
        SIMPLE.put(F64X2_PMAX, new Simple(SimdOp.MAXPD, false, false, true, -1));
        compare(F32X4_EQ, SimdOp.CMPPS, 0, false);
        compare(F32X4_NE, SimdOp.CMPPS, 4, false);
        compare(F32X4_LT, SimdOp.CMPPS, 1, false);
        compare(F32X4_LE, SimdOp.CMPPS, 2, false);
        compare(F32X4_GT, SimdOp.CMPPS, 1, true);
        compare(F32X4_GE, SimdOp.CMPPS, 2, true);
        compare(F64X2_EQ, SimdOp.CMPPD, 0, false);
        compare(F64X2_NE, SimdOp.CMPPD, 4, false);
        compare(F64X2_LT, SimdOp.CMPPD, 1, false);
        compare(F64X2_LE, SimdOp.CMPPD, 2, false);
        compare(F64X2_GT, SimdOp.CMPPD, 1, true);
        compare(F64X2_GE, SimdOp.CMPPD, 2, true);
        unary(F32X4_SQRT, SimdOp.SQRTPS, -1);
        unary(F64X2_SQRT, SimdOp.SQRTPD, -1);
        unary(F32X4_CEIL, SimdOp.ROUNDPS, CEIL);
        unary(F32X4_FLOOR, SimdOp.ROUNDPS, FLOOR);
        unary(F32X4_TRUNC, SimdOp.ROUNDPS, TRUNC);
        unary(F32X4_NEAREST, SimdOp.ROUNDPS, NEAREST);
        unary(F64X2_CEIL, SimdOp.ROUNDPD, CEIL);
        unary(F64X2_FLOOR, SimdOp.ROUNDPD, FLOOR);
        unary(F64X2_TRUNC, SimdOp.ROUNDPD, TRUNC);
        unary(F64X2_NEAREST, SimdOp.ROUNDPD, NEAREST);
        unary(F32X4_CONVERT_I32X4_S, SimdOp.CVTDQ2PS, -1);
        unary(F64X2_CONVERT_LOW_I32X4_S, SimdOp.CVTDQ2PD, -1);
        unary(F32X4_DEMOTE_F64X2_ZERO, SimdOp.CVTPD2PS, -1);
        unary(F64X2_PROMOTE_LOW_F32X4, SimdOp.CVTPS2PD, -1);
    }

    private static void binary(Opcode op, SimdOp x, boolean commutative) {
        SIMPLE.put(op, new Simple(x, false, commutative, false, -1));
    }

    private static void compare(Opcode op, SimdOp x, int predicate, boolean swap) {
        SIMPLE.put(op, new Simple(x, false, false, swap, predicate));
    }

    private static void unary(Opcode op, SimdOp x, int imm) {
        SIMPLE.put(op, new Simple(x, true, false, false, imm));
    }

    /** The sequences (not in {@link #SIMPLE}). */
    private static final Set<Opcode> SEQUENCES = EnumSet.of(F32X4_ABS, F32X4_NEG, F64X2_ABS,
            F64X2_NEG, F32X4_MIN, F32X4_MAX, F64X2_MIN, F64X2_MAX, I32X4_TRUNC_SAT_F32X4_S, I32X4_TRUNC_SAT_F32X4_U,
            I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_TRUNC_SAT_F64X2_U_ZERO, F32X4_CONVERT_I32X4_U,
            F64X2_CONVERT_LOW_I32X4_U);

    private static final int[] ONE_XMM = {1, 0};

    SimdFloatOps(Assembler a, boolean avx) {
        super(a, avx);
    }

    @Override
    boolean handles(Opcode op) {
        return SIMPLE.containsKey(op) || SEQUENCES.contains(op);
    }

    @Override
    int[] temps(Opcode op) {
        return op == I32X4_TRUNC_SAT_F32X4_U ? ONE_XMM : NO_TEMPS;
    }

    @Override
    void emit(Opcode op, SimdOperands o) {
        Simple s = SIMPLE.get(op);
        if (s != null) {
            emitSimple(s, o);
            return;
        }
        Xmm d = o.xd(), x = o.x(0);
        switch (op) {
            case F32X4_ABS -> signMask(d, x, SimdOp.PSRLD_I, 1, SimdOp.ANDPS);
            case F64X2_ABS -> signMask(d, x, SimdOp.PSRLQ_I, 1, SimdOp.ANDPD);
            case F32X4_NEG -> signMask(d, x, SimdOp.PSLLD_I, 31, SimdOp.XORPS);
            case F64X2_NEG -> signMask(d, x, SimdOp.PSLLQ_I, 63, SimdOp.XORPD);
            case F32X4_MIN -> min(d, x, o.x(1), false);
            case F64X2_MIN -> min(d, x, o.x(1), true);
            case F32X4_MAX -> max(d, x, o.x(1), false);
            case F64X2_MAX -> max(d, x, o.x(1), true);
            case I32X4_TRUNC_SAT_F32X4_S -> truncSatF32x4S(d, x);
            case I32X4_TRUNC_SAT_F32X4_U -> truncSatF32x4U(d, x, o.xmmTemps().get(0));
            case I32X4_TRUNC_SAT_F64X2_S_ZERO -> truncSatF64x2SZero(d, x);
            case I32X4_TRUNC_SAT_F64X2_U_ZERO -> truncSatF64x2UZero(d, x);
            case F32X4_CONVERT_I32X4_U -> convertI32x4U(d, x);
            case F64X2_CONVERT_LOW_I32X4_U -> convertLowI32x4U(d, x);
            default -> throw new IllegalStateException("not a float SIMD instruction: " + op.text());
        }
    }

    /** A one-instruction binary lowering takes a known v128 operand from the pool, as the integer family does. */
    @Override
    boolean readsRegister(Opcode op, int source, Object[] constants) {
        Simple s = SIMPLE.get(op);
        return s == null || poolSource(s, constants) != source;
    }

    /** The source {@code s} takes as a pool memory operand (its second x86 operand, or either if commutative), or -1. */
    private static int poolSource(Simple s, Object[] known) {
        if (s.unary || s.imm >= 0) return -1;
        int first = s.swap ? 1 : 0, second = 1 - first;
        if (known[second] instanceof byte[]) return second;
        return s.commutative && known[first] instanceof byte[] ? first : -1;
    }

    private void emitSimple(Simple s, SimdOperands o) {
        Xmm d = o.xd();
        int pool = poolSource(s, o.constants());
        if (pool >= 0) {
            binary(s.op, d, o.x(1 - pool), pool128(o.vectorConstant(pool)));
            return;
        }
        if (s.unary) {
            if (s.imm >= 0) imm(s.op, d, o.x(0), s.imm);
            else unary(s.op, d, o.x(0));
            return;
        }
        Xmm x = s.swap ? o.x(1) : o.x(0), y = s.swap ? o.x(0) : o.x(1);
        if (s.imm >= 0) binary(s.op, d, x, y, s.imm);
        else binary(s.op, d, x, y, s.commutative);
    }

    // ---------------------------------------------------------------- sequences

    /** {@code dst = x & 0x7F..} (abs) or {@code x ^ 0x80..} (neg), the mask made in the scratch register. */
    private void signMask(Xmm d, Xmm x, SimdOp shift, int count, SimdOp logic) {
        allOnes(SCRATCH);
        shift(shift, SCRATCH, SCRATCH, count);
        binary(logic, d, x, SCRATCH, true);
    }

    /**
     * fmin: {@code minps} in both operand orders, or-ed: a NaN in either result makes the lane NaN and -0 beats +0;
     * then NaN lanes (unordered) are forced to the canonical NaN by keeping only sign, exponent and quiet bit.
     */
    private void min(Xmm d, Xmm a, Xmm b, boolean f64) {
        SimdOp minOp = f64 ? SimdOp.MINPD : SimdOp.MINPS;
        bothOrders(minOp, d, a, b);                       // SCRATCH = min(y, x), d = min(x, y)
        logic(f64 ? SimdOp.ORPD : SimdOp.ORPS, SCRATCH, d);  // SCRATCH = merged
        canonicalize(d, f64, SimdOp.ORPS);
    }

    /**
     * fmax: {@code maxps} in both orders; {@code r = m1 | (m1 ^ m2)} carries any NaN, {@code r - (m1 ^ m2)} turns
     * the two zeros' discrepancy (-0 | sign) into +0 and quiets NaNs; NaN lanes are then made canonical.
     */
    private void max(Xmm d, Xmm a, Xmm b, boolean f64) {
        SimdOp maxOp = f64 ? SimdOp.MAXPD : SimdOp.MAXPS;
        bothOrders(maxOp, d, a, b);                       // SCRATCH = max(y, x), d = max(x, y)
        logic(f64 ? SimdOp.XORPD : SimdOp.XORPS, d, SCRATCH);  // d = discrepancy
        logic(f64 ? SimdOp.ORPD : SimdOp.ORPS, SCRATCH, d);    // propagate NaNs
        logic(f64 ? SimdOp.SUBPD : SimdOp.SUBPS, SCRATCH, d);  // zeros: -0 - (-0) = +0; NaNs quieted
        canonicalize(d, f64, null);
    }

    /**
     * {@code SCRATCH = op(y, x); d = op(x, y)} where {x, y} = {a, b}, ordered so that the SSE form never overwrites
     * an operand it still needs (the callers' merges are symmetric in the two results).
     */
    private void bothOrders(SimdOp op, Xmm d, Xmm p, Xmm q) {
        Xmm x = p, y = q;
        if (!avx && d == q && d != p) {
            x = q;
            y = p;
        }
        if (avx) {
            a.vex(op, SCRATCH, y, x);
            a.vex(op, d, x, y);
        } else {
            move(SCRATCH, y);
            a.simd(op, SCRATCH, x);
            move(d, x);
            a.simd(op, d, y);
        }
    }

    /**
     * Given the merged result in SCRATCH: {@code d = SCRATCH} with NaN lanes replaced by the canonical NaN (sign
     * kept). With {@code orNaN} non-null the NaN lanes are first or-ed with the all-ones mask (fmin's merge).
     */
    private void canonicalize(Xmm d, boolean f64, SimdOp orNaN) {
        SimdOp cmp = f64 ? SimdOp.CMPPD : SimdOp.CMPPS;
        if (avx) a.vex(cmp, d, SCRATCH, SCRATCH, 3);           // d = unordered(SCRATCH): NaN lanes
        else {
            move(d, SCRATCH);
            a.simd(cmp, d, SCRATCH, 3);
        }
        if (orNaN != null) logic(f64 ? SimdOp.ORPD : SimdOp.ORPS, SCRATCH, d);
        shift(f64 ? SimdOp.PSRLQ_I : SimdOp.PSRLD_I, d, d, f64 ? 13 : 10); // below sign, exponent, quiet bit
        // d = ~d & SCRATCH
        if (avx) a.vex(f64 ? SimdOp.ANDNPD : SimdOp.ANDNPS, d, d, SCRATCH);
        else a.simd(f64 ? SimdOp.ANDNPD : SimdOp.ANDNPS, d, SCRATCH);
    }

    /**
     * i32x4.trunc_sat_f32x4_s: NaN lanes zeroed (and with the ordered mask); {@code cvttps2dq} gives 0x80000000 for
     * every out-of-range lane, which is right for negative inputs; where the input was positive (sign bit of
     * {@code mask ^ input} set) and the result has its sign set, the result is flipped to 0x7FFFFFFF.
     */
    private void truncSatF32x4S(Xmm d, Xmm x) {
        if (avx) {
            a.vex(SimdOp.CMPPS, SCRATCH, x, x, 0);
            a.vex(SimdOp.ANDPS, d, x, SCRATCH);
        } else {
            move(SCRATCH, x);
            a.simd(SimdOp.CMPPS, SCRATCH, SCRATCH, 0);
            move(d, x);
            a.simd(SimdOp.ANDPS, d, SCRATCH);
        }
        logic(SimdOp.PXOR, SCRATCH, d);
        unary(SimdOp.CVTTPS2DQ, d, d);
        logic(SimdOp.PAND, SCRATCH, d);
        shift(SimdOp.PSRAD_I, SCRATCH, SCRATCH, 31);
        logic(SimdOp.PXOR, d, SCRATCH);
    }

    /**
     * i32x4.trunc_sat_f32x4_u: {@code v = max(x, 0)} (NaN and negatives to 0); lanes below 2^31 convert directly;
     * for the others {@code cvttps2dq(v - 2^31)} is added to the 0x80000000 that the direct conversion gives, and
     * lanes at or above 2^32 get 0x7FFFFFFF added instead (all ones in total).
     */
    private void truncSatF32x4U(Xmm d, Xmm x, Xmm t) {
        logic(SimdOp.XORPS, SCRATCH, SCRATCH);
        binary(SimdOp.MAXPS, d, x, SCRATCH, false);        // max(x, 0): a NaN x gives the second operand, 0
        allOnes(SCRATCH);
        shift(SimdOp.PSRLD_I, SCRATCH, SCRATCH, 1);
        unary(SimdOp.CVTDQ2PS, SCRATCH, SCRATCH);           // 2^31 as float
        binary(SimdOp.SUBPS, t, d, SCRATCH, false);        // t = v - 2^31
        if (avx) a.vex(SimdOp.CMPPS, SCRATCH, SCRATCH, t, 2);   // 2^31 <= t: v >= 2^32
        else a.simd(SimdOp.CMPPS, SCRATCH, t, 2);
        unary(SimdOp.CVTTPS2DQ, t, t);
        logic(SimdOp.PXOR, t, SCRATCH);                    // 0x80000000 -> 0x7FFFFFFF where v >= 2^32
        logic(SimdOp.PXOR, SCRATCH, SCRATCH);
        logic(SimdOp.PMAXSD, t, SCRATCH);                  // lanes below 2^31: 0
        unary(SimdOp.CVTTPS2DQ, d, d);
        logic(SimdOp.PADDD, d, t);
    }

    /**
     * i32x4.trunc_sat_f64x2_s_zero: {@code min(x, ordered ? 2147483647.0 : 0)} (minpd returns its second operand for
     * a NaN) then {@code cvttpd2dq}, which gives INT32_MIN for what is left out of range (negative) and zeroes the
     * upper two lanes.
     */
    private void truncSatF64x2SZero(Xmm d, Xmm x) {
        Mem max = c64x2(Double.doubleToRawLongBits(2147483647.0));
        if (avx) {
            a.vex(SimdOp.CMPPD, SCRATCH, x, x, 0);
            a.vex(SimdOp.ANDPD, SCRATCH, SCRATCH, max);
        } else {
            move(SCRATCH, x);
            a.simd(SimdOp.CMPPD, SCRATCH, SCRATCH, 0);
            a.simd(SimdOp.ANDPD, SCRATCH, max);
        }
        binary(SimdOp.MINPD, d, x, SCRATCH, false);
        unary(SimdOp.CVTTPD2DQ, d, d);
    }

    /**
     * i32x4.trunc_sat_f64x2_u_zero: clamp to [0, 4294967295.0] (maxpd with 0 first, which also maps NaN to 0),
     * truncate, add 2^52 so the integer is the low 32 bits of each f64, and gather those two dwords over zeros.
     */
    private void truncSatF64x2UZero(Xmm d, Xmm x) {
        logic(SimdOp.XORPD, SCRATCH, SCRATCH);
        binary(SimdOp.MAXPD, d, x, SCRATCH, false);
        withMem(SimdOp.MINPD, d, c64x2(Double.doubleToRawLongBits(4294967295.0)));
        imm(SimdOp.ROUNDPD, d, d, TRUNC);
        withMem(SimdOp.ADDPD, d, c64x2(Double.doubleToRawLongBits(0x1p52)));
        if (avx) a.vex(SimdOp.SHUFPS, d, d, SCRATCH, 0x88);
        else a.simd(SimdOp.SHUFPS, d, SCRATCH, 0x88);
    }

    /**
     * f32x4.convert_i32x4_u: the low 16 bits of each lane and the rest converted separately (both exactly: the rest
     * is halved first so it is a positive int), then {@code 2 * high + low} with a single rounding in the last add.
     */
    private void convertI32x4U(Xmm d, Xmm x) {
        logic(SimdOp.PXOR, SCRATCH, SCRATCH);
        if (avx) a.vex(SimdOp.PBLENDW, SCRATCH, SCRATCH, x, 0x55);
        else a.simd(SimdOp.PBLENDW, SCRATCH, x, 0x55);     // SCRATCH = low halves
        binary(SimdOp.PSUBD, d, x, SCRATCH, false);        // d = high halves
        unary(SimdOp.CVTDQ2PS, SCRATCH, SCRATCH);
        shift(SimdOp.PSRLD_I, d, d, 1);
        unary(SimdOp.CVTDQ2PS, d, d);
        logic(SimdOp.ADDPS, d, d);
        logic(SimdOp.ADDPS, d, SCRATCH);
    }

    /**
     * f64x2.convert_low_i32x4_u: each u32 becomes the mantissa of 2^52 (high dword 0x43300000), exactly 2^52 + u,
     * and 2^52 is subtracted.
     */
    private void convertLowI32x4U(Xmm d, Xmm x) {
        if (avx) {
            a.vex(SimdOp.UNPCKLPS, d, x, c32x4(0x43300000));
        } else {
            move(d, x);
            a.simd(SimdOp.UNPCKLPS, d, c32x4(0x43300000));
        }
        withMem(SimdOp.SUBPD, d, c64x2(Double.doubleToRawLongBits(0x1p52)));
    }

    // ---------------------------------------------------------------- helpers

    /** {@code d = op(x)} for a form XX instruction (the SSE form is not destructive). */
    private void unary(SimdOp op, Xmm d, Xmm x) {
        if (avx) a.vex(op, d, x);
        else a.simd(op, d, x);
    }

    /** {@code d = op(x, imm)} for a form XXI instruction. */
    private void imm(SimdOp op, Xmm d, Xmm x, int imm) {
        if (avx) a.vex(op, d, x, imm);
        else a.simd(op, d, x, imm);
    }

    /** {@code d = op(d, y)}. */
    private void logic(SimdOp op, Xmm d, Xmm y) {
        if (avx) a.vex(op, d, d, y);
        else a.simd(op, d, y);
    }

    /** {@code d = op(d, [m])} (m 16-byte aligned: a pool constant). */
    private void withMem(SimdOp op, Xmm d, Mem m) {
        if (avx) a.vex(op, d, d, m);
        else a.simd(op, d, m);
    }

    /** {@code d = x shifted by count} (form SHIFT). */
    private void shift(SimdOp op, Xmm d, Xmm x, int count) {
        if (avx) {
            a.vex(op, d, x, count);
        } else {
            move(d, x);
            a.simd(op, d, count);
        }
    }

    private void allOnes(Xmm x) {
        if (avx) a.vex(SimdOp.PCMPEQD, x, x, x);
        else a.simd(SimdOp.PCMPEQD, x, x);
    }

    private Mem c32x4(int v) {
        long pair = (v & 0xFFFF_FFFFL) | (long) v << 32;
        return Mem.rip(a.constant128(pair, pair));
    }

    private Mem c64x2(long v) {
        return Mem.rip(a.constant128(v, v));
    }
}
