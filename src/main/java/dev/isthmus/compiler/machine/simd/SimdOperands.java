package dev.isthmus.compiler.machine.simd;

import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.Xmm;

import java.util.List;

/**
 * The registers (and immediates) of one SIMD instruction as a tier hands them to {@link SimdLowering}.
 *
 * @param dst       the result register ({@link Xmm} for v128/f32/f64, {@link Gpr} for i32/i64), or null without
 *                  result (stores)
 * @param sources   the operands in wasm order (bottom of the stack first), the same classes; for memory
 *                  instructions the address operand is not here (it is {@code address}), only the v128 operand of
 *                  stores and lane loads; null for a source the lowering does not read given the constants
 *                  ({@link SimdLowering#readsRegister})
 * @param xmmTemps  {@link SimdShape#xmmTemps()} temporaries
 * @param gprTemps  {@link SimdShape#gprTemps()} temporaries
 * @param lane      the lane index immediate, or 0
 * @param bytes     the 16 immediate bytes of {@code v128.const} and {@code i8x16.shuffle}, or null
 * @param address   the effective address of a memory instruction (already bounds-checked or guarded), or null
 * @param constants what the tier knows of each source's value, parallel to {@code sources}: a {@link Long} for an
 *                  i32/i64 constant (only its low 32 bits count for an i32), the 16 bytes of a v128 constant, null
 *                  when not known (null for the array: nothing known). Optional knowledge: the source's register
 *                  holds the value all the same, and a lowering may ignore it; the lowerings use it for immediate
 *                  shift counts, shuffles with an all-zero operand and swizzles with a constant index vector
 */
public record SimdOperands(Register dst, List<Register> sources, List<Xmm> xmmTemps, List<Gpr> gprTemps, int lane,
                           byte[] bytes, Mem address, Object[] constants) {
    public SimdOperands {
        sources = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(sources));
        xmmTemps = List.copyOf(xmmTemps);
        gprTemps = List.copyOf(gprTemps);
        constants = constants == null ? new Object[sources.size()] : constants.clone();
        if (constants.length != sources.size()) throw new IllegalArgumentException("one constant per source");
        for (Object c : constants) {
            if (c != null && !(c instanceof Long) && !(c instanceof byte[] b && b.length == 16)) {
                throw new IllegalArgumentException("a constant is a Long or 16 bytes: " + c);
            }
        }
        for (int i = 0; i < constants.length; i++) if (constants[i] instanceof byte[] b) constants[i] = b.clone();
    }

    /** Operands without known constants. */
    public SimdOperands(Register dst, List<Register> sources, List<Xmm> xmmTemps, List<Gpr> gprTemps, int lane,
                        byte[] bytes, Mem address) {
        this(dst, sources, xmmTemps, gprTemps, lane, bytes, address, null);
    }

    /** A copy of the constants (one per source, null when unknown). */
    @Override
    public Object[] constants() {
        return constants.clone();
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

    /** The value of i32/i64 source {@code i} when the tier knows it, else null. */
    public Long constant(int i) {
        return constants[i] instanceof Long v ? v : null;
    }

    /** The 16 bytes of v128 source {@code i} when the tier knows them, else null. */
    public byte[] vectorConstant(int i) {
        return constants[i] instanceof byte[] b ? b.clone() : null;
    }

    /** Whether v128 source {@code i} is known to be all zeros. */
    public boolean isZero(int i) {
        if (!(constants[i] instanceof byte[] b)) return false;
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
