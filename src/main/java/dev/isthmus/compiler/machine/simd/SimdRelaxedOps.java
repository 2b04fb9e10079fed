package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import java.util.EnumSet;
import java.util.Set;

import static dev.isthmus.binary.Opcode.*;

/**
 * The relaxed SIMD instructions of Wasm 3.0 (results inside the spec's sets, fixed per engine configuration).
 *
 * <p>The spec gives each relaxed operator a global parameter R that selects one set of allowed results and that must
 * stay fixed while a program runs. The choices here are the same with and without AVX (so a module computes the same
 * results whichever encoding the CPU gets), and none depends on anything but the operands:
 * <table>
 *   <caption>choices</caption>
 *   <tr><th>instruction</th><th>sequence</th><th>R: why it is in the allowed set</th></tr>
 *   <tr><td>i8x16.relaxed_swizzle</td><td>{@code pshufb}</td><td>R_swizzle = 1: an index below 16 selects that
 *       byte, an index with its top bit set gives 0 (both as required), any other index 16..127 selects byte
 *       {@code index mod 16}, the second allowed result.</td></tr>
 *   <tr><td>i32x4.relaxed_trunc_f32x4_s, _f64x2_s_zero</td><td>{@code cvttps2dq}, {@code cvttpd2dq}</td>
 *       <td>R_trunc_s = 1: in range the truncation; NaN and out of range give INT32_MIN (0x80000000), the second
 *       allowed result; cvttpd2dq zeroes the upper lanes.</td></tr>
 *   <tr><td>i32x4.relaxed_trunc_f32x4_u, _f64x2_u_zero</td><td>the saturating sequences of
 *       {@link SimdFloatOps}</td><td>R_trunc_u = 0 (trunc_sat_u): SSE4.1/AVX have no unsigned conversion (that is
 *       AVX-512's vcvttps2udq), and producing one of the other allowed constants for every out-of-range lane costs
 *       as much as saturating.</td></tr>
 *   <tr><td>f32x4/f64x2.relaxed_madd, relaxed_nmadd</td><td>{@code mulps} then {@code addps} (nmadd:
 *       {@code c - a*b})</td><td>R_fmadd = 0, unfused: CpuFeatures has no FMA flag. {@code c - a*b} equals
 *       {@code -a*b + c} bit for bit (negation is exact), up to which NaN is returned, and any NaN result is an
 *       arithmetic NaN as the spec's fadd/fmul allow.</td></tr>
 *   <tr><td>i8x16/i16x8/i32x4/i64x2.relaxed_laneselect</td><td>AVX: {@code vpblendvb}/{@code vblendvps}/
 *       {@code vblendvpd} ({@code vpsraw} of the mask, then {@code vpblendvb}, for i16x8); SSE (whose blends need
 *       the mask in xmm0): the mask's top bit spread over the lane, then and/andn/or</td><td>R_laneselect = 1: the
 *       top bit of each mask lane selects the whole lane (the spec's {@code extend_s(shr_u(mask, N-1))}); a mask
 *       lane of all ones or all zeros gives the bitselect result as required.</td></tr>
 *   <tr><td>f32x4/f64x2.relaxed_min, relaxed_max</td><td>{@code minps}/{@code maxps} (and pd)</td><td>R_fmin =
 *       R_fmax = 2: {@code minps(a, b)} returns b when either is a NaN and for two zeros, which is the third
 *       alternative of each clause (z2 for a NaN z1, the NaN for a NaN z2, the second zero for opposite zeros).
 *       </td></tr>
 *   <tr><td>i16x8.relaxed_q15mulr_s</td><td>{@code pmulhrsw}</td><td>R_iq15mulr = 1: equal to q15mulr_sat_s except
 *       for -32768 * -32768, where it gives -32768, the second allowed result.</td></tr>
 *   <tr><td>i16x8.relaxed_dot_i8x16_i7x16_s</td><td>{@code pmaddubsw(b, a)}</td><td>R_idot = 1: pmaddubsw
 *       multiplies its first (destination) operand as unsigned bytes by its second as signed bytes, so the i7
 *       operand b goes first: each product is {@code signed(a) * unsigned(b)}, the second allowed product; the
 *       pair sums saturate to i16 (they cannot overflow while b is really 7-bit, and the spec test allows the
 *       saturated value otherwise).</td></tr>
 *   <tr><td>i32x4.relaxed_dot_i8x16_i7x16_add_s</td><td>{@code pmaddubsw(b, a)}, {@code pmaddwd} with ones,
 *       {@code paddd c}</td><td>R_idot = 1 as above: the i16 pair sums added pairwise to i32, then c (wrapping).
 *       </td></tr>
 * </table>
 */
final class SimdRelaxedOps extends SimdFamily {
    private static final Set<Opcode> OPS = EnumSet.range(I8X16_RELAXED_SWIZZLE, I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S);

    private static final int[] ONE_XMM = {1, 0};

    /** The unsigned truncations reuse the saturating sequences. */
    private final SimdFloatOps floats;

    SimdRelaxedOps(Assembler a, boolean avx) {
        super(a, avx);
        this.floats = new SimdFloatOps(a, avx);
    }

    @Override
    boolean handles(Opcode op) {
        return OPS.contains(op);
    }

    @Override
    int[] temps(Opcode op) {
        return switch (op) {
            case I32X4_RELAXED_TRUNC_F32X4_U -> floats.temps(I32X4_TRUNC_SAT_F32X4_U);
            case I32X4_RELAXED_TRUNC_F64X2_U_ZERO -> floats.temps(I32X4_TRUNC_SAT_F64X2_U_ZERO);
            case I8X16_RELAXED_LANESELECT, I16X8_RELAXED_LANESELECT, I32X4_RELAXED_LANESELECT,
                 I64X2_RELAXED_LANESELECT -> avx ? NO_TEMPS : ONE_XMM;
            default -> NO_TEMPS;
        };
    }

    @Override
    void emit(Opcode op, SimdOperands o) {
        Xmm d = o.xd();
        switch (op) {
            case I8X16_RELAXED_SWIZZLE -> binary(SimdOp.PSHUFB, d, o.x(0), o.x(1), false);
            case I32X4_RELAXED_TRUNC_F32X4_S -> unary(SimdOp.CVTTPS2DQ, d, o.x(0));
            case I32X4_RELAXED_TRUNC_F64X2_S_ZERO -> unary(SimdOp.CVTTPD2DQ, d, o.x(0));
            case I32X4_RELAXED_TRUNC_F32X4_U -> floats.emit(I32X4_TRUNC_SAT_F32X4_U, o);
            case I32X4_RELAXED_TRUNC_F64X2_U_ZERO -> floats.emit(I32X4_TRUNC_SAT_F64X2_U_ZERO, o);
            case F32X4_RELAXED_MADD -> madd(SimdOp.MULPS, SimdOp.ADDPS, o);
            case F32X4_RELAXED_NMADD -> madd(SimdOp.MULPS, SimdOp.SUBPS, o);
            case F64X2_RELAXED_MADD -> madd(SimdOp.MULPD, SimdOp.ADDPD, o);
            case F64X2_RELAXED_NMADD -> madd(SimdOp.MULPD, SimdOp.SUBPD, o);
            case I8X16_RELAXED_LANESELECT, I16X8_RELAXED_LANESELECT, I32X4_RELAXED_LANESELECT,
                 I64X2_RELAXED_LANESELECT -> laneselect(op, o);
            case F32X4_RELAXED_MIN -> binary(SimdOp.MINPS, d, o.x(0), o.x(1), false);
            case F32X4_RELAXED_MAX -> binary(SimdOp.MAXPS, d, o.x(0), o.x(1), false);
            case F64X2_RELAXED_MIN -> binary(SimdOp.MINPD, d, o.x(0), o.x(1), false);
            case F64X2_RELAXED_MAX -> binary(SimdOp.MAXPD, d, o.x(0), o.x(1), false);
            case I16X8_RELAXED_Q15MULR_S -> binary(SimdOp.PMULHRSW, d, o.x(0), o.x(1), true);
            case I16X8_RELAXED_DOT_I8X16_I7X16_S -> binary(SimdOp.PMADDUBSW, d, o.x(1), o.x(0), false);
            case I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S -> dotAdd(o);
            default -> throw new IllegalStateException("not a relaxed SIMD instruction: " + op.text());
        }
    }

    /** {@code d = c + a*b} ({@code add}) or {@code d = c - a*b} ({@code sub}), the product rounded first. */
    private void madd(SimdOp mul, SimdOp addOrSub, SimdOperands o) {
        binary(mul, SCRATCH, o.x(0), o.x(1), true);
        if (addOrSub == SimdOp.ADDPS || addOrSub == SimdOp.ADDPD) binary(addOrSub, o.xd(), SCRATCH, o.x(2), true);
        else binary(addOrSub, o.xd(), o.x(2), SCRATCH, false);
    }

    /** {@code d = top bit of mask lane ? a : b}. */
    private void laneselect(Opcode op, SimdOperands o) {
        Xmm d = o.xd(), x = o.x(0), y = o.x(1), m = o.x(2);
        if (avx) {
            switch (op) {
                case I8X16_RELAXED_LANESELECT -> a.vex(SimdOp.PBLENDVB, d, y, x, m);
                case I16X8_RELAXED_LANESELECT -> {
                    a.vex(SimdOp.PSRAW_I, SCRATCH, m, 15);
                    a.vex(SimdOp.PBLENDVB, d, y, x, SCRATCH);
                }
                case I32X4_RELAXED_LANESELECT -> a.vex(SimdOp.BLENDVPS, d, y, x, m);
                default -> a.vex(SimdOp.BLENDVPD, d, y, x, m);
            }
            return;
        }
        Xmm t = o.xmmTemps().get(0);
        switch (op) {
            case I8X16_RELAXED_LANESELECT -> {
                a.simd(SimdOp.PXOR, SCRATCH, SCRATCH);
                a.simd(SimdOp.PCMPGTB, SCRATCH, m);          // 0 > m: the top bit of each byte
            }
            case I16X8_RELAXED_LANESELECT -> {
                move(SCRATCH, m);
                a.simd(SimdOp.PSRAW_I, SCRATCH, 15);
            }
            case I32X4_RELAXED_LANESELECT -> {
                move(SCRATCH, m);
                a.simd(SimdOp.PSRAD_I, SCRATCH, 31);
            }
            default -> {
                a.simd(SimdOp.PSHUFD, SCRATCH, m, 0xF5);      // the high dword of each qword, twice
                a.simd(SimdOp.PSRAD_I, SCRATCH, 31);
            }
        }
        move(t, SCRATCH);
        a.simd(SimdOp.PAND, t, x);                             // t = x & mask
        a.simd(SimdOp.PANDN, SCRATCH, y);                      // SCRATCH = y & ~mask
        a.simd(SimdOp.POR, SCRATCH, t);
        move(d, SCRATCH);
    }

    /** {@code d = c + pmaddwd(pmaddubsw(b, a), 1)}. */
    private void dotAdd(SimdOperands o) {
        Mem ones = Mem.rip(a.constant128(0x0001_0001_0001_0001L, 0x0001_0001_0001_0001L));
        binary(SimdOp.PMADDUBSW, SCRATCH, o.x(1), o.x(0), false);
        if (avx) a.vex(SimdOp.PMADDWD, SCRATCH, SCRATCH, ones);
        else a.simd(SimdOp.PMADDWD, SCRATCH, ones);
        binary(SimdOp.PADDD, o.xd(), SCRATCH, o.x(2), true);
    }

    private void unary(SimdOp op, Xmm d, Xmm x) {
        if (avx) a.vex(op, d, x);
        else a.simd(op, d, x);
    }
}
