package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.model.ValType;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.NativeCode;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.x64.OperandSize.QWORD;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Runs one SIMD instruction's lowering natively, outside any tier, so each family can be tested against a Java
 * model of the instruction on chosen and random inputs, with and without AVX and with every aliasing the contract
 * allows. The generated function is {@code void f(byte *in, byte *out, byte *memory)}:
 * <pre>
 *   in:  operand k at in + 16k (v128: 16 bytes; f32/f64/i32/i64: the low 4 or 8 bytes)
 *   out: the result (v128: 16 bytes; a scalar: 8 bytes, i32 zero-extended as the contract says)
 *   memory: the address of memory instructions is [rdx + offset]
 * </pre>
 * Operands go to registers chosen by {@link Aliasing}; temporaries get the next free registers.
 */
final class SimdHarness {
    /** Which register the destination takes. */
    enum Aliasing { DISTINCT, DST_IS_FIRST, DST_IS_SECOND, DST_IS_LAST }

    private static final Xmm[] XMMS = {Xmm.XMM3, Xmm.XMM9, Xmm.XMM0, Xmm.XMM14, Xmm.XMM7, Xmm.XMM1, Xmm.XMM12,
            Xmm.XMM2, Xmm.XMM5};
    private static final Gpr[] GPRS = {Gpr.RAX, Gpr.R9, Gpr.RCX, Gpr.R8, Gpr.R10, Gpr.RBX, Gpr.R12};

    private SimdHarness() {}

    /** Host CPU features, without AVX when {@code avx} is false. */
    static CpuFeatures cpu(boolean avx) {
        CpuFeatures host = CpuFeatures.host();
        return avx ? host : host.withoutAvx();
    }

    /**
     * Runs {@code op} on {@code inputs} (one 16-byte array per operand, scalars little-endian in the low bytes) and
     * returns the 16 result bytes (a scalar result in the low 8). For memory instructions {@code memory} is the
     * memory (read and written) and {@code offset} the address's displacement from its start.
     */
    static byte[] run(Opcode op, boolean avx, Aliasing aliasing, int lane, byte[] immBytes, byte[][] inputs,
                      byte[] memory, int offset) throws Throwable {
        SimdShape shape = SimdShape.of(op, avx);
        List<ValType> regParams = shape.memory() ? shape.params().subList(1, shape.params().size()) : shape.params();
        if (regParams.size() != inputs.length) throw new IllegalArgumentException("operand count");
        Assembler a = new Assembler();
        Gpr in = Gpr.RDI, out = Gpr.RSI, mem = Gpr.RDX;
        a.push(Gpr.RBX);
        a.push(Gpr.R12);
        int nextX = 0, nextG = 0;
        List<Register> sources = new ArrayList<>();
        for (int k = 0; k < regParams.size(); k++) {
            ValType t = regParams.get(k);
            Mem m = Mem.of(in, 16 * k);
            if (isXmm(t)) {
                Xmm x = XMMS[nextX++];
                a.simd(SimdOp.MOVDQU, x, m);
                sources.add(x);
            } else {
                Gpr g = GPRS[nextG++];
                a.mov(QWORD, g, m);
                sources.add(g);
            }
        }
        Register dst = null;
        if (shape.result() != null) {
            boolean x = isXmm(shape.result());
            int aliasIndex = switch (aliasing) {
                case DISTINCT -> -1;
                case DST_IS_FIRST -> 0;
                case DST_IS_SECOND -> 1;
                case DST_IS_LAST -> sources.size() - 1;
            };
            if (aliasIndex >= 0 && aliasIndex < sources.size() && isXmm(regParams.get(aliasIndex)) == x) {
                dst = sources.get(aliasIndex);
            } else {
                dst = x ? XMMS[nextX++] : GPRS[nextG++];
            }
        }
        List<Xmm> xt = new ArrayList<>();
        for (int i = 0; i < shape.xmmTemps(); i++) xt.add(XMMS[nextX++]);
        List<Gpr> gt = new ArrayList<>();
        for (int i = 0; i < shape.gprTemps(); i++) gt.add(GPRS[nextG++]);
        // poison the scratch registers, the destination and temporaries
        a.movabs(Gpr.R11, 0x5A5A5A5A5A5A5A5AL);
        a.movGprToXmm(QWORD, Xmm.XMM15, Gpr.R11);
        if (dst instanceof Xmm x && !sources.contains(x)) a.movGprToXmm(QWORD, x, Gpr.R11);
        if (dst instanceof Gpr g && !sources.contains(g)) a.mov(QWORD, g, Gpr.R11);
        for (Xmm x : xt) a.simd(SimdOp.PCMPEQD, x, x);
        for (Gpr g : gt) a.mov(QWORD, g, -1L);
        Mem address = shape.memory() ? Mem.of(mem, offset) : null;
        new SimdLowering(a, cpu(avx)).emit(op, new SimdOperands(dst, sources, xt, gt, lane, immBytes, address));
        if (dst instanceof Xmm x) a.simd(SimdOp.MOVDQU_ST, Mem.of(out, 0), x);
        else if (dst instanceof Gpr g) a.mov(QWORD, Mem.of(out, 0), g);
        a.pop(Gpr.R12);
        a.pop(Gpr.RBX);
        a.ret();
        byte[] code = a.finish();
        try (NativeCode native_ = NativeCode.load(code); Arena arena = Arena.ofConfined()) {
            MethodHandle f = native_.function(0, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
            MemorySegment inSeg = arena.allocate(16L * Math.max(1, inputs.length), 16);
            for (int k = 0; k < inputs.length; k++) {
                MemorySegment.copy(MemorySegment.ofArray(inputs[k]), 0, inSeg, 16L * k, inputs[k].length);
            }
            MemorySegment outSeg = arena.allocate(16, 16);
            MemorySegment memSeg = arena.allocate(Math.max(16, memory == null ? 16 : memory.length), 16);
            if (memory != null) MemorySegment.copy(MemorySegment.ofArray(memory), 0, memSeg, 0, memory.length);
            f.invokeExact(inSeg, outSeg, memSeg);
            if (memory != null) MemorySegment.copy(memSeg, 0, MemorySegment.ofArray(memory), 0, memory.length);
            return outSeg.toArray(JAVA_BYTE);
        }
    }

    /** {@link #run} for an instruction without memory access. */
    static byte[] run(Opcode op, boolean avx, Aliasing aliasing, int lane, byte[] immBytes, byte[]... inputs)
            throws Throwable {
        return run(op, avx, aliasing, lane, immBytes, inputs, null, 0);
    }

    private static boolean isXmm(ValType t) {
        return t == ValType.V128 || t == ValType.F32 || t == ValType.F64;
    }
}
