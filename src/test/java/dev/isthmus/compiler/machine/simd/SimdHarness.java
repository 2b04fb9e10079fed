package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.model.ValType;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
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
import java.util.Arrays;
import java.util.List;

import static dev.isthmus.x64.OperandSize.QWORD;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Runs one SIMD instruction's lowering natively, outside any tier, so each family can be tested against a Java
 * model of the instruction on chosen and random inputs, with and without AVX and with every aliasing the contract
 * allows. The generated function is {@code void f(byte *in, byte *out, byte *memory, long count)}:
 * <pre>
 *   in:  operand k at in + 16k (v128: 16 bytes; f32/f64/i32/i64: the low 4 or 8 bytes)
 *   out: the result (v128: 16 bytes; a scalar: 8 bytes, i32 zero-extended as the contract says), then operand k's
 *        register as the instruction left it at out + 16(k + 1): a source that is not the destination must be
 *        unchanged (checked: the harness throws AssertionError otherwise); then xmm0..14 and the harness's
 *        general-purpose registers, which must be unchanged unless given to the instruction (checked the same way)
 *   memory: the address of memory instructions is [rdx + offset]
 * </pre>
 * Operands go to registers chosen by {@link Aliasing}; temporaries get the next free registers. {@link #runMany}
 * loops over many inputs in one generated function ({@code count} of them, in and out advancing).
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
        if (regParams(shape).size() != inputs.length) throw new IllegalArgumentException("operand count");
        Generated generated = generate(op, avx, aliasing, lane, immBytes, null, offset, false, false);
        try (NativeCode native_ = NativeCode.load(generated.code()); Arena arena = Arena.ofConfined()) {
            MethodHandle f = native_.function(0, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
            MemorySegment inSeg = arena.allocate(16L * Math.max(1, inputs.length), 16);
            for (int k = 0; k < inputs.length; k++) {
                MemorySegment.copy(MemorySegment.ofArray(inputs[k]), 0, inSeg, 16L * k, inputs[k].length);
            }
            MemorySegment outSeg = arena.allocate(outBytes(inputs.length), 16);
            MemorySegment memSeg = arena.allocate(Math.max(16, memory == null ? 16 : memory.length), 16);
            if (memory != null) MemorySegment.copy(MemorySegment.ofArray(memory), 0, memSeg, 0, memory.length);
            f.invokeExact(inSeg, outSeg, memSeg, 1L);
            if (memory != null) MemorySegment.copy(memSeg, 0, MemorySegment.ofArray(memory), 0, memory.length);
            checkSources(op, shape, generated, outSeg, inputs);
            checkBystanders(op, generated, outSeg, inputs.length);
            return outSeg.asSlice(0, 16).toArray(JAVA_BYTE);
        }
    }

    /**
     * Runs {@code op} (without memory access) once per element of {@code inputs} (each: one 16-byte array per
     * operand) in one generated function that loops over them, and returns the results in order: the cheap way to
     * test many inputs.
     */
    static List<byte[]> runMany(Opcode op, boolean avx, Aliasing aliasing, int lane, byte[] immBytes,
                                List<byte[][]> inputs) throws Throwable {
        return runMany(op, avx, aliasing, false, lane, immBytes, inputs);
    }

    /**
     * {@link #runMany}, optionally with the first two operands in one register ({@code sharedSources}: a tier may
     * hand the same register twice, e.g. for {@code local.get $x} twice); their inputs must then be equal, and the
     * first is the one loaded.
     */
    static List<byte[]> runMany(Opcode op, boolean avx, Aliasing aliasing, boolean sharedSources, int lane,
                                byte[] immBytes, List<byte[][]> inputs) throws Throwable {
        return runMany(op, avx, aliasing, sharedSources, lane, immBytes, null, inputs);
    }

    /**
     * {@link #runMany} with {@link SimdOperands#constants()}: operand {@code k} is declared the constant
     * {@code constants[k]} (a {@code Long} for i32/i64, 16 bytes for v128, null when not constant), as a tier does
     * when it knows it; the operand's register still holds it, so every input must agree with it (checked).
     */
    static List<byte[]> runManyWithConstants(Opcode op, boolean avx, Aliasing aliasing, int lane, byte[] immBytes,
                                             Object[] constants, List<byte[][]> inputs) throws Throwable {
        for (byte[][] in : inputs) {
            for (int k = 0; k < constants.length; k++) {
                Object c = constants[k];
                boolean agrees = switch (c) {
                    case null -> true;
                    case Long v -> in[k].length >= 4 && (in[k][0] & 0xFF | (in[k][1] & 0xFF) << 8
                            | (in[k][2] & 0xFF) << 16 | (in[k][3] & 0xFF) << 24) == v.intValue();
                    case byte[] b -> Arrays.equals(Arrays.copyOf(in[k], 16), b);
                    default -> false;
                };
                if (!agrees) throw new IllegalArgumentException("input " + k + " differs from its constant");
            }
        }
        return runMany(op, avx, aliasing, false, lane, immBytes, constants, inputs);
    }

    private static List<byte[]> runMany(Opcode op, boolean avx, Aliasing aliasing, boolean sharedSources, int lane,
                                        byte[] immBytes, Object[] constants, List<byte[][]> inputs) throws Throwable {
        SimdShape shape = SimdShape.of(op, avx);
        if (shape.memory()) throw new IllegalArgumentException("runMany is for instructions without memory access");
        int operands = regParams(shape).size();
        for (byte[][] in : inputs) if (in.length != operands) throw new IllegalArgumentException("operand count");
        List<byte[]> results = new ArrayList<>(inputs.size());
        if (inputs.isEmpty()) return results;
        if (sharedSources) {
            if (operands < 2 || !isXmm(regParams(shape).get(0)) || regParams(shape).get(0) != regParams(shape).get(1)) {
                throw new IllegalArgumentException("shared sources need two operands of one xmm type");
            }
            for (byte[][] in : inputs) {
                if (!Arrays.equals(in[0], in[1])) throw new IllegalArgumentException("shared sources need equal inputs");
            }
        }
        Generated generated = generate(op, avx, aliasing, lane, immBytes, constants, 0, true, sharedSources);
        try (NativeCode native_ = NativeCode.load(generated.code()); Arena arena = Arena.ofConfined()) {
            MethodHandle f = native_.function(0, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
            long stride = 16L * Math.max(1, operands);
            MemorySegment inSeg = arena.allocate(stride * inputs.size(), 16);
            for (int i = 0; i < inputs.size(); i++) {
                byte[][] in = inputs.get(i);
                for (int k = 0; k < operands; k++) {
                    MemorySegment.copy(MemorySegment.ofArray(in[k]), 0, inSeg, stride * i + 16L * k, in[k].length);
                }
            }
            long outStride = outBytes(operands);
            MemorySegment outSeg = arena.allocate(outStride * inputs.size(), 16);
            MemorySegment memSeg = arena.allocate(16, 16);
            f.invokeExact(inSeg, outSeg, memSeg, (long) inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                MemorySegment slot = outSeg.asSlice(outStride * i, outStride);
                checkSources(op, shape, generated, slot, inputs.get(i));
                checkBystanders(op, generated, slot, operands);
                results.add(slot.asSlice(0, 16).toArray(JAVA_BYTE));
            }
            return results;
        }
    }

    /** Fails when a source register that is not the destination changed (stored after each source's result). */
    private static void checkSources(Opcode op, SimdShape shape, Generated generated, MemorySegment out,
                                     byte[][] inputs) {
        List<ValType> params = regParams(shape);
        for (int k = 0; k < inputs.length; k++) {
            byte[] after = out.asSlice(16L * (1 + k), 16).toArray(JAVA_BYTE);
            if (generated.sourceIsDst()[k]) continue;
            int bytes = isXmm(params.get(k)) ? 16 : 8;
            byte[] before = Arrays.copyOf(inputs[k], 16);
            if (!Arrays.equals(Arrays.copyOf(before, bytes), Arrays.copyOf(after, bytes))) {
                throw new AssertionError(op.text() + ": source " + k + " was written (it is not the destination)");
            }
        }
    }

    /**
     * Fails when a register the instruction was not given (neither operand, destination, temporary nor scratch)
     * changed: every other xmm register and the harness's other general-purpose registers hold a poison value
     * ({@link #bystanderXmm}, {@link #bystanderGpr}) before the instruction and are stored after it.
     */
    private static void checkBystanders(Opcode op, Generated generated, MemorySegment out, int operands) {
        long base = 16L * (1 + operands);
        for (int i = 0; i < 15; i++) {
            if (!generated.xmmBystander()[i]) continue;
            MemorySegment slot = out.asSlice(base + 16L * i, 16);
            if (slot.get(JAVA_LONG, 0) != bystanderXmm(i) || slot.get(JAVA_LONG, 8) != ~bystanderXmm(i)) {
                throw new AssertionError(op.text() + ": wrote " + Xmm.values()[i] + ", which it was not given");
            }
        }
        for (int j = 0; j < GPRS.length; j++) {
            if (!generated.gprBystander()[j]) continue;
            if (out.get(JAVA_LONG, base + 16L * 15 + 8L * j) != bystanderGpr(j)) {
                throw new AssertionError(op.text() + ": wrote " + GPRS[j] + ", which it was not given");
            }
        }
    }

    private static long bystanderXmm(int i) {
        return 0xC0DE_0000_0000_0000L | 0x0101L * i;
    }

    private static long bystanderGpr(int j) {
        return 0xBEEF_0000_0000_0000L | 0x0101L * j;
    }

    /** The bytes one run writes to {@code out}: result, sources, xmm0..14, the harness's general-purpose registers. */
    private static long outBytes(int operands) {
        return 16L * (1 + operands) + 16L * 15 + 8L * GPRS.length;
    }

    /**
     * The generated function, which operands are in the destination register, and which registers are bystanders
     * (not given to the instruction: xmm by number, general-purpose by index in {@link #GPRS}).
     */
    private record Generated(byte[] code, boolean[] sourceIsDst, boolean[] xmmBystander, boolean[] gprBystander) {
    }

    private static List<ValType> regParams(SimdShape shape) {
        return shape.memory() ? shape.params().subList(1, shape.params().size()) : shape.params();
    }

    /**
     * {@code void f(byte *in, byte *out, byte *memory, long count)}: {@code count} times (at least once), the
     * operands from {@code in}, the instruction, the result to {@code out} followed by every source register as it
     * is afterwards (16 bytes each, for {@link #checkSources}); then {@code in} and {@code out} advance (when
     * {@code loop}).
     */
    private static Generated generate(Opcode op, boolean avx, Aliasing aliasing, int lane, byte[] immBytes,
                                      Object[] constants, int offset, boolean loop, boolean sharedSources) {
        SimdShape shape = SimdShape.of(op, avx);
        List<ValType> regParams = regParams(shape);
        Assembler a = new Assembler();
        Gpr in = Gpr.RDI, out = Gpr.RSI, mem = Gpr.RDX, counter = Gpr.R13;
        a.push(Gpr.RBX);
        a.push(Gpr.R12);
        a.push(Gpr.R13);
        a.mov(QWORD, counter, Gpr.RCX);
        Label top = a.newLabel();
        a.bind(top);
        int nextX = 0, nextG = 0;
        List<Register> sources = new ArrayList<>();
        for (int k = 0; k < regParams.size(); k++) {
            ValType t = regParams.get(k);
            Mem m = Mem.of(in, 16 * k);
            if (k == 1 && sharedSources) {
                sources.add(sources.get(0));
            } else if (isXmm(t)) {
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
        boolean[] xmmBystander = new boolean[15];
        for (int i = 0; i < 15; i++) {
            Xmm x = Xmm.values()[i];
            xmmBystander[i] = !sources.contains(x) && x != dst && !xt.contains(x);
            if (xmmBystander[i]) {
                a.simd(SimdOp.MOVDQU, x, Mem.rip(a.constant128(bystanderXmm(i), ~bystanderXmm(i))));
            }
        }
        boolean[] gprBystander = new boolean[GPRS.length];
        for (int j = 0; j < GPRS.length; j++) {
            Gpr g = GPRS[j];
            gprBystander[j] = !sources.contains(g) && g != dst && !gt.contains(g);
            if (gprBystander[j]) a.movabs(g, bystanderGpr(j));
        }
        Mem address = shape.memory() ? Mem.of(mem, offset) : null;
        // a source the lowering takes from its constant (SimdLowering.readsRegister) is passed as null, as the
        // optimizing tier does: reading it anyway fails here
        List<Register> lowered = new ArrayList<>(sources);
        for (int k = 0; constants != null && k < lowered.size(); k++) {
            if (!SimdLowering.readsRegister(op, k, constants)) lowered.set(k, null);
        }
        new SimdLowering(a, cpu(avx)).emit(op, new SimdOperands(dst, lowered, xt, gt, lane, immBytes, address,
                constants));
        if (dst instanceof Xmm x) a.simd(SimdOp.MOVDQU_ST, Mem.of(out, 0), x);
        else if (dst instanceof Gpr g) a.mov(QWORD, Mem.of(out, 0), g);
        // the sources after the instruction (the contract: never written unless they are the destination)
        boolean[] sourceIsDst = new boolean[sources.size()];
        for (int k = 0; k < sources.size(); k++) {
            Mem m = Mem.of(out, 16 * (1 + k));
            sourceIsDst[k] = sources.get(k) == dst;
            if (sources.get(k) instanceof Xmm x) a.simd(SimdOp.MOVDQU_ST, m, x);
            else if (sources.get(k) instanceof Gpr g) a.mov(QWORD, m, g);
        }
        int bystanders = 16 * (1 + sources.size());
        for (int i = 0; i < 15; i++) a.simd(SimdOp.MOVDQU_ST, Mem.of(out, bystanders + 16 * i), Xmm.values()[i]);
        for (int j = 0; j < GPRS.length; j++) a.mov(QWORD, Mem.of(out, bystanders + 16 * 15 + 8 * j), GPRS[j]);
        if (loop) {
            a.add(QWORD, in, 16 * Math.max(1, regParams.size()));
            a.add(QWORD, out, (int) outBytes(regParams.size()));
            a.dec(QWORD, counter);
            a.jcc(Cond.NE, top);
        }
        a.pop(Gpr.R13);
        a.pop(Gpr.R12);
        a.pop(Gpr.RBX);
        a.ret();
        return new Generated(a.finish(), sourceIsDst, xmmBystander, gprBystander);
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
