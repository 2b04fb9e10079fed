package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.x64.Assembler;

/** The relaxed SIMD instructions of Wasm 3.0 (results inside the spec's sets, fixed per engine configuration). */
final class SimdRelaxedOps extends SimdFamily {
    SimdRelaxedOps(Assembler a, boolean avx) {
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
