package dev.isthmus.compiler.optimizing.ir;

import dev.isthmus.binary.Immediate;
import dev.isthmus.binary.Opcode;

import java.util.HexFormat;

/**
 * What a {@link IrOp#SIMD}, {@link IrOp#SIMD_LOAD} or {@link IrOp#SIMD_STORE} instruction is beyond its operands:
 * the wasm opcode and its immediates (the same for every SIMD instruction, so the tier needs no code per opcode).
 *
 * @param op    the SIMD opcode
 * @param lane  the lane index immediate, or 0
 * @param bytes the 16 immediate bytes of {@code v128.const} and {@code i8x16.shuffle}, or null
 */
public record SimdInfo(Opcode op, int lane, byte[] bytes) {
    /** The opcode's text name with its immediates ({@code i32x4.extract_lane 2}, {@code v128.const 0x00..}). */
    public String text() {
        StringBuilder s = new StringBuilder(op.text());
        Immediate k = op.immediate();
        if (k == Immediate.LANE || k == Immediate.MEMARG_LANE) s.append(" lane ").append(lane);
        if (bytes != null) s.append(" 0x").append(HexFormat.of().formatHex(bytes));
        return s.toString();
    }
}
