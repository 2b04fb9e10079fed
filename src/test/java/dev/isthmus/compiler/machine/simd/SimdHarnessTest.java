package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The harness itself: an instruction without lowering is refused with the instruction's name. */
class SimdHarnessTest {
    @Test
    void unloweredInstructionIsRefused() {
        if (SimdLowering.isLowered(Opcode.V128_NOT)) return;
        assertThrows(UnimplementedFeatureException.class, () -> SimdHarness.run(Opcode.V128_NOT, false,
                SimdHarness.Aliasing.DISTINCT, 0, null, new byte[16]));
    }
}
