package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;

/** Loads and stores of v128 values, lanes, splats and extends (the tier supplies the address). */
final class SimdMemoryOps extends SimdFamily {
    SimdMemoryOps(Assembler a, boolean avx) {
        super(a, avx);
    }

    /** The bytes a memory instruction touches (16 for v128.load, 8 for load8x8_s, 1 for load8_lane, ...), else 0. */
    static int accessBytes(Opcode op) {
        return 0;
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
