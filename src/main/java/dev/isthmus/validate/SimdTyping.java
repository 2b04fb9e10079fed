package dev.isthmus.validate;

import dev.isthmus.binary.Opcode;

import static dev.isthmus.binary.Opcode.*;

/**
 * Signatures of the SIMD instructions that do not touch memory (those are in {@link MemoryTyping}), and the lane
 * count that bounds each lane index immediate ("invalid lane index").
 */
final class SimdTyping {
    private SimdTyping() {}

    private static final int[] LANE_COUNT = new int[Opcode.values().length];

    static {
        lanes(16, I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U, I8X16_REPLACE_LANE, V128_LOAD8_LANE, V128_STORE8_LANE);
        lanes(8, I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_U, I16X8_REPLACE_LANE, V128_LOAD16_LANE, V128_STORE16_LANE);
        lanes(4, I32X4_EXTRACT_LANE, I32X4_REPLACE_LANE, F32X4_EXTRACT_LANE, F32X4_REPLACE_LANE,
                V128_LOAD32_LANE, V128_STORE32_LANE);
        lanes(2, I64X2_EXTRACT_LANE, I64X2_REPLACE_LANE, F64X2_EXTRACT_LANE, F64X2_REPLACE_LANE,
                V128_LOAD64_LANE, V128_STORE64_LANE);
        // i8x16.shuffle picks each of its 16 result bytes from the 32 bytes of its two operands
        lanes(32, I8X16_SHUFFLE);
    }

    private static void lanes(int count, Opcode... ops) {
        for (Opcode op : ops) LANE_COUNT[op.ordinal()] = count;
    }

    /** How many lanes a lane index of {@code op} may address (indices run 0 .. count-1), or 0 without lane index. */
    static int laneCount(Opcode op) {
        return LANE_COUNT[op.ordinal()];
    }

    static void defineAll(SignatureTable t) {
        t.define("-> v128", V128_CONST);

        // construction and lane access
        t.define("i32 -> v128", I8X16_SPLAT, I16X8_SPLAT, I32X4_SPLAT);
        t.define("i64 -> v128", I64X2_SPLAT);
        t.define("f32 -> v128", F32X4_SPLAT);
        t.define("f64 -> v128", F64X2_SPLAT);
        t.define("v128 -> i32", I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U, I16X8_EXTRACT_LANE_S,
                I16X8_EXTRACT_LANE_U, I32X4_EXTRACT_LANE);
        t.define("v128 -> i64", I64X2_EXTRACT_LANE);
        t.define("v128 -> f32", F32X4_EXTRACT_LANE);
        t.define("v128 -> f64", F64X2_EXTRACT_LANE);
        t.define("v128 i32 -> v128", I8X16_REPLACE_LANE, I16X8_REPLACE_LANE, I32X4_REPLACE_LANE);
        t.define("v128 i64 -> v128", I64X2_REPLACE_LANE);
        t.define("v128 f32 -> v128", F32X4_REPLACE_LANE);
        t.define("v128 f64 -> v128", F64X2_REPLACE_LANE);
        t.define("v128 v128 -> v128", I8X16_SHUFFLE, I8X16_SWIZZLE);

        // bitwise
        t.define("v128 -> v128", V128_NOT);
        t.define("v128 v128 -> v128", V128_AND, V128_ANDNOT, V128_OR, V128_XOR);
        t.define("v128 v128 v128 -> v128", V128_BITSELECT);

        // tests and masks
        t.define("v128 -> i32", V128_ANY_TRUE, I8X16_ALL_TRUE, I8X16_BITMASK, I16X8_ALL_TRUE, I16X8_BITMASK,
                I32X4_ALL_TRUE, I32X4_BITMASK, I64X2_ALL_TRUE, I64X2_BITMASK);

        // comparisons
        t.define("v128 v128 -> v128",
                I8X16_EQ, I8X16_NE, I8X16_LT_S, I8X16_LT_U, I8X16_GT_S, I8X16_GT_U, I8X16_LE_S, I8X16_LE_U,
                I8X16_GE_S, I8X16_GE_U,
                I16X8_EQ, I16X8_NE, I16X8_LT_S, I16X8_LT_U, I16X8_GT_S, I16X8_GT_U, I16X8_LE_S, I16X8_LE_U,
                I16X8_GE_S, I16X8_GE_U,
                I32X4_EQ, I32X4_NE, I32X4_LT_S, I32X4_LT_U, I32X4_GT_S, I32X4_GT_U, I32X4_LE_S, I32X4_LE_U,
                I32X4_GE_S, I32X4_GE_U,
                I64X2_EQ, I64X2_NE, I64X2_LT_S, I64X2_GT_S, I64X2_LE_S, I64X2_GE_S,
                F32X4_EQ, F32X4_NE, F32X4_LT, F32X4_GT, F32X4_LE, F32X4_GE,
                F64X2_EQ, F64X2_NE, F64X2_LT, F64X2_GT, F64X2_LE, F64X2_GE);

        // shifts: the shift count is a scalar
        t.define("v128 i32 -> v128", I8X16_SHL, I8X16_SHR_S, I8X16_SHR_U, I16X8_SHL, I16X8_SHR_S, I16X8_SHR_U,
                I32X4_SHL, I32X4_SHR_S, I32X4_SHR_U, I64X2_SHL, I64X2_SHR_S, I64X2_SHR_U);

        // lane-wise unary
        t.define("v128 -> v128",
                I8X16_ABS, I8X16_NEG, I8X16_POPCNT, I16X8_ABS, I16X8_NEG, I32X4_ABS, I32X4_NEG, I64X2_ABS, I64X2_NEG,
                F32X4_ABS, F32X4_NEG, F32X4_SQRT, F32X4_CEIL, F32X4_FLOOR, F32X4_TRUNC, F32X4_NEAREST,
                F64X2_ABS, F64X2_NEG, F64X2_SQRT, F64X2_CEIL, F64X2_FLOOR, F64X2_TRUNC, F64X2_NEAREST);

        // lane-wise binary arithmetic
        t.define("v128 v128 -> v128",
                I8X16_ADD, I8X16_ADD_SAT_S, I8X16_ADD_SAT_U, I8X16_SUB, I8X16_SUB_SAT_S, I8X16_SUB_SAT_U,
                I8X16_MIN_S, I8X16_MIN_U, I8X16_MAX_S, I8X16_MAX_U, I8X16_AVGR_U,
                I16X8_ADD, I16X8_ADD_SAT_S, I16X8_ADD_SAT_U, I16X8_SUB, I16X8_SUB_SAT_S, I16X8_SUB_SAT_U,
                I16X8_MUL, I16X8_MIN_S, I16X8_MIN_U, I16X8_MAX_S, I16X8_MAX_U, I16X8_AVGR_U, I16X8_Q15MULR_SAT_S,
                I32X4_ADD, I32X4_SUB, I32X4_MUL, I32X4_MIN_S, I32X4_MIN_U, I32X4_MAX_S, I32X4_MAX_U,
                I32X4_DOT_I16X8_S,
                I64X2_ADD, I64X2_SUB, I64X2_MUL,
                F32X4_ADD, F32X4_SUB, F32X4_MUL, F32X4_DIV, F32X4_MIN, F32X4_MAX, F32X4_PMIN, F32X4_PMAX,
                F64X2_ADD, F64X2_SUB, F64X2_MUL, F64X2_DIV, F64X2_MIN, F64X2_MAX, F64X2_PMIN, F64X2_PMAX);

        // narrowing and extending multiplication: two operands
        t.define("v128 v128 -> v128",
                I8X16_NARROW_I16X8_S, I8X16_NARROW_I16X8_U, I16X8_NARROW_I32X4_S, I16X8_NARROW_I32X4_U,
                I16X8_EXTMUL_LOW_I8X16_S, I16X8_EXTMUL_HIGH_I8X16_S, I16X8_EXTMUL_LOW_I8X16_U,
                I16X8_EXTMUL_HIGH_I8X16_U,
                I32X4_EXTMUL_LOW_I16X8_S, I32X4_EXTMUL_HIGH_I16X8_S, I32X4_EXTMUL_LOW_I16X8_U,
                I32X4_EXTMUL_HIGH_I16X8_U,
                I64X2_EXTMUL_LOW_I32X4_S, I64X2_EXTMUL_HIGH_I32X4_S, I64X2_EXTMUL_LOW_I32X4_U,
                I64X2_EXTMUL_HIGH_I32X4_U);

        // widening, pairwise addition and conversions: one operand
        t.define("v128 -> v128",
                I16X8_EXTEND_LOW_I8X16_S, I16X8_EXTEND_HIGH_I8X16_S, I16X8_EXTEND_LOW_I8X16_U,
                I16X8_EXTEND_HIGH_I8X16_U,
                I32X4_EXTEND_LOW_I16X8_S, I32X4_EXTEND_HIGH_I16X8_S, I32X4_EXTEND_LOW_I16X8_U,
                I32X4_EXTEND_HIGH_I16X8_U,
                I64X2_EXTEND_LOW_I32X4_S, I64X2_EXTEND_HIGH_I32X4_S, I64X2_EXTEND_LOW_I32X4_U,
                I64X2_EXTEND_HIGH_I32X4_U,
                I16X8_EXTADD_PAIRWISE_I8X16_S, I16X8_EXTADD_PAIRWISE_I8X16_U,
                I32X4_EXTADD_PAIRWISE_I16X8_S, I32X4_EXTADD_PAIRWISE_I16X8_U,
                I32X4_TRUNC_SAT_F32X4_S, I32X4_TRUNC_SAT_F32X4_U, I32X4_TRUNC_SAT_F64X2_S_ZERO,
                I32X4_TRUNC_SAT_F64X2_U_ZERO,
                F32X4_CONVERT_I32X4_S, F32X4_CONVERT_I32X4_U, F64X2_CONVERT_LOW_I32X4_S, F64X2_CONVERT_LOW_I32X4_U,
                F32X4_DEMOTE_F64X2_ZERO, F64X2_PROMOTE_LOW_F32X4);

        // relaxed SIMD (Wasm 3.0)
        t.define("v128 v128 -> v128", I8X16_RELAXED_SWIZZLE, F32X4_RELAXED_MIN, F32X4_RELAXED_MAX, F64X2_RELAXED_MIN,
                F64X2_RELAXED_MAX, I16X8_RELAXED_Q15MULR_S, I16X8_RELAXED_DOT_I8X16_I7X16_S);
        t.define("v128 -> v128", I32X4_RELAXED_TRUNC_F32X4_S, I32X4_RELAXED_TRUNC_F32X4_U,
                I32X4_RELAXED_TRUNC_F64X2_S_ZERO, I32X4_RELAXED_TRUNC_F64X2_U_ZERO);
        t.define("v128 v128 v128 -> v128", F32X4_RELAXED_MADD, F32X4_RELAXED_NMADD, F64X2_RELAXED_MADD,
                F64X2_RELAXED_NMADD, I8X16_RELAXED_LANESELECT, I16X8_RELAXED_LANESELECT, I32X4_RELAXED_LANESELECT,
                I64X2_RELAXED_LANESELECT, I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S);
    }
}
