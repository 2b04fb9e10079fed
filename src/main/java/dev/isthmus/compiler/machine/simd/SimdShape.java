package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ValType;
import dev.isthmus.validate.InstructionSignatures;

import java.util.List;

/**
 * What a tier must provide for one SIMD instruction: its operand and result types (from the validator's table; for
 * memory instructions the i32 address comes first and is not a register operand of {@link SimdOperands}) and how
 * many temporaries its sequence needs. The temporaries depend on the CPU features (AVX sequences often need fewer).
 *
 * @param params   operand types, wasm order
 * @param result   result type, or null
 * @param xmmTemps xmm temporaries the sequence needs
 * @param gprTemps general-purpose temporaries the sequence needs
 * @param memory   whether the instruction accesses memory ({@link SimdOperands#address()})
 * @param accessBytes bytes the memory access touches (for explicit bounds checks), or 0
 */
public record SimdShape(List<ValType> params, ValType result, int xmmTemps, int gprTemps, boolean memory,
                        int accessBytes) {

    /** The shape of {@code op} (a SIMD instruction) for a CPU with or without AVX. */
    public static SimdShape of(Opcode op, boolean avx) {
        List<ValType> params = InstructionSignatures.params(op);
        List<ValType> results = InstructionSignatures.results(op);
        ValType result = results.isEmpty() ? null : results.get(0);
        int bytes = SimdMemoryOps.accessBytes(op);
        int[] temps = SimdLowering.temps(op, avx);
        return new SimdShape(params, result, temps[0], temps[1], bytes > 0, bytes);
    }
}
