package dev.isthmus.validate;

import static dev.isthmus.binary.Opcode.*;

/**
 * Signatures of the scalar numeric instructions: constants, tests, comparisons, unary and binary arithmetic,
 * conversions, sign extension and saturating truncation (spec section "Numeric Instructions").
 */
final class NumericTyping {
    private NumericTyping() {}

    static void defineAll(SignatureTable t) {
        t.define("-> i32", I32_CONST);
        t.define("-> i64", I64_CONST);
        t.define("-> f32", F32_CONST);
        t.define("-> f64", F64_CONST);

        // i32
        t.define("i32 -> i32", I32_EQZ, I32_CLZ, I32_CTZ, I32_POPCNT, I32_EXTEND8_S, I32_EXTEND16_S);
        t.define("i32 i32 -> i32",
                I32_EQ, I32_NE, I32_LT_S, I32_LT_U, I32_GT_S, I32_GT_U, I32_LE_S, I32_LE_U, I32_GE_S, I32_GE_U,
                I32_ADD, I32_SUB, I32_MUL, I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U,
                I32_AND, I32_OR, I32_XOR, I32_SHL, I32_SHR_S, I32_SHR_U, I32_ROTL, I32_ROTR);

        // i64
        t.define("i64 -> i32", I64_EQZ);
        t.define("i64 -> i64", I64_CLZ, I64_CTZ, I64_POPCNT, I64_EXTEND8_S, I64_EXTEND16_S, I64_EXTEND32_S);
        t.define("i64 i64 -> i32",
                I64_EQ, I64_NE, I64_LT_S, I64_LT_U, I64_GT_S, I64_GT_U, I64_LE_S, I64_LE_U, I64_GE_S, I64_GE_U);
        t.define("i64 i64 -> i64",
                I64_ADD, I64_SUB, I64_MUL, I64_DIV_S, I64_DIV_U, I64_REM_S, I64_REM_U,
                I64_AND, I64_OR, I64_XOR, I64_SHL, I64_SHR_S, I64_SHR_U, I64_ROTL, I64_ROTR);

        // f32
        t.define("f32 -> f32", F32_ABS, F32_NEG, F32_CEIL, F32_FLOOR, F32_TRUNC, F32_NEAREST, F32_SQRT);
        t.define("f32 f32 -> f32", F32_ADD, F32_SUB, F32_MUL, F32_DIV, F32_MIN, F32_MAX, F32_COPYSIGN);
        t.define("f32 f32 -> i32", F32_EQ, F32_NE, F32_LT, F32_GT, F32_LE, F32_GE);

        // f64
        t.define("f64 -> f64", F64_ABS, F64_NEG, F64_CEIL, F64_FLOOR, F64_TRUNC, F64_NEAREST, F64_SQRT);
        t.define("f64 f64 -> f64", F64_ADD, F64_SUB, F64_MUL, F64_DIV, F64_MIN, F64_MAX, F64_COPYSIGN);
        t.define("f64 f64 -> i32", F64_EQ, F64_NE, F64_LT, F64_GT, F64_LE, F64_GE);

        // conversions, grouped by operand type
        t.define("i64 -> i32", I32_WRAP_I64);
        t.define("f32 -> i32", I32_TRUNC_F32_S, I32_TRUNC_F32_U, I32_TRUNC_SAT_F32_S, I32_TRUNC_SAT_F32_U,
                I32_REINTERPRET_F32);
        t.define("f64 -> i32", I32_TRUNC_F64_S, I32_TRUNC_F64_U, I32_TRUNC_SAT_F64_S, I32_TRUNC_SAT_F64_U);
        t.define("i32 -> i64", I64_EXTEND_I32_S, I64_EXTEND_I32_U);
        t.define("f32 -> i64", I64_TRUNC_F32_S, I64_TRUNC_F32_U, I64_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F32_U);
        t.define("f64 -> i64", I64_TRUNC_F64_S, I64_TRUNC_F64_U, I64_TRUNC_SAT_F64_S, I64_TRUNC_SAT_F64_U,
                I64_REINTERPRET_F64);
        t.define("i32 -> f32", F32_CONVERT_I32_S, F32_CONVERT_I32_U, F32_REINTERPRET_I32);
        t.define("i64 -> f32", F32_CONVERT_I64_S, F32_CONVERT_I64_U);
        t.define("f64 -> f32", F32_DEMOTE_F64);
        t.define("i32 -> f64", F64_CONVERT_I32_S, F64_CONVERT_I32_U);
        t.define("i64 -> f64", F64_CONVERT_I64_S, F64_CONVERT_I64_U, F64_REINTERPRET_I64);
        t.define("f32 -> f64", F64_PROMOTE_F32);
    }
}
