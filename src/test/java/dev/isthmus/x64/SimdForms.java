package dev.isthmus.x64;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.isthmus.x64.CaseList.GPRS;
import static dev.isthmus.x64.CaseList.MEMS;
import static dev.isthmus.x64.CaseList.XMMS;
import static dev.isthmus.x64.IntelSyntax.imm;
import static dev.isthmus.x64.IntelSyntax.mem;
import static dev.isthmus.x64.IntelSyntax.xmm;
import static dev.isthmus.x64.OperandSize.BYTE;

/**
 * Round-trip cases for every {@link SimdOp} row, in its legacy (SSE) and its VEX encoding: every pair of registers
 * in the first two operand positions (the third and fourth rotating through all sixteen, so every register meets
 * every position and every combination of high registers, which decides between the two- and three-byte VEX
 * prefix), and memory operands. The first row of each form in each encoding runs through every memory shape of
 * {@link CaseList#MEMS}; the others through {@link #SHAPES}, one of each addressing special case.
 */
final class SimdForms {
    private static final int[] IMMS = {0, 1, 0x1B, 0x7F, 0x80, 0xFF};
    /** A smaller set of memory shapes with every special case: rsp/r12/rbp/r13 bases, each index and scale, no base, RIP. */
    static final List<Mem> SHAPES = shapes();

    private SimdForms() {
    }

    static void addAll(CaseList list) {
        Set<SimdOp.Form> fullLegacy = EnumSet.noneOf(SimdOp.Form.class);
        Set<SimdOp.Form> fullVex = EnumSet.noneOf(SimdOp.Form.class);
        for (SimdOp op : SimdOp.values()) {
            if (op.hasLegacy()) add(list, op, false, fullLegacy.add(op.form()) ? MEMS : SHAPES);
            add(list, op, true, fullVex.add(op.form()) ? MEMS : SHAPES);
        }
    }

    /** The pointer name Zydis prints for a memory operand of {@code bits}. */
    static String pointer(int bits) {
        return switch (bits) {
            case 8 -> "byte";
            case 16 -> "word";
            case 32 -> "dword";
            case 64 -> "qword";
            default -> "xmmword";
        };
    }

    private static void add(CaseList list, SimdOp op, boolean vex, List<Mem> mems) {
        int o = op.ordinal();
        if (op.registerAllowed()) {
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 16; j++) {
                    if (op.form() == SimdOp.Form.SHIFT && !vex) {
                        // the legacy form shifts in place by an immediate: one case per immediate
                        if (j < IMMS.length) registerCase(list, op, vex, XMMS[i], XMMS[j], XMMS[0], XMMS[0], GPRS[i], GPRS[j], IMMS[j]);
                        continue;
                    }
                    registerCase(list, op, vex, XMMS[i], XMMS[j], XMMS[(i + j + o) % 16], XMMS[(3 * i + j + o) % 16],
                            GPRS[i], GPRS[j], IMMS[(i + j) % IMMS.length]);
                }
            }
        }
        if (op.memoryBits() == 0) return;
        int k = o;
        for (Mem m : mems) {
            memoryCase(list, op, vex, m, XMMS[k % 16], XMMS[(k * 5 + 3) % 16], XMMS[(k * 7 + 11) % 16], IMMS[k % IMMS.length]);
            k++;
        }
    }

    /**
     * The case of {@code op} with register operands: xmm {@code a, b, c, d} and general registers {@code ga, gb} in
     * the positions its form has, {@code v} as its immediate (each form uses the first few).
     */
    static void registerCase(CaseList list, SimdOp op, boolean vex, Xmm a, Xmm b, Xmm c, Xmm d, Gpr ga, Gpr gb, int v) {
        String mn = vex ? op.vexMnemonic() : op.mnemonic();
        OperandSize gs = op.w() ? OperandSize.QWORD : OperandSize.DWORD;
        String iv = imm(v, BYTE);
        switch (op.form()) {
            case XX -> list.add(s -> { if (vex) s.vex(op, a, b); else s.simd(op, a, b); },
                    mn + " " + xmm(a) + ", " + xmm(b));
            case XXX -> {
                if (vex) list.add(s -> s.vex(op, a, b, c), mn + " " + xmm(a) + ", " + xmm(b) + ", " + xmm(c));
                else list.add(s -> s.simd(op, a, b), mn + " " + xmm(a) + ", " + xmm(b));
            }
            case XXI -> list.add(s -> { if (vex) s.vex(op, a, b, v); else s.simd(op, a, b, v); },
                    mn + " " + xmm(a) + ", " + xmm(b) + ", " + iv);
            case XXXI -> {
                if (vex) list.add(s -> s.vex(op, a, b, c, v), mn + " " + xmm(a) + ", " + xmm(b) + ", " + xmm(c) + ", " + iv);
                else list.add(s -> s.simd(op, a, b, v), mn + " " + xmm(a) + ", " + xmm(b) + ", " + iv);
            }
            case BLENDV -> {
                if (vex) list.add(s -> s.vex(op, a, b, c, d), mn + " " + xmm(a) + ", " + xmm(b) + ", " + xmm(c) + ", " + xmm(d));
                else list.add(s -> s.simd(op, a, b), mn + " " + xmm(a) + ", " + xmm(b));
            }
            case SHIFT -> {
                if (vex) list.add(s -> s.vex(op, a, b, v), mn + " " + xmm(a) + ", " + xmm(b) + ", " + iv);
                else list.add(s -> s.simd(op, a, v), mn + " " + xmm(a) + ", " + iv);
            }
            case MX -> { }
            case XG -> list.add(s -> { if (vex) s.vex(op, a, gb); else s.simd(op, a, gb); },
                    mn + " " + xmm(a) + ", " + gb.nameAt(gs));
            case GX, GXR -> list.add(s -> { if (vex) s.vex(op, ga, b); else s.simd(op, ga, b); },
                    mn + " " + ga.nameAt(gs) + ", " + xmm(b));
            case GXI, GXRI -> list.add(s -> { if (vex) s.vex(op, ga, b, v); else s.simd(op, ga, b, v); },
                    mn + " " + ga.nameAt(gs) + ", " + xmm(b) + ", " + iv);
            case XXGI -> {
                if (vex) list.add(s -> s.vex(op, a, c, gb, v), mn + " " + xmm(a) + ", " + xmm(c) + ", " + gb.nameAt(gs) + ", " + iv);
                else list.add(s -> s.simd(op, a, gb, v), mn + " " + xmm(a) + ", " + gb.nameAt(gs) + ", " + iv);
            }
        }
    }

    /** The case of {@code op} with memory operand {@code m} (requires {@code op.memoryBits() > 0}). */
    static void memoryCase(CaseList list, SimdOp op, boolean vex, Mem m, Xmm a, Xmm c, Xmm d, int v) {
        String mn = vex ? op.vexMnemonic() : op.mnemonic();
        String ptr = pointer(op.memoryBits());
        String iv = imm(v, BYTE);
        switch (op.form()) {
            case XX, XG -> list.add(s -> { if (vex) s.vex(op, a, m); else s.simd(op, a, m); },
                    next -> mn + " " + xmm(a) + ", " + mem(ptr, m, next));
            case XXX -> {
                if (vex) list.add(s -> s.vex(op, a, c, m), next -> mn + " " + xmm(a) + ", " + xmm(c) + ", " + mem(ptr, m, next));
                else list.add(s -> s.simd(op, a, m), next -> mn + " " + xmm(a) + ", " + mem(ptr, m, next));
            }
            case XXI -> list.add(s -> { if (vex) s.vex(op, a, m, v); else s.simd(op, a, m, v); },
                    next -> mn + " " + xmm(a) + ", " + mem(ptr, m, next) + ", " + iv);
            case XXXI, XXGI -> {
                if (vex) list.add(s -> s.vex(op, a, c, m, v), next -> mn + " " + xmm(a) + ", " + xmm(c) + ", " + mem(ptr, m, next) + ", " + iv);
                else list.add(s -> s.simd(op, a, m, v), next -> mn + " " + xmm(a) + ", " + mem(ptr, m, next) + ", " + iv);
            }
            case BLENDV -> {
                if (vex) list.add(s -> s.vex(op, a, c, m, d), next -> mn + " " + xmm(a) + ", " + xmm(c) + ", " + mem(ptr, m, next) + ", " + xmm(d));
                else list.add(s -> s.simd(op, a, m), next -> mn + " " + xmm(a) + ", " + mem(ptr, m, next));
            }
            case MX, GX -> list.add(s -> { if (vex) s.vex(op, m, a); else s.simd(op, m, a); },
                    next -> mn + " " + mem(ptr, m, next) + ", " + xmm(a));
            case GXI -> list.add(s -> { if (vex) s.vex(op, m, a, v); else s.simd(op, m, a, v); },
                    next -> mn + " " + mem(ptr, m, next) + ", " + xmm(a) + ", " + iv);
            default -> throw new AssertionError(op + " has a memory width but form " + op.form());
        }
    }

    private static List<Mem> shapes() {
        List<Mem> mems = new ArrayList<>();
        for (Gpr base : GPRS) for (int d : new int[]{0, -0x80, 0x80}) mems.add(Mem.of(base, d));
        int[] disps = {0, 0x7F, -0x81, 0x1234_5678};
        for (Gpr index : GPRS) {
            if (index == Gpr.RSP) continue;
            int i = index.encoding();
            mems.add(Mem.of(GPRS[(i + 5) % 16], index, 1 << (i % 4), disps[i % disps.length]));
        }
        mems.add(Mem.indexed(Gpr.R12, 8, 0x40));
        mems.add(Mem.indexed(Gpr.RBP, 2, -4));
        mems.add(Mem.absolute(0x1234));
        mems.add(Mem.rip(0x10));
        mems.add(Mem.rip(-0x1234_5678));
        return List.copyOf(mems);
    }
}
