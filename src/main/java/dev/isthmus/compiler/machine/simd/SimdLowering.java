package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import java.util.List;

/**
 * The one entry point of the SIMD lowering (see the package documentation for the operand contract): both tiers
 * call {@link #emit} for every SIMD instruction, and use {@link #move}, {@link #load} and {@link #store} to move
 * v128 values between registers and frame slots.
 */
public final class SimdLowering {
    /** Families without an assembler, for the static queries (they hold no state but the AVX flag). */
    private static final List<SimdFamily> QUERY_SSE = families(null, false);
    private static final List<SimdFamily> QUERY_AVX = families(null, true);

    private final Assembler a;
    private final boolean avx;
    private final List<SimdFamily> families;

    public SimdLowering(Assembler a, CpuFeatures cpu) {
        this.a = a;
        this.avx = cpu.avx();
        this.families = families(a, avx);
    }

    private static List<SimdFamily> families(Assembler a, boolean avx) {
        return List.of(new SimdIntegerOps(a, avx), new SimdFloatOps(a, avx), new SimdLaneOps(a, avx),
                new SimdMemoryOps(a, avx), new SimdRelaxedOps(a, avx));
    }

    /** {xmm temporaries, gpr temporaries} of {@code op} (see {@link SimdShape}). */
    static int[] temps(Opcode op, boolean avx) {
        return family(avx ? QUERY_AVX : QUERY_SSE, op).temps(op);
    }

    /** Whether {@code op} has a lowering (a SIMD instruction the compiler still lacks answers false). */
    public static boolean isLowered(Opcode op) {
        for (SimdFamily f : QUERY_SSE) if (f.handles(op)) return true;
        return false;
    }

    /**
     * Whether {@code op}'s sequence reads the register of source {@code source} (wasm order, without a memory
     * instruction's address) when the tier knows the {@code constants} (one per source, as
     * {@link SimdOperands#constants()}). A tier may leave a source that is not read out of registers (null in
     * {@link SimdOperands#sources()}); a {@code v128.const} no instruction reads then needs no code at all.
     */
    public static boolean readsRegister(Opcode op, int source, Object[] constants) {
        return family(QUERY_SSE, op).readsRegister(op, source, constants);
    }

    /** Emits {@code op} with operands {@code o} (shaped as {@link SimdShape#of} says). */
    public void emit(Opcode op, SimdOperands o) {
        family(families, op).emit(op, o);
    }

    private static SimdFamily family(List<SimdFamily> families, Opcode op) {
        for (SimdFamily f : families) if (f.handles(op)) return f;
        throw new UnimplementedFeatureException("SIMD instruction " + op.text());
    }

    /** {@code dst = src} (v128). */
    public void move(Xmm dst, Xmm src) {
        if (dst == src) return;
        if (avx) a.vex(SimdOp.MOVDQA, dst, src);
        else a.simd(SimdOp.MOVDQA, dst, src);
    }

    /** Loads a v128 from {@code m} (any alignment: frame slots and cells are only 8-byte aligned). */
    public void load(Xmm dst, Mem m) {
        if (avx) a.vex(SimdOp.MOVDQU, dst, m);
        else a.simd(SimdOp.MOVDQU, dst, m);
    }

    /** Stores a v128 to {@code m} (any alignment). */
    public void store(Mem m, Xmm src) {
        if (avx) a.vex(SimdOp.MOVDQU_ST, m, src);
        else a.simd(SimdOp.MOVDQU_ST, m, src);
    }
}
