package dev.isthmus.validate;

import dev.isthmus.binary.Opcode;

import java.util.Arrays;

import static dev.isthmus.binary.Opcode.*;

/**
 * Loads and stores (scalar and SIMD): their signature and their natural alignment, the largest alignment exponent a
 * memory argument may declare ("alignment must not be larger than natural"). Every row needs a memory.
 *
 * <pre>
 *   access width   1 byte  2 bytes  4 bytes  8 bytes  16 bytes
 *   max exponent     0       1        2        3        4
 * </pre>
 */
final class MemoryTyping {
    private MemoryTyping() {}

    private static final int[] NATURAL_ALIGNMENT = new int[Opcode.values().length];

    private record Row(String signature, int alignment, Opcode[] ops) {}

    private static final Row[] ROWS = {
            // scalar loads
            row("i32 -> i32", 2, I32_LOAD),
            row("i32 -> i64", 3, I64_LOAD),
            row("i32 -> f32", 2, F32_LOAD),
            row("i32 -> f64", 3, F64_LOAD),
            row("i32 -> i32", 0, I32_LOAD8_S, I32_LOAD8_U),
            row("i32 -> i32", 1, I32_LOAD16_S, I32_LOAD16_U),
            row("i32 -> i64", 0, I64_LOAD8_S, I64_LOAD8_U),
            row("i32 -> i64", 1, I64_LOAD16_S, I64_LOAD16_U),
            row("i32 -> i64", 2, I64_LOAD32_S, I64_LOAD32_U),
            // scalar stores
            row("i32 i32 ->", 2, I32_STORE),
            row("i32 i64 ->", 3, I64_STORE),
            row("i32 f32 ->", 2, F32_STORE),
            row("i32 f64 ->", 3, F64_STORE),
            row("i32 i32 ->", 0, I32_STORE8),
            row("i32 i32 ->", 1, I32_STORE16),
            row("i32 i64 ->", 0, I64_STORE8),
            row("i32 i64 ->", 1, I64_STORE16),
            row("i32 i64 ->", 2, I64_STORE32),
            // vector loads and stores
            row("i32 -> v128", 4, V128_LOAD),
            row("i32 -> v128", 3, V128_LOAD8X8_S, V128_LOAD8X8_U, V128_LOAD16X4_S, V128_LOAD16X4_U,
                    V128_LOAD32X2_S, V128_LOAD32X2_U),
            row("i32 -> v128", 0, V128_LOAD8_SPLAT),
            row("i32 -> v128", 1, V128_LOAD16_SPLAT),
            row("i32 -> v128", 2, V128_LOAD32_SPLAT, V128_LOAD32_ZERO),
            row("i32 -> v128", 3, V128_LOAD64_SPLAT, V128_LOAD64_ZERO),
            row("i32 v128 ->", 4, V128_STORE),
            // lane accesses (the lane index is checked by SimdTyping.laneCount)
            row("i32 v128 -> v128", 0, V128_LOAD8_LANE),
            row("i32 v128 -> v128", 1, V128_LOAD16_LANE),
            row("i32 v128 -> v128", 2, V128_LOAD32_LANE),
            row("i32 v128 -> v128", 3, V128_LOAD64_LANE),
            row("i32 v128 ->", 0, V128_STORE8_LANE),
            row("i32 v128 ->", 1, V128_STORE16_LANE),
            row("i32 v128 ->", 2, V128_STORE32_LANE),
            row("i32 v128 ->", 3, V128_STORE64_LANE),
    };

    static {
        Arrays.fill(NATURAL_ALIGNMENT, -1);
        for (Row r : ROWS) for (Opcode op : r.ops) NATURAL_ALIGNMENT[op.ordinal()] = r.alignment;
    }

    private static Row row(String signature, int alignment, Opcode... ops) {
        return new Row(signature, alignment, ops);
    }

    static void defineAll(SignatureTable table) {
        for (Row r : ROWS) table.define(r.signature, r.ops);
    }

    /** The natural alignment exponent of a load or store, or -1 when {@code op} does not access memory this way. */
    static int naturalAlignment(Opcode op) {
        return NATURAL_ALIGNMENT[op.ordinal()];
    }
}
