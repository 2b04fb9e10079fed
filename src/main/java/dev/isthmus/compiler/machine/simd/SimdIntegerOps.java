package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import java.util.EnumMap;
import java.util.Map;

import static dev.isthmus.binary.Opcode.*;

/**
 * Lane-wise integer arithmetic, shifts, compares, bitwise operations, masks, narrowing and widening (the 139 "int"
 * instructions of Wasm 2.0 SIMD). The instructions that are one x86 instruction are data ({@link #SIMPLE}); the
 * compares x86 lacks are built here from eq/gt/min/max; the longer sequences are in {@link SimdIntegerSequences}.
 */
final class SimdIntegerOps extends SimdIntegerBase {
    /** How a one-instruction lowering takes the wasm operands. */
    private enum Kind {
        /** {@code op(a, b)}, commutative. */
        COMMUTATIVE,
        /** {@code op(a, b)}. */
        BINARY,
        /** {@code op(b, a)} (lt_s as gt_s swapped; andnot as pandn). */
        SWAPPED,
        /** {@code op(a)} (form XX). */
        UNARY
    }

    private record Simple(SimdOp op, Kind kind) {
    }

    private static final Map<Opcode, Simple> SIMPLE = new EnumMap<>(Opcode.class);

    private static void simple(Kind kind, Object... pairs) {
        for (int i = 0; i < pairs.length; i += 2) SIMPLE.put((Opcode) pairs[i], new Simple((SimdOp) pairs[i + 1], kind));
    }

    static {
        simple(Kind.COMMUTATIVE,
                I8X16_ADD, SimdOp.PADDB, I8X16_ADD_SAT_S, SimdOp.PADDSB, I8X16_ADD_SAT_U, SimdOp.PADDUSB,
                I8X16_MIN_S, SimdOp.PMINSB, I8X16_MIN_U, SimdOp.PMINUB, I8X16_MAX_S, SimdOp.PMAXSB,
                I8X16_MAX_U, SimdOp.PMAXUB, I8X16_AVGR_U, SimdOp.PAVGB, I8X16_EQ, SimdOp.PCMPEQB,
                I16X8_ADD, SimdOp.PADDW, I16X8_ADD_SAT_S, SimdOp.PADDSW, I16X8_ADD_SAT_U, SimdOp.PADDUSW,
                I16X8_MUL, SimdOp.PMULLW, I16X8_MIN_S, SimdOp.PMINSW, I16X8_MIN_U, SimdOp.PMINUW,
                I16X8_MAX_S, SimdOp.PMAXSW, I16X8_MAX_U, SimdOp.PMAXUW, I16X8_AVGR_U, SimdOp.PAVGW,
                I16X8_EQ, SimdOp.PCMPEQW,
                I32X4_ADD, SimdOp.PADDD, I32X4_MUL, SimdOp.PMULLD, I32X4_MIN_S, SimdOp.PMINSD,
                I32X4_MIN_U, SimdOp.PMINUD, I32X4_MAX_S, SimdOp.PMAXSD, I32X4_MAX_U, SimdOp.PMAXUD,
                I32X4_EQ, SimdOp.PCMPEQD, I32X4_DOT_I16X8_S, SimdOp.PMADDWD,
                I64X2_ADD, SimdOp.PADDQ, I64X2_EQ, SimdOp.PCMPEQQ,
                V128_AND, SimdOp.PAND, V128_OR, SimdOp.POR, V128_XOR, SimdOp.PXOR);
        simple(Kind.BINARY,
                I8X16_SUB, SimdOp.PSUBB, I8X16_SUB_SAT_S, SimdOp.PSUBSB, I8X16_SUB_SAT_U, SimdOp.PSUBUSB,
                I8X16_GT_S, SimdOp.PCMPGTB, I8X16_NARROW_I16X8_S, SimdOp.PACKSSWB,
                I8X16_NARROW_I16X8_U, SimdOp.PACKUSWB,
                I16X8_SUB, SimdOp.PSUBW, I16X8_SUB_SAT_S, SimdOp.PSUBSW, I16X8_SUB_SAT_U, SimdOp.PSUBUSW,
                I16X8_GT_S, SimdOp.PCMPGTW, I16X8_NARROW_I32X4_S, SimdOp.PACKSSDW,
                I16X8_NARROW_I32X4_U, SimdOp.PACKUSDW,
                I32X4_SUB, SimdOp.PSUBD, I32X4_GT_S, SimdOp.PCMPGTD, I64X2_SUB, SimdOp.PSUBQ);
        simple(Kind.SWAPPED,
                I8X16_LT_S, SimdOp.PCMPGTB, I16X8_LT_S, SimdOp.PCMPGTW, I32X4_LT_S, SimdOp.PCMPGTD,
                V128_ANDNOT, SimdOp.PANDN);
        simple(Kind.UNARY,
                I8X16_ABS, SimdOp.PABSB, I16X8_ABS, SimdOp.PABSW, I32X4_ABS, SimdOp.PABSD,
                I16X8_EXTEND_LOW_I8X16_S, SimdOp.PMOVSXBW, I16X8_EXTEND_LOW_I8X16_U, SimdOp.PMOVZXBW,
                I32X4_EXTEND_LOW_I16X8_S, SimdOp.PMOVSXWD, I32X4_EXTEND_LOW_I16X8_U, SimdOp.PMOVZXWD,
                I64X2_EXTEND_LOW_I32X4_S, SimdOp.PMOVSXDQ, I64X2_EXTEND_LOW_I32X4_U, SimdOp.PMOVZXDQ);
    }

    /** The compares built from eq/min/max, per lane width (i8, i16, i32). */
    private enum Compare { NE, LE_S, GE_S, LT_U, GT_U, LE_U, GE_U }

    private record LaneCompare(Compare compare, int width) {
    }

    private static final Map<Opcode, LaneCompare> COMPARES = new EnumMap<>(Opcode.class);

    static {
        Opcode[][] ops = {
                {I8X16_NE, I8X16_LE_S, I8X16_GE_S, I8X16_LT_U, I8X16_GT_U, I8X16_LE_U, I8X16_GE_U},
                {I16X8_NE, I16X8_LE_S, I16X8_GE_S, I16X8_LT_U, I16X8_GT_U, I16X8_LE_U, I16X8_GE_U},
                {I32X4_NE, I32X4_LE_S, I32X4_GE_S, I32X4_LT_U, I32X4_GT_U, I32X4_LE_U, I32X4_GE_U}};
        for (int w = 0; w < 3; w++) {
            for (Compare c : Compare.values()) COMPARES.put(ops[w][c.ordinal()], new LaneCompare(c, w));
        }
    }

    private static final SimdOp[] EQ = {SimdOp.PCMPEQB, SimdOp.PCMPEQW, SimdOp.PCMPEQD};
    private static final SimdOp[] MIN_S = {SimdOp.PMINSB, SimdOp.PMINSW, SimdOp.PMINSD};
    private static final SimdOp[] MAX_S = {SimdOp.PMAXSB, SimdOp.PMAXSW, SimdOp.PMAXSD};
    private static final SimdOp[] MIN_U = {SimdOp.PMINUB, SimdOp.PMINUW, SimdOp.PMINUD};
    private static final SimdOp[] MAX_U = {SimdOp.PMAXUB, SimdOp.PMAXUW, SimdOp.PMAXUD};

    private final SimdIntegerSequences sequences;

    SimdIntegerOps(Assembler a, boolean avx) {
        super(a, avx);
        sequences = new SimdIntegerSequences(a, avx);
    }

    @Override
    boolean handles(Opcode op) {
        return SIMPLE.containsKey(op) || COMPARES.containsKey(op) || isI64Compare(op) || sequences.handles(op);
    }

    @Override
    int[] temps(Opcode op) {
        if (isI64Compare(op) && op != I64X2_NE && !avx) return new int[] {1, 0};
        if (sequences.handles(op)) return sequences.temps(op);
        return NO_TEMPS;
    }

    /**
     * A one-instruction lowering takes a known v128 operand as a pool constant in its memory operand (the second
     * operand of the x86 instruction, or either of a commutative one); shifts by a known count take an immediate.
     */
    @Override
    boolean readsRegister(Opcode op, int source, Object[] constants) {
        Simple s = SIMPLE.get(op);
        if (s != null) return poolSource(s.kind(), constants) != source;
        return !sequences.handles(op) || sequences.readsRegister(op, source, constants);
    }

    /** The source a one-instruction lowering takes from the constant pool, or -1. */
    private static int poolSource(Kind kind, Object[] known) {
        return switch (kind) {
            case BINARY -> known[1] instanceof byte[] ? 1 : -1;
            case SWAPPED -> known[0] instanceof byte[] ? 0 : -1;
            case COMMUTATIVE -> known[1] instanceof byte[] ? 1 : known[0] instanceof byte[] ? 0 : -1;
            case UNARY -> -1;
        };
    }

    @Override
    void emit(Opcode op, SimdOperands o) {
        Simple s = SIMPLE.get(op);
        int pool = s == null ? -1 : poolSource(s.kind(), o.constants());
        if (pool >= 0) {
            Xmm other = s.kind() == Kind.BINARY ? o.x(0) : o.x(1 - pool);
            binary(s.op(), o.xd(), other, pool128(o.vectorConstant(pool)));
            return;
        }
        if (s != null) {
            switch (s.kind()) {
                case COMMUTATIVE -> binary(s.op(), o.xd(), o.x(0), o.x(1), true);
                case BINARY -> binary(s.op(), o.xd(), o.x(0), o.x(1), false);
                case SWAPPED -> binary(s.op(), o.xd(), o.x(1), o.x(0), false);
                case UNARY -> unary(s.op(), o.xd(), o.x(0));
            }
            return;
        }
        LaneCompare c = COMPARES.get(op);
        if (c != null) {
            compare(c, o.xd(), o.x(0), o.x(1));
        } else if (isI64Compare(op)) {
            compare64(op, o);
        } else {
            sequences.emit(op, o);
        }
    }

    /**
     * The compares x86 lacks: ne = not eq; ge = (max(a, b) == a); le = (min(a, b) == a); gt_u = not le_u;
     * lt_u = not ge_u. The max/min goes to the scratch register, so any aliasing works.
     */
    private void compare(LaneCompare c, Xmm dst, Xmm x, Xmm y) {
        int w = c.width();
        switch (c.compare()) {
            case NE -> {
                binary(EQ[w], dst, x, y, true);
                not(dst, dst);
            }
            case LE_S -> minMaxEquals(MIN_S[w], EQ[w], dst, x, y);
            case GE_S -> minMaxEquals(MAX_S[w], EQ[w], dst, x, y);
            case LE_U -> minMaxEquals(MIN_U[w], EQ[w], dst, x, y);
            case GE_U -> minMaxEquals(MAX_U[w], EQ[w], dst, x, y);
            case GT_U -> {
                minMaxEquals(MIN_U[w], EQ[w], dst, x, y);
                not(dst, dst);
            }
            case LT_U -> {
                minMaxEquals(MAX_U[w], EQ[w], dst, x, y);
                not(dst, dst);
            }
        }
    }

    /** {@code dst = (minOrMax(x, y) == x)}. */
    private void minMaxEquals(SimdOp minOrMax, SimdOp eq, Xmm dst, Xmm x, Xmm y) {
        binary(minOrMax, SCRATCH, x, y, true);
        binary(eq, dst, SCRATCH, x, true);
    }

    private static boolean isI64Compare(Opcode op) {
        return op == I64X2_NE || op == I64X2_LT_S || op == I64X2_GT_S || op == I64X2_LE_S || op == I64X2_GE_S;
    }

    /**
     * The i64x2 compares. With AVX the CPU has SSE4.2's pcmpgtq. Without, a > b per 64-bit lane is
     * {@code hi(a) > hi(b) || (hi(a) == hi(b) && lo(a) >u lo(b))}: where the high halves are equal, the high half of
     * {@code b - a} is 0 or -1 (the borrow out of the low halves: -1 exactly when lo(a) >u lo(b)), so
     * {@code (b - a) & eq32(a, b) | gt32(a, b)} holds the answer in each high dword, which pshufd copies to both.
     */
    private void compare64(Opcode op, SimdOperands o) {
        Xmm dst = o.xd(), a0 = o.x(0), b0 = o.x(1);
        switch (op) {
            case I64X2_NE -> {
                binary(SimdOp.PCMPEQQ, dst, a0, b0, true);
                not(dst, dst);
            }
            case I64X2_GT_S -> greater64(dst, a0, b0, o);
            case I64X2_LT_S -> greater64(dst, b0, a0, o);
            case I64X2_LE_S -> {
                greater64(dst, a0, b0, o);
                not(dst, dst);
            }
            case I64X2_GE_S -> {
                greater64(dst, b0, a0, o);
                not(dst, dst);
            }
            default -> throw new IllegalArgumentException(op.text());
        }
    }

    private void greater64(Xmm dst, Xmm x, Xmm y, SimdOperands o) {
        if (avx) {
            a.vex(SimdOp.PCMPGTQ, dst, x, y);
            return;
        }
        Xmm t = o.xmmTemps().get(0);
        move(t, y);
        a.simd(SimdOp.PSUBQ, t, x);
        move(SCRATCH, x);
        a.simd(SimdOp.PCMPEQD, SCRATCH, y);
        a.simd(SimdOp.PAND, t, SCRATCH);
        move(SCRATCH, x);
        a.simd(SimdOp.PCMPGTD, SCRATCH, y);
        a.simd(SimdOp.POR, t, SCRATCH);
        a.simd(SimdOp.PSHUFD, dst, t, 0xF5);
    }
}
