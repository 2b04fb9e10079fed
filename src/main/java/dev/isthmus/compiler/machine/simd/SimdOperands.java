package dev.isthmus.compiler.machine.simd;

import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.Xmm;

import java.util.List;

/**
 * The registers (and immediates) of one SIMD instruction as a tier hands them to {@link SimdLowering}.
 *
 * @param dst      the result register ({@link Xmm} for v128/f32/f64, {@link Gpr} for i32/i64), or null without
 *                 result (stores)
 * @param sources  the operands in wasm order (bottom of the stack first), the same classes; for memory
 *                 instructions the address operand is not here (it is {@code address}), only the v128 operand of
 *                 stores and lane loads
 * @param xmmTemps {@link SimdShape#xmmTemps()} temporaries
 * @param gprTemps {@link SimdShape#gprTemps()} temporaries
 * @param lane     the lane index immediate, or 0
 * @param bytes    the 16 immediate bytes of {@code v128.const} and {@code i8x16.shuffle}, or null
 * @param address  the effective address of a memory instruction (already bounds-checked or guarded), or null
 */
public record SimdOperands(Register dst, List<Register> sources, List<Xmm> xmmTemps, List<Gpr> gprTemps, int lane,
                           byte[] bytes, Mem address) {
    public SimdOperands {
        sources = List.copyOf(sources);
        xmmTemps = List.copyOf(xmmTemps);
        gprTemps = List.copyOf(gprTemps);
    }

    /** Source {@code i} as an xmm register. */
    public Xmm x(int i) {
        return (Xmm) sources.get(i);
    }

    /** Source {@code i} as a general-purpose register. */
    public Gpr g(int i) {
        return (Gpr) sources.get(i);
    }

    /** The destination as an xmm register. */
    public Xmm xd() {
        return (Xmm) dst;
    }

    /** The destination as a general-purpose register. */
    public Gpr gd() {
        return (Gpr) dst;
    }
}
