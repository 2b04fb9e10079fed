package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

/**
 * Loads and stores of v128 values, lanes, splats and extends (the tier supplies the address). No sequence touches
 * r11 before its memory access (a tier may use r11 in the address) and none needs a temporary.
 *
 * <pre>
 *   v128.load / store          movdqu
 *   load8x8_s .. load32x2_u    pmovsx / pmovzx from memory
 *   load8_splat                pinsrb d, [m], 0; pshufb d, zero
 *   load16_splat               pinsrw d, [m], 0; pshuflw d, d, 0; pshufd d, d, 0
 *   load32_splat               movd d, [m]; pshufd d, d, 0         (AVX: vbroadcastss)
 *   load64_splat               movddup d, [m]
 *   load32_zero / load64_zero  movd / movq d, [m]
 *   loadN_lane                 pinsrb/w/d/q d, [m], lane
 *   storeN_lane                pextrb/w/d/q [m], v, lane
 * </pre>
 */
final class SimdMemoryOps extends SimdFamily {
    SimdMemoryOps(Assembler a, boolean avx) {
        super(a, avx);
    }

    /** The bytes a memory instruction touches (16 for v128.load, 8 for load8x8_s, 1 for load8_lane, ...), else 0. */
    static int accessBytes(Opcode op) {
        return switch (op) {
            case V128_LOAD, V128_STORE -> 16;
            case V128_LOAD8X8_S, V128_LOAD8X8_U, V128_LOAD16X4_S, V128_LOAD16X4_U, V128_LOAD32X2_S, V128_LOAD32X2_U,
                 V128_LOAD64_SPLAT, V128_LOAD64_ZERO, V128_LOAD64_LANE, V128_STORE64_LANE -> 8;
            case V128_LOAD32_SPLAT, V128_LOAD32_ZERO, V128_LOAD32_LANE, V128_STORE32_LANE -> 4;
            case V128_LOAD16_SPLAT, V128_LOAD16_LANE, V128_STORE16_LANE -> 2;
            case V128_LOAD8_SPLAT, V128_LOAD8_LANE, V128_STORE8_LANE -> 1;
            default -> 0;
        };
    }

    @Override
    boolean handles(Opcode op) {
        return accessBytes(op) > 0;
    }

    @Override
    int[] temps(Opcode op) {
        return NO_TEMPS;
    }

    @Override
    void emit(Opcode op, SimdOperands o) {
        Mem m = o.address();
        int lane = o.lane();
        switch (op) {
            case V128_LOAD -> load(SimdOp.MOVDQU, o.xd(), m);
            case V128_STORE -> {
                if (avx) a.vex(SimdOp.MOVDQU_ST, m, o.x(0));
                else a.simd(SimdOp.MOVDQU_ST, m, o.x(0));
            }
            case V128_LOAD8X8_S -> load(SimdOp.PMOVSXBW, o.xd(), m);
            case V128_LOAD8X8_U -> load(SimdOp.PMOVZXBW, o.xd(), m);
            case V128_LOAD16X4_S -> load(SimdOp.PMOVSXWD, o.xd(), m);
            case V128_LOAD16X4_U -> load(SimdOp.PMOVZXWD, o.xd(), m);
            case V128_LOAD32X2_S -> load(SimdOp.PMOVSXDQ, o.xd(), m);
            case V128_LOAD32X2_U -> load(SimdOp.PMOVZXDQ, o.xd(), m);
            case V128_LOAD8_SPLAT -> {
                Xmm d = o.xd();
                insert(SimdOp.PINSRB, d, d, m, 0);
                if (avx) {
                    a.vex(SimdOp.PXOR, SCRATCH, SCRATCH, SCRATCH);
                    a.vex(SimdOp.PSHUFB, d, d, SCRATCH);
                } else {
                    a.simd(SimdOp.PXOR, SCRATCH, SCRATCH);
                    a.simd(SimdOp.PSHUFB, d, SCRATCH);
                }
            }
            case V128_LOAD16_SPLAT -> {
                Xmm d = o.xd();
                insert(SimdOp.PINSRW, d, d, m, 0);
                imm(SimdOp.PSHUFLW, d, d, 0);
                imm(SimdOp.PSHUFD, d, d, 0);
            }
            case V128_LOAD32_SPLAT -> {
                Xmm d = o.xd();
                if (avx) {
                    a.vex(SimdOp.VBROADCASTSS, d, m);
                } else {
                    a.simd(SimdOp.MOVD, d, m);
                    a.simd(SimdOp.PSHUFD, d, d, 0);
                }
            }
            case V128_LOAD64_SPLAT -> load(SimdOp.MOVDDUP, o.xd(), m);
            case V128_LOAD32_ZERO -> load(SimdOp.MOVD, o.xd(), m);
            case V128_LOAD64_ZERO -> load(SimdOp.MOVQ, o.xd(), m);
            case V128_LOAD8_LANE -> insert(SimdOp.PINSRB, o.xd(), o.x(0), m, lane);
            case V128_LOAD16_LANE -> insert(SimdOp.PINSRW, o.xd(), o.x(0), m, lane);
            case V128_LOAD32_LANE -> insert(SimdOp.PINSRD, o.xd(), o.x(0), m, lane);
            case V128_LOAD64_LANE -> insert(SimdOp.PINSRQ, o.xd(), o.x(0), m, lane);
            case V128_STORE8_LANE -> extract(SimdOp.PEXTRB, m, o.x(0), lane);
            case V128_STORE16_LANE -> extract(SimdOp.PEXTRW_M, m, o.x(0), lane);
            case V128_STORE32_LANE -> {
                if (lane == 0) store(SimdOp.MOVD_ST, m, o.x(0));
                else extract(SimdOp.PEXTRD, m, o.x(0), lane);
            }
            case V128_STORE64_LANE -> {
                if (lane == 0) store(SimdOp.MOVQ_ST, m, o.x(0));
                else extract(SimdOp.PEXTRQ, m, o.x(0), lane);
            }
            default -> throw new IllegalStateException("not a memory instruction: " + op.text());
        }
    }

    private void load(SimdOp op, Xmm dst, Mem m) {
        if (avx) a.vex(op, dst, m);
        else a.simd(op, dst, m);
    }

    private void store(SimdOp op, Mem m, Xmm src) {
        if (avx) a.vex(op, m, src);
        else a.simd(op, m, src);
    }

    private void imm(SimdOp op, Xmm dst, Xmm src, int imm) {
        if (avx) a.vex(op, dst, src, imm);
        else a.simd(op, dst, src, imm);
    }

    private void insert(SimdOp op, Xmm dst, Xmm v, Mem m, int lane) {
        if (avx) {
            a.vex(op, dst, v, m, lane);
        } else {
            move(dst, v);
            a.simd(op, dst, m, lane);
        }
    }

    private void extract(SimdOp op, Mem m, Xmm v, int lane) {
        if (avx) a.vex(op, m, v, lane);
        else a.simd(op, m, v, lane);
    }
}
