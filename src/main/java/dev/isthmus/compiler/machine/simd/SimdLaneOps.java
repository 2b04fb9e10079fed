package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;

/** Constants, splats, lane extract/replace, shuffles and swizzle. */
final class SimdLaneOps extends SimdFamily {
    SimdLaneOps(Assembler a, boolean avx) {
        super(a, avx);
    }

    @Override
    boolean handles(Opcode op) {
        return false;
    }

    @Override
    int[] temps(Opcode op) {
        return NO_TEMPS;
    }

    @Override
    void emit(Opcode op, SimdOperands o) {
        throw new IllegalStateException("not lowered yet: " + op.text());
    }
}
