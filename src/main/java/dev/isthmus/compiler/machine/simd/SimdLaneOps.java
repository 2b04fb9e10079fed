package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import java.util.EnumSet;
import java.util.Set;

import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.WORD;

/**
 * Constants, splats, lane extract/replace, shuffles and swizzle. Constants other than all-zeros and all-ones come
 * from the function's constant pool (RIP-relative; 16-byte constants are 16-byte aligned, relative to the code
 * piece and therefore absolutely, see {@link dev.isthmus.compiler.machine.CodeLinker}, so shuffle and swizzle
 * masks are the memory operand of {@code pshufb}/{@code paddusb} directly, SSE forms included). Only AVX1 forms
 * are used with AVX (splats by {@code pshufb}/{@code pshufd}, not the AVX2 broadcasts).
 *
 * <pre>
 *   v128.const        pxor d,d | pcmpeqd d,d | movdqu d, [rip+c]
 *   i8x16.shuffle     interleaved halves: punpckl/h; whole dwords of one operand: pshufd; a byte rotation of
 *                     b:a: palignr; else
 *                     t = pshufb(b, [mask_b]); d = pshufb(a, [mask_a]) | t (lanes of the other operand: 0x80)
 *                     with an operand known to be all zeros (SimdOperands#isZero): 0; pmovzx*; psrldq/pslldq;
 *                     else d = pshufb(v, [mask])                          (zero lanes: 0x80)
 *   i8x16.swizzle     d = pshufb(a, paddusb(s, [0x70 x16]))                (indices >= 16 give 0)
 *                     with known indices: d = pshufb(a, [s, indices >= 16 as 0x80])
 *   splats            movd/movq then pshufb zero | pshuflw+pshufd | pshufd | punpcklqdq; f32 pshufd, f64 movddup
 *   extract_lane      pextrb/w/d/q (+ movsx for _s); f32 pshufd; f64 pshufd 0xEE or a move
 *   replace_lane      pinsrb/w/d/q; f32 insertps; f64 movsd (lane 0) or punpcklqdq (lane 1)
 * </pre>
 */
final class SimdLaneOps extends SimdFamily {
    private static final Set<Opcode> OPS = EnumSet.of(Opcode.V128_CONST, Opcode.I8X16_SHUFFLE,
            Opcode.I8X16_SWIZZLE, Opcode.I8X16_SPLAT, Opcode.I16X8_SPLAT, Opcode.I32X4_SPLAT, Opcode.I64X2_SPLAT,
            Opcode.F32X4_SPLAT, Opcode.F64X2_SPLAT, Opcode.I8X16_EXTRACT_LANE_S, Opcode.I8X16_EXTRACT_LANE_U,
            Opcode.I8X16_REPLACE_LANE, Opcode.I16X8_EXTRACT_LANE_S, Opcode.I16X8_EXTRACT_LANE_U,
            Opcode.I16X8_REPLACE_LANE, Opcode.I32X4_EXTRACT_LANE, Opcode.I32X4_REPLACE_LANE,
            Opcode.I64X2_EXTRACT_LANE, Opcode.I64X2_REPLACE_LANE, Opcode.F32X4_EXTRACT_LANE,
            Opcode.F32X4_REPLACE_LANE, Opcode.F64X2_EXTRACT_LANE, Opcode.F64X2_REPLACE_LANE);

    private static final int[] ONE_XMM = {1, 0};

    SimdLaneOps(Assembler a, boolean avx) {
        super(a, avx);
    }

    @Override
    boolean handles(Opcode op) {
        return OPS.contains(op);
    }

    @Override
    int[] temps(Opcode op) {
        return op == Opcode.I8X16_SHUFFLE ? ONE_XMM : NO_TEMPS;
    }

    /**
     * A shuffle never reads an all-zero operand (its bytes are zeros in the mask, or no result byte comes from it),
     * and a swizzle by known indices reads no index register.
     */
    @Override
    boolean readsRegister(Opcode op, int source, Object[] constants) {
        if (op == Opcode.I8X16_SWIZZLE) return source != 1 || !(constants[1] instanceof byte[]);
        return op != Opcode.I8X16_SHUFFLE || !isZero(constants[source]);
    }

    private static boolean isZero(Object constant) {
        if (!(constant instanceof byte[] b)) return false;
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    @Override
    void emit(Opcode op, SimdOperands o) {
        int lane = o.lane();
        switch (op) {
            case V128_CONST -> constant(o.xd(), o.bytes());
            case I8X16_SHUFFLE -> {
                Xmm x = o.x(0), y = o.x(1);
                if (!shuffleWithZero(o.xd(), x, y, o.bytes(), o.isZero(0), o.isZero(1))) {
                    // no result byte comes from an all-zero operand, whose register need not exist (readsRegister)
                    if (o.isZero(1)) y = x;
                    else if (o.isZero(0)) x = y;
                    shuffle(o.xd(), x, y, o.xmmTemps().get(0), o.bytes());
                }
            }
            case I8X16_SWIZZLE -> {
                byte[] indices = o.vectorConstant(1);
                if (indices != null) swizzle(o.xd(), o.x(0), indices);
                else swizzle(o.xd(), o.x(0), o.x(1));
            }
            case I8X16_SPLAT -> {
                Xmm d = o.xd();
                movd(d, o.g(0));
                zero(SCRATCH);
                unaryInPlace(SimdOp.PSHUFB, d, SCRATCH);
            }
            case I16X8_SPLAT -> {
                Xmm d = o.xd();
                movd(d, o.g(0));
                imm(SimdOp.PSHUFLW, d, d, 0);
                imm(SimdOp.PSHUFD, d, d, 0);
            }
            case I32X4_SPLAT -> {
                Xmm d = o.xd();
                movd(d, o.g(0));
                imm(SimdOp.PSHUFD, d, d, 0);
            }
            case I64X2_SPLAT -> {
                Xmm d = o.xd();
                if (avx) a.vex(SimdOp.MOVQ_G, d, o.g(0));
                else a.simd(SimdOp.MOVQ_G, d, o.g(0));
                imm(SimdOp.PSHUFD, d, d, 0x44);
            }
            case F32X4_SPLAT -> imm(SimdOp.PSHUFD, o.xd(), o.x(0), 0);
            case F64X2_SPLAT -> imm(SimdOp.PSHUFD, o.xd(), o.x(0), 0x44);
            case I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U -> {
                Gpr d = o.gd();
                extract(SimdOp.PEXTRB, d, o.x(0), lane);
                if (op == Opcode.I8X16_EXTRACT_LANE_S) a.movsx(DWORD, d, BYTE, d);
            }
            case I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_U -> {
                Gpr d = o.gd();
                extract(SimdOp.PEXTRW, d, o.x(0), lane);
                if (op == Opcode.I16X8_EXTRACT_LANE_S) a.movsx(DWORD, d, WORD, d);
            }
            case I32X4_EXTRACT_LANE -> {
                if (lane == 0) {
                    if (avx) a.vex(SimdOp.MOVD_ST, o.gd(), o.x(0));
                    else a.simd(SimdOp.MOVD_ST, o.gd(), o.x(0));
                } else {
                    extract(SimdOp.PEXTRD, o.gd(), o.x(0), lane);
                }
            }
            case I64X2_EXTRACT_LANE -> {
                if (lane == 0) {
                    if (avx) a.vex(SimdOp.MOVQ_GST, o.gd(), o.x(0));
                    else a.simd(SimdOp.MOVQ_GST, o.gd(), o.x(0));
                } else {
                    extract(SimdOp.PEXTRQ, o.gd(), o.x(0), lane);
                }
            }
            case F32X4_EXTRACT_LANE -> {
                if (lane == 0) move(o.xd(), o.x(0));
                else imm(SimdOp.PSHUFD, o.xd(), o.x(0), lane);
            }
            case F64X2_EXTRACT_LANE -> {
                if (lane == 0) move(o.xd(), o.x(0));
                else imm(SimdOp.PSHUFD, o.xd(), o.x(0), 0xEE);
            }
            case I8X16_REPLACE_LANE -> insert(SimdOp.PINSRB, o.xd(), o.x(0), o.g(1), lane);
            case I16X8_REPLACE_LANE -> insert(SimdOp.PINSRW, o.xd(), o.x(0), o.g(1), lane);
            case I32X4_REPLACE_LANE -> insert(SimdOp.PINSRD, o.xd(), o.x(0), o.g(1), lane);
            case I64X2_REPLACE_LANE -> insert(SimdOp.PINSRQ, o.xd(), o.x(0), o.g(1), lane);
            case F32X4_REPLACE_LANE -> binary(SimdOp.INSERTPS, o.xd(), o.x(0), o.x(1), lane << 4);
            case F64X2_REPLACE_LANE -> {
                if (lane == 0) binary(SimdOp.MOVSD_R, o.xd(), o.x(0), o.x(1), false);
                else binary(SimdOp.PUNPCKLQDQ, o.xd(), o.x(0), o.x(1), false);
            }
            default -> throw new IllegalStateException("not a lane instruction: " + op.text());
        }
    }

    // ---------------------------------------------------------------- sequences

    /** {@code dst = } the 16 bytes {@code bytes}. */
    private void constant(Xmm dst, byte[] bytes) {
        boolean zeros = true;
        boolean ones = true;
        for (byte b : bytes) {
            zeros &= b == 0;
            ones &= b == -1;
        }
        if (zeros) zero(dst);
        else if (ones) {
            if (avx) a.vex(SimdOp.PCMPEQD, dst, dst, dst);
            else a.simd(SimdOp.PCMPEQD, dst, dst);
        } else {
            loadPool(dst, bytes);
        }
    }

    /** {@code dst = } a pool constant. */
    private void loadPool(Xmm dst, byte[] bytes) {
        Mem m = pool128(bytes);
        if (avx) a.vex(SimdOp.MOVDQU, dst, m);
        else a.simd(SimdOp.MOVDQU, dst, m);
    }

    private void shuffle(Xmm dst, Xmm x, Xmm y, Xmm t, byte[] lanes) {
        byte[] maskX = new byte[16];
        byte[] maskY = new byte[16];
        boolean anyX = false;
        boolean anyY = false;
        for (int i = 0; i < 16; i++) {
            int l = lanes[i] & 31;
            maskX[i] = l < 16 ? (byte) l : (byte) 0x80;
            maskY[i] = l >= 16 ? (byte) (l - 16) : (byte) 0x80;
            anyX |= l < 16;
            anyY |= l >= 16;
        }
        int from = lanes[0] & 31;
        boolean concat = from > 0 && from < 16;
        for (int i = 0; i < 16; i++) concat &= (lanes[i] & 31) == from + i;
        if (concat) {                                        // bytes from..15 of x, then 0..from-1 of y
            binary(SimdOp.PALIGNR, dst, y, x, from);
            return;
        }
        if (unpack(lanes, dst, x, y)) return;
        int dwords = dwordPermutation(lanes);
        if (dwords >= 0) {
            imm(SimdOp.PSHUFD, dst, (lanes[0] & 31) < 16 ? x : y, dwords);
            return;
        }
        if (!anyY) {
            shufb(dst, x, pool128(maskX));
        } else if (!anyX) {
            shufb(dst, y, pool128(maskY));
        } else {
            shufb(t, y, pool128(maskY));
            shufb(dst, x, pool128(maskX));
            binary(SimdOp.POR, dst, dst, t, true);
        }
    }

    /** pmovzx by (source element bytes, widened element bytes): index 0 1->2, 1->4, 1->8, 2->4, 2->8, 4->8. */
    private static final int[][] EXTENDS = {{1, 2}, {1, 4}, {1, 8}, {2, 4}, {2, 8}, {4, 8}};
    private static final SimdOp[] PMOVZX = {SimdOp.PMOVZXBW, SimdOp.PMOVZXBD, SimdOp.PMOVZXBQ, SimdOp.PMOVZXWD,
        SimdOp.PMOVZXWQ, SimdOp.PMOVZXDQ};

    /**
     * i8x16.shuffle when one operand is known to be all zeros and some lane comes from it (clang's zero-extension
     * idiom): 0, a {@code pmovzx*}, a byte shift, or one {@code pshufb} of the other operand with 0x80 for the zero
     * lanes; false (nothing emitted) when neither operand is known zero or no lane takes a zero.
     */
    private boolean shuffleWithZero(Xmm dst, Xmm x, Xmm y, byte[] lanes, boolean zeroX, boolean zeroY) {
        if (!zeroX && !zeroY) return false;
        Xmm v = zeroX ? y : x;
        int[] from = new int[16];                            // the byte of v, or -1 for a zero
        boolean anyZero = false, anyV = false;
        for (int i = 0; i < 16; i++) {
            int l = lanes[i] & 31;
            boolean fromV = !(zeroX && zeroY) && (zeroX ? l >= 16 : l < 16);
            from[i] = fromV ? l & 15 : -1;
            anyZero |= !fromV;
            anyV |= fromV;
        }
        if (!anyZero) return false;
        if (!anyV) {
            zero(dst);
            return true;
        }
        for (int e = 0; e < EXTENDS.length; e++) {
            int w = EXTENDS[e][0], to = EXTENDS[e][1];
            boolean match = true;
            for (int i = 0; i < 16 && match; i++) {
                int at = i % to;
                match = from[i] == (at < w ? i / to * w + at : -1);
            }
            if (match) {
                if (avx) a.vex(PMOVZX[e], dst, v);
                else a.simd(PMOVZX[e], dst, v);
                return true;
            }
        }
        for (int n = 1; n < 16; n++) {
            boolean right = true, left = true;
            for (int i = 0; i < 16; i++) {
                right &= from[i] == (i + n < 16 ? i + n : -1);
                left &= from[i] == (i >= n ? i - n : -1);
            }
            if (right || left) {
                SimdOp op = right ? SimdOp.PSRLDQ : SimdOp.PSLLDQ;
                if (avx) {
                    a.vex(op, dst, v, n);
                } else {
                    move(dst, v);
                    a.simd(op, dst, n);
                }
                return true;
            }
        }
        byte[] mask = new byte[16];
        for (int i = 0; i < 16; i++) mask[i] = from[i] < 0 ? (byte) 0x80 : (byte) from[i];
        shufb(dst, v, pool128(mask));
        return true;
    }

    private static final SimdOp[][] UNPACKS = {
        {SimdOp.PUNPCKLBW, SimdOp.PUNPCKLWD, SimdOp.PUNPCKLDQ, SimdOp.PUNPCKLQDQ},
        {SimdOp.PUNPCKHBW, SimdOp.PUNPCKHWD, SimdOp.PUNPCKHDQ, SimdOp.PUNPCKHQDQ}};

    /**
     * Emits a {@code punpckl*}/{@code punpckh*} when the lanes interleave the low or high halves of the operands
     * (elements of 1, 2, 4 or 8 bytes, either operand first); false otherwise.
     */
    private boolean unpack(byte[] lanes, Xmm dst, Xmm x, Xmm y) {
        for (int size = 0; size < 4; size++) {
            int w = 1 << size;
            for (int high = 0; high < 2; high++) {
                for (int swap = 0; swap < 2; swap++) {
                    boolean match = true;
                    for (int i = 0; i < 16 && match; i++) {
                        int k = i / w;
                        int operand = (k % 2) ^ swap;
                        int element = high * (8 / w) + k / 2;
                        match = (lanes[i] & 31) == operand * 16 + element * w + i % w;
                    }
                    if (match) {
                        if (swap == 0) binary(UNPACKS[high][size], dst, x, y, false);
                        else binary(UNPACKS[high][size], dst, y, x, false);
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The {@code pshufd} immediate when the lanes pick whole dwords of one operand (an identity shuffle included),
     * else -1.
     */
    private static int dwordPermutation(byte[] lanes) {
        int operand = (lanes[0] & 31) >> 4;
        int imm = 0;
        for (int d = 0; d < 4; d++) {
            int first = lanes[4 * d] & 31;
            if (first >> 4 != operand || (first & 3) != 0) return -1;
            for (int b = 1; b < 4; b++) if ((lanes[4 * d + b] & 31) != first + b) return -1;
            imm |= ((first & 15) >> 2) << (2 * d);
        }
        return imm;
    }

    /** {@code dst = pshufb(src, SCRATCH)}. */
    private void shufbInto(Xmm dst, Xmm src) {
        if (avx) {
            a.vex(SimdOp.PSHUFB, dst, src, SCRATCH);
        } else {
            move(dst, src);
            a.simd(SimdOp.PSHUFB, dst, SCRATCH);
        }
    }

    /** {@code dst = pshufb(src, [mask])} ({@code mask} a 16-byte aligned pool constant). */
    private void shufb(Xmm dst, Xmm src, Mem mask) {
        binary(SimdOp.PSHUFB, dst, src, mask);
    }

    private void swizzle(Xmm dst, Xmm x, Xmm s) {
        byte[] c = new byte[16];
        java.util.Arrays.fill(c, (byte) 0x70);
        if (avx) {
            a.vex(SimdOp.PADDUSB, SCRATCH, s, pool128(c));
        } else {
            move(SCRATCH, s);
            a.simd(SimdOp.PADDUSB, SCRATCH, pool128(c));
        }
        shufbInto(dst, x);
    }

    /** i8x16.swizzle by known indices: one pshufb whose mask has 0x80 for the indices >= 16. */
    private void swizzle(Xmm dst, Xmm x, byte[] indices) {
        byte[] mask = new byte[16];
        for (int i = 0; i < 16; i++) mask[i] = (indices[i] & 0xFF) < 16 ? indices[i] : (byte) 0x80;
        shufb(dst, x, pool128(mask));
    }

    private void zero(Xmm x) {
        if (avx) a.vex(SimdOp.PXOR, x, x, x);
        else a.simd(SimdOp.PXOR, x, x);
    }

    /** {@code x = op(x, y)}. */
    private void unaryInPlace(SimdOp op, Xmm x, Xmm y) {
        if (avx) a.vex(op, x, x, y);
        else a.simd(op, x, y);
    }

    private void movd(Xmm dst, Gpr src) {
        if (avx) a.vex(SimdOp.MOVD, dst, src);
        else a.simd(SimdOp.MOVD, dst, src);
    }

    /** {@code dst = op(src, imm)} for a form XXI instruction. */
    private void imm(SimdOp op, Xmm dst, Xmm src, int imm) {
        if (avx) a.vex(op, dst, src, imm);
        else a.simd(op, dst, src, imm);
    }

    private void extract(SimdOp op, Gpr dst, Xmm src, int lane) {
        if (avx) a.vex(op, dst, src, lane);
        else a.simd(op, dst, src, lane);
    }

    private void insert(SimdOp op, Xmm dst, Xmm v, Gpr x, int lane) {
        if (avx) {
            a.vex(op, dst, v, x, lane);
        } else {
            move(dst, v);
            a.simd(op, dst, x, lane);
        }
    }
}
