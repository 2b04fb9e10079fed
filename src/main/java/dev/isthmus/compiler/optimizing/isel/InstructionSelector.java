package dev.isthmus.compiler.optimizing.isel;

import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.machine.sequences.BranchTable;
import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.compiler.optimizing.ir.IrType;
import dev.isthmus.compiler.optimizing.ir.SimdInfo;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.TailCallEffects;
import dev.isthmus.compiler.machine.ValueLocations;
import dev.isthmus.model.ValType;
import dev.isthmus.compiler.machine.simd.SimdLowering;
import dev.isthmus.compiler.machine.simd.SimdShape;
import dev.isthmus.runtime.abi.Memory64Guard;
import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.WasmAbi;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.TypeIds;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.BitOp;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.ShiftOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Selects x86-64 instructions for an SSA function: IR value v lives in virtual register
 * {@code FIRST_VIRTUAL + v}; constants become immediates where the instruction has an immediate form and are
 * materialized next to their use otherwise; a comparison used only by a branch or select is emitted at its user
 * (compare+branch fusion, {@code cmov}); phis become one parallel move at the end of each predecessor; calls,
 * returns, shifts and divisions move their operands to and from the fixed registers of the {@link WasmAbi} and the
 * instructions, so the allocator sees fixed registers only in short ranges.
 */
public final class InstructionSelector {
    private static final int RAX = 0, RCX = 1, RDX = 2, RSI = 6, RDI = 7, R8 = 8, R9 = 9;

    private final IrFunction f;
    private final MachineFunction m = new MachineFunction();
    private final int[] useCount;
    /** Uses that need the value in a register: {@link #useCount} less the SIMD operands lowered from constants. */
    private final int[] registerUses;
    /** Per SIMD instruction, the sources its lowering takes from their constants (bit j: source j), else 0. */
    private final int[] absentSources;
    /** Per value: an instruction using it (the only one when its use count is 1). */
    private final int[] user;
    /** Per call: how many of its results are used through CALL_RESULT (+1), or 0. */
    private final int[] callResults;
    /** Per value: an i32 whose register may have garbage in its upper half (parameters, phis of them). */
    private final boolean[] dirty;
    /** Per value: an i32 parameter zero-extended where it is taken from its register ({@link #dirtyUpperHalves}). */
    private final boolean[] cleanParams;
    /** Whether {@code x & 0xFFFFFFFF} is a zero-extending move ({@link #LOW_HALF_MOVES_PROPERTY}). */
    private final boolean lowHalfMoves = !"false".equals(System.getProperty(LOW_HALF_MOVES_PROPERTY));
    /** Whether an add of a constant to a sum used nowhere else is one {@link MOp#ADD3}. */
    private final boolean threeOperandAdds = !"false".equals(System.getProperty(THREE_OPERAND_ADDS_PROPERTY));
    private List<MInstr> out;
    private IrBlock block;

    private final VmContextLayout vm;
    /** The register holding memory 0's base (loaded on entry), or -1 when the function does not access memory. */
    private int memoryBase = -1;
    /** Per memory k ≥ 1 the function accesses: the register holding its base (loaded on entry); else 0 or null. */
    private int[] otherMemoryBases;

    private final WasmModule module;
    /** Per memory: true for memory64. */
    private final boolean[] memory64;
    /** Per memory: true when every access is checked explicitly (memory64, or any memory in explicit mode). */
    private final boolean[] checked;
    /**
     * The indices checked in the current block ({@link #checkKey}), each with the end (offset + size) its check
     * covered: for memory64 any end within the guard ({@link Long#MAX_VALUE}); for a 32-bit memory the one checked.
     */
    private final java.util.HashMap<Long, Long> checkedIndices = new java.util.HashMap<>();
    /** Per checked memory: the register holding its byte size, loaded on entry (0: read from the vmctx). */
    private int[] memorySizes;

    private final CpuFeatures cpu;

    /** Which callees may return irregularly (tail calls); null until a direct call asks (then computed). */
    private TailCallEffects effects;
    /** Where this function's parameters and results are under the WasmAbi (registers or stack slots). */
    private final ValueLocations paramLocations;
    private final ValueLocations resultLocations;

    private InstructionSelector(IrFunction f, VmContextLayout vm, WasmModule module, CpuFeatures cpu,
                                TailCallEffects effects, boolean explicitBounds) {
        this.module = module;
        this.effects = effects;
        this.paramLocations = ValueLocations.ofParams(valTypes(f.params));
        this.resultLocations = ValueLocations.ofResults(valTypes(f.results));
        this.memory64 = new boolean[module.memoryCount()];
        this.checked = new boolean[module.memoryCount()];
        for (int k = 0; k < memory64.length; k++) {
            memory64[k] = module.memoryType(k).address64();
            checked[k] = memory64[k] || explicitBounds;
        }
        this.cpu = cpu;
        this.f = f;
        this.vm = vm;
        this.useCount = new int[f.valueCount()];
        this.user = new int[f.valueCount()];
        this.callResults = new int[f.valueCount()];
        m.reserve(MachineFunction.FIRST_VIRTUAL + f.valueCount());
        for (int v = 0; v < f.valueCount(); v++) {
            if (f.type(v).isV128()) m.markV128(reg(v));
            else if (f.type(v).isFloat()) m.markFloat(reg(v));
        }
        this.cleanParams = new boolean[f.valueCount()];
        this.dirty = dirtyUpperHalves(f);
        int[] notInRegister = new int[f.valueCount()];
        this.absentSources = new int[f.valueCount()];
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.phiCount(); i++) for (int x : f.args(b.phi(i))) useCount[x]++;
            for (int i = 0; i < b.instructionCount(); i++) {
                int u = b.instruction(i);
                for (int x : f.args(u)) {
                    useCount[x]++;
                    user[x] = u;
                }
                if (isSimd(u)) {
                    Object[] known = simdConstants(u);
                    int first = f.op(u) == IrOp.SIMD ? 0 : 1;
                    for (int j = 0; j < known.length; j++) {
                        if (SimdLowering.readsRegister(f.simd(u).op(), j, known)) continue;
                        absentSources[u] |= 1 << j;
                        notInRegister[f.arg(u, first + j)]++;
                    }
                }
                if (f.op(u) == IrOp.CALL_RESULT) {
                    int c = f.arg(u, 0);
                    callResults[c] = Math.max(callResults[c], (int) f.imm(u) + 1);
                }
            }
        }
        this.registerUses = new int[f.valueCount()];
        for (int v = 0; v < f.valueCount(); v++) registerUses[v] = useCount[v] - notInRegister[v];
    }

    private boolean isSimd(int v) {
        IrOp op = f.op(v);
        return op == IrOp.SIMD || op == IrOp.SIMD_LOAD || op == IrOp.SIMD_STORE;
    }

    /** What the SIMD lowering may know of each register source of SIMD instruction {@code v} (address excluded). */
    private Object[] simdConstants(int v) {
        int first = f.op(v) == IrOp.SIMD ? 0 : 1;
        Object[] constants = new Object[f.args(v).length - first];
        for (int j = 0; j < constants.length; j++) constants[j] = simdConstant(f.arg(v, first + j));
        return constants;
    }

    /**
     * The system property that, set to {@code false} while a module is compiled, zero-extends a dirty i32 index at
     * each memory access again instead of the parameter once (a measurement switch, {@code bench/.../PropertyCost}).
     */
    public static final String CLEAN_PARAMS_PROPERTY = "isthmus.isel.cleanParams";
    /**
     * The system property that, set to {@code false} while a module is compiled, emits {@code x & 0xFFFFFFFF} (i64)
     * as an and with the mask in a register again instead of a zero-extending move, and zero-extends every
     * {@code i64.extend_i32_u} again (a measurement switch).
     */
    public static final String LOW_HALF_MOVES_PROPERTY = "isthmus.isel.lowHalfMoves";
    /**
     * The system property that, set to {@code false} while a module is compiled, emits {@code (x + y) + c} as two
     * instructions again instead of one {@link MOp#ADD3} (a measurement switch).
     */
    public static final String THREE_OPERAND_ADDS_PROPERTY = "isthmus.isel.threeOperandAdds";

    /**
     * i32 parameters arrive with undefined upper halves (WasmAbi) and phis copy whole registers; every other i32 is
     * produced by a 32-bit operation (zero-extended). A memory access needs its i32 index zero-extended, and so does
     * a returned i32: an i32 parameter that reaches such an index (itself or through phis, e.g. a pointer walked by
     * a loop) is zero-extended once where it is taken from its register ({@code cleanParams}), so the loop's accesses
     * use the register as it is instead of copying it through a 32-bit move each time. What stays dirty is the
     * other parameters and the phis of them; returns and bulk operands of those zero-extend explicitly.
     */
    private boolean[] dirtyUpperHalves(IrFunction f) {
        boolean[] d = new boolean[f.valueCount()];
        propagateDirty(f, d, null);
        if ("false".equals(System.getProperty(CLEAN_PARAMS_PROPERTY))) return d;
        // the dirty values used as a memory index, and backwards through phis to the parameters they come from
        boolean[] needed = new boolean[f.valueCount()];
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                IrOp op = f.op(v);
                if ((op == IrOp.LOAD || op == IrOp.STORE || op == IrOp.SIMD_LOAD || op == IrOp.SIMD_STORE)
                        && d[f.arg(v, 0)]) {
                    needed[f.arg(v, 0)] = true;
                }
            }
        }
        untilStable(f, p -> {
            boolean changed = false;
            if (!needed[p]) return false;
            for (int x : f.args(p)) {
                if (d[x] && !needed[x]) {
                    needed[x] = true;
                    changed = true;
                }
            }
            return changed;
        });
        boolean any = false;
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                if (needed[v] && f.op(v) == IrOp.PARAM && register(paramLocations, (int) f.imm(v)) >= 0) {
                    cleanParams[v] = true;
                    any = true;
                }
            }
        }
        if (any) {
            java.util.Arrays.fill(d, false);
            propagateDirty(f, d, cleanParams);
        }
        return d;
    }

    /** Marks in {@code d} the i32 parameters (except those in {@code clean}) and the i32 phis of dirty values. */
    private static void propagateDirty(IrFunction f, boolean[] d, boolean[] clean) {
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                if (f.op(v) == IrOp.PARAM && f.type(v) == IrType.I32 && (clean == null || !clean[v])) d[v] = true;
            }
        }
        untilStable(f, p -> {
            if (d[p] || f.type(p) != IrType.I32) return false;
            for (int x : f.args(p)) {
                if (d[x]) {
                    d[p] = true;
                    return true;
                }
            }
            return false;
        });
    }

    /** Applies {@code step} to every phi of {@code f}, again and again until no call returns true (changed). */
    private static void untilStable(IrFunction f, java.util.function.IntPredicate step) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (IrBlock b : f.blocks()) {
                for (int i = 0; i < b.phiCount(); i++) changed |= step.test(b.phi(i));
            }
        }
    }

    public static MachineFunction select(IrFunction f, VmContextLayout vm, WasmModule module) {
        return select(f, vm, module, CpuFeatures.host());
    }

    /** As {@link #select(IrFunction, VmContextLayout, WasmModule)} for {@code cpu} (SIMD temporaries depend on AVX). */
    public static MachineFunction select(IrFunction f, VmContextLayout vm, WasmModule module, CpuFeatures cpu) {
        return select(f, vm, module, cpu, null);
    }

    /**
     * As {@link #select(IrFunction, VmContextLayout, WasmModule, CpuFeatures)} with the module's
     * {@link TailCallEffects} (null: computed when a direct call needs them).
     */
    public static MachineFunction select(IrFunction f, VmContextLayout vm, WasmModule module, CpuFeatures cpu,
                                         TailCallEffects effects) {
        return select(f, vm, module, cpu, effects, false);
    }

    /**
     * As {@link #select(IrFunction, VmContextLayout, WasmModule, CpuFeatures, TailCallEffects)}; with
     * {@code explicitBounds} every access of a 32-bit memory is checked too (explicit bounds-check mode: no guard
     * region behind the memory), as memory64's always are.
     */
    public static MachineFunction select(IrFunction f, VmContextLayout vm, WasmModule module, CpuFeatures cpu,
                                         TailCallEffects effects, boolean explicitBounds) {
        return new InstructionSelector(f, vm, module, cpu, effects, explicitBounds).run();
    }

    private MachineFunction run() {
        for (IrBlock b : f.blocks()) {
            block = b;
            out = new ArrayList<>();
            m.blocks.add(out);
            m.successors.add(b.successors);
            if (b.id != 0 && b.predCount() == 0) continue;
            if (b.terminator(f) < 0) continue;
            checkedIndices.clear();
            if (b.id == 0 && usesMemory()) {
                memoryBase = m.newRegister();
                emit(MOp.VMLOAD, true, of(memoryBase), of(), vm.memoryBase(), null, -1);
            }
            if (b.id == 0) loadOtherMemoryBases();
            if (b.id == 0) loadMemorySizes();
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                lower(v);
            }
        }
        m.pollingBlocks = f.pollingBlocks();
        m.unpolled = f.unpolled();
        f.clauses().forEach((b, list) -> {
            int[] t = new int[3 * list.size()];
            for (int k = 0; k < list.size(); k++) {
                t[3 * k] = list.get(k).kind();
                t[3 * k + 1] = list.get(k).tag();
                t[3 * k + 2] = list.get(k).landing();
            }
            m.clauses.put(b, t);
        });
        return m;
    }

    private boolean usesMemory() {
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                IrOp op = f.op(b.instruction(i));
                if (op.accessesMemory() && IrOp.memoryIndex(f.imm(b.instruction(i))) == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The register holding the base of memory {@code k} for an access, loaded once on entry like memory 0's (a base
     * never moves): the allocator keeps it in a register, or splits it around its uses and reloads it from its
     * spill slot, which costs what a load from the vmctx would.
     */
    private int memoryBase(int k) {
        return k == 0 ? memoryBase : otherMemoryBases[k];
    }

    /**
     * In a function that cannot change a memory's size while it runs (no call, no memory.grow, no fuel check, whose
     * handler runs embedder code), loads the byte size of every explicitly checked memory it accesses (memory64, or
     * any in explicit mode) once on entry, so the bounds checks compare two registers; otherwise they read the size
     * from the vmctx at each check.
     */
    private void loadMemorySizes() {
        boolean any = false;
        for (boolean b : checked) any |= b;
        if (!any) return;
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                IrOp op = f.op(b.instruction(i));
                if (op == IrOp.CALL || op == IrOp.CALL_INDIRECT || op == IrOp.MEMORY_GROW || op == IrOp.FUEL) return;
            }
        }
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                IrOp op = f.op(v);
                if (!op.accessesMemory()) continue;
                int k = IrOp.memoryIndex(f.imm(v));
                if (!checked[k] || f.inBounds(v)) continue;
                if (memorySizes == null) memorySizes = new int[checked.length];
                if (memorySizes[k] != 0) continue;
                memorySizes[k] = m.newRegister();
                emit(MOp.VMLOAD, true, of(memorySizes[k]), of(), vm.memorySize(k), null, -1);
            }
        }
    }

    /** Loads the base of every memory beyond memory 0 that the function accesses (multiple memories), on entry. */
    private void loadOtherMemoryBases() {
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                IrOp op = f.op(v);
                if (!op.accessesMemory()) continue;
                int k = IrOp.memoryIndex(f.imm(v));
                if (k == 0) continue;
                if (otherMemoryBases == null) otherMemoryBases = new int[module.memoryCount()];
                if (otherMemoryBases[k] != 0) continue;
                otherMemoryBases[k] = m.newRegister();
                emit(MOp.VMLOAD, true, of(otherMemoryBases[k]), of(), vm.memoryBase(k), null, -1);
            }
        }
    }

    /**
     * Before an access of {@code bytes} by LOAD, STORE, SIMD_LOAD or SIMD_STORE {@code v} with index {@code index}
     * (IR value) in register {@code x} (zero-extended for a 32-bit memory): nothing for a 32-bit memory with guard
     * pages, nor for an access loop versioning proved in bounds ({@code LoopVersioning}); else a {@link MOp#BOUNDS}
     * unless this block checked the same index already (the size never shrinks, so a check that passed stays true):
     * <ul>
     *   <li>memory64 ({@code wide}): {@code index <= size} ({@code Memory64Bounds}: the offset is caught by the guard
     *       behind the memory); also covered: {@code y + c} (i64.add of a constant) after a check of {@code y}, as
     *       {@code y <= size} keeps {@code y + c + offset + bytes} inside the guard;</li>
     *   <li>a 32-bit memory in explicit mode (not {@code wide}): {@code index + offset + bytes <= size} (no guard
     *       behind the memory; the sum of a zero-extended index and an offset below 2^31 cannot wrap), covered by an
     *       earlier check of the same index with an end at least as large.</li>
     * </ul>
     */
    private void boundsCheck(int v, int index, int x, int bytes) {
        int k = IrOp.memoryIndex(f.imm(v));
        if (!checked[k] || f.inBounds(v)) return;
        long end = IrOp.memoryOffset(f.imm(v)) + bytes;       // the SSA builder keeps offsets below 2^31 - 16
        Long covered = checkedIndices.get(checkKey(k, index));
        if (covered != null && covered >= end) return;
        if (memory64[k] && f.op(index) == IrOp.ADD && wide(index)) {
            int[] args = f.args(index);
            for (int i = 0; i < 2; i++) {
                int c = args[i], y = args[1 - i];
                if (isConst(c) && f.imm(c) >= 0 && f.imm(c) + end <= Memory64Guard.GUARD_BYTES
                        && checkedIndices.containsKey(checkKey(k, y))) {
                    return;
                }
            }
        }
        int[] uses = memorySizes != null && memorySizes[k] != 0 ? of(x, memorySizes[k]) : of(x);
        emit(MOp.BOUNDS, memory64[k], of(), uses, vm.memorySize(k) << 32 | end, null, v);
        checkedIndices.put(checkKey(k, index), memory64[k] ? Long.MAX_VALUE : end);
    }

    private static long checkKey(int memory, int index) {
        return (long) memory << 32 | index;
    }

    /** The index register of a memory access: a zero-extended copy when the value may have a dirty upper half. */
    private int address(int index) {
        if (isConst(index) || !dirty[index]) return use(index);
        int t = m.newRegister();
        emit(MOp.MOV, false, of(t), of(reg(index)), 0, MDetail.Move.ZERO_EXTEND, -1);
        return t;
    }

    private static int reg(int v) {
        return MachineFunction.FIRST_VIRTUAL + v;
    }

    private void emit(MOp op, boolean wide, int[] defs, int[] uses, long imm, MDetail detail, int v) {
        out.add(new MInstr(op, wide, defs, uses, imm, detail, v < 0 ? -1 : f.wasmOffset(v)));
    }

    private static int[] of(int... r) {
        return r;
    }

    private boolean wide(int v) {
        return f.type(v).isWide();
    }

    private boolean isFloat(int v) {
        return f.type(v).isFloat();
    }

    /** The register of value {@code k} under the WasmAbi ({@code l}: arguments or results), or -1 on the stack. */
    private static int register(ValueLocations l, int k) {
        if (l.gpr(k) != null) return l.gpr(k).encoding();
        if (l.xmm(k) != null) return MachineFunction.XMM0 + l.xmm(k).encoding();
        return -1;
    }

    /** The wasm value types of IR types (a reference is an i64 here, which takes the same register class). */
    private static List<ValType> valTypes(IrType[] types) {
        List<ValType> r = new ArrayList<>(types.length);
        for (IrType t : types) {
            r.add(switch (t) {
                case I32 -> ValType.I32;
                case I64 -> ValType.I64;
                case F32 -> ValType.F32;
                case F64 -> ValType.F64;
                case V128 -> ValType.V128;
                case NONE -> throw new IllegalArgumentException("no value");
            });
        }
        return r;
    }

    /** The type of the function a call or call_indirect value calls. */
    private dev.isthmus.model.FuncType calleeType(int call) {
        if (f.op(call) == IrOp.CALL_INDIRECT || f.op(call) == IrOp.RETURN_CALL_INDIRECT) {
            return module.types().get((int) f.imm(call));
        }
        return module.functionType((int) f.imm(call));
    }

    private boolean isConst(int v) {
        return f.op(v) == IrOp.CONST;
    }

    /** True when constant {@code v} fits an instruction's sign-extended 32-bit immediate. */
    private boolean isImm(int v) {
        if (!isConst(v)) return false;
        return f.type(v) == IrType.I32 || f.imm(v) == (int) f.imm(v);
    }

    /** The register holding {@code v} (a constant is materialized into a new register here). */
    private int use(int v) {
        if (!isConst(v)) return reg(v);
        int t = m.newRegister(isFloat(v));
        emit(isFloat(v) ? MOp.FCONST : MOp.MOVI, wide(v), of(t), of(), f.imm(v), null, -1);
        return t;
    }

    private void move(int dst, int v, boolean wide) {
        if (isConst(v)) emit(isFloat(v) ? MOp.FCONST : MOp.MOVI, wide, of(dst), of(), f.imm(v), null, -1);
        else emit(MOp.MOV, wide, of(dst), of(reg(v)), 0, copy(v), -1);
    }

    /** The move that copies value {@code v} whole: all 128 bits of a v128. */
    private MDetail.Move copy(int v) {
        return f.type(v).isV128() ? MDetail.Move.V128 : MDetail.Move.COPY;
    }

    /** True when {@code v} is a comparison whose only user is the instruction being lowered (fused into it). */
    private boolean fusible(int cond) {
        return f.op(cond).isCompare() && useCount[cond] == 1 && f.blockOf(cond) == block.id;
    }

    private void lower(int v) {
        IrOp op = f.op(v);
        int[] a = f.args(v);
        switch (op) {
            case CONST, PHI -> { }
            case PARAM -> {
                ValueLocations pl = paramLocations;
                int k = (int) f.imm(v);
                int r = register(pl, k);
                if (r >= 0) emit(MOp.MOV, wide(v), of(reg(v)), of(r), 0,
                        cleanParams[v] ? MDetail.Move.ZERO_EXTEND : copy(v), v);
                else {
                    m.needsFramePointer();
                    emit(MOp.SLOT_LOAD, wide(v), of(reg(v)), of(), pl.stackSlot(k), MDetail.StackArea.INCOMING, v);
                }
            }
            case SIMD, SIMD_LOAD, SIMD_STORE -> simd(v, a);
            case FADD -> floatBinary(v, a, MDetail.FloatBinary.ADD);
            case FSUB -> floatBinary(v, a, MDetail.FloatBinary.SUB);
            case FMUL -> floatBinary(v, a, MDetail.FloatBinary.MUL);
            case FDIV -> floatBinary(v, a, MDetail.FloatBinary.DIV);
            case FMIN, FMAX, FCOPYSIGN -> emit(MOp.FMINMAX, wide(v), of(reg(v)), of(use(a[0]), use(a[1])), 0,
                    op == IrOp.FMIN ? MDetail.FloatMinMax.MIN
                            : op == IrOp.FMAX ? MDetail.FloatMinMax.MAX : MDetail.FloatMinMax.COPYSIGN, v);
            case FROUND -> emit(MOp.FUN, wide(v), of(reg(v)), of(use(a[0])), 0,
                    MDetail.FloatUnary.rounding((int) f.imm(v)), v);
            case FSQRT, FNEG, FABS -> emit(MOp.FUN, wide(v), of(reg(v)), of(use(a[0])), 0,
                    op == IrOp.FSQRT ? MDetail.FloatUnary.SQRT
                            : op == IrOp.FNEG ? MDetail.FloatUnary.NEG : MDetail.FloatUnary.ABS, v);
            case FEQ, FNE, FLT, FGT, FLE, FGE -> emit(MOp.FCMP, wide(a[0]), of(reg(v)), of(use(a[0]), use(a[1])),
                    0, MDetail.FloatCompare.values()[op.ordinal() - IrOp.FEQ.ordinal()], v);
            case PROMOTE, DEMOTE, CONVERT_S, CONVERT_U32, REINTERPRET, TRUNC_S, TRUNC_U, TRUNC_SAT_S, TRUNC_SAT_U,
                 CONVERT_U64 -> emit(MOp.FCVT, wide(v), of(reg(v)),
                    of(use(a[0])), 0, new MDetail.Convert(
                            MDetail.ConvertKind.values()[op.ordinal() - IrOp.PROMOTE.ordinal()], wide(a[0])), v);
            case ADD -> {
                if (foldedSum(v)) return;                          // part of its user's ADD3
                int sum = isImm(a[1]) && foldedSum(a[0]) ? a[0] : isImm(a[0]) && foldedSum(a[1]) ? a[1] : -1;
                if (sum < 0) {
                    alu(v, AluOp.ADD, a[0], a[1], true);
                } else {
                    long c = f.imm(sum == a[0] ? a[1] : a[0]);
                    emit(MOp.ADD3, wide(v), of(reg(v)), of(use(f.arg(sum, 0)), use(f.arg(sum, 1))), (int) c, null, v);
                }
            }
            case SUB -> alu(v, AluOp.SUB, a[0], a[1], false);
            case AND -> {
                int low = lowHalfMask(v, a);                    // x & 0xFFFFFFFF (i64): mov r32, r32
                if (low >= 0) emit(MOp.MOV, false, of(reg(v)), of(use(low)), 0, MDetail.Move.ZERO_EXTEND, v);
                else alu(v, AluOp.AND, a[0], a[1], true);
            }
            case OR -> alu(v, AluOp.OR, a[0], a[1], true);
            case XOR -> alu(v, AluOp.XOR, a[0], a[1], true);
            case MUL -> {
                int x = a[0];
                int y = a[1];
                if (isImm(x) && !isImm(y)) {
                    x = a[1];
                    y = a[0];
                }
                if (isImm(y)) emit(MOp.IMULI, wide(v), of(reg(v)), of(use(x)), (int) f.imm(y), null, v);
                else emit(MOp.IMUL, wide(v), of(reg(v)), of(use(x), use(y)), 0, null, v);
            }
            case SHL -> shift(v, ShiftOp.SHL, a);
            case SHR_S -> shift(v, ShiftOp.SAR, a);
            case SHR_U -> shift(v, ShiftOp.SHR, a);
            case ROTL -> shift(v, ShiftOp.ROL, a);
            case ROTR -> shift(v, ShiftOp.ROR, a);
            case DIV_S, DIV_U, REM_S, REM_U -> {
                boolean w = wide(v);
                move(RAX, a[0], w);
                int divisor = use(a[1]);
                MDetail.DivRem kind = MDetail.DivRem.values()[op.ordinal() - IrOp.DIV_S.ordinal()];
                emit(MOp.DIVREM, w, of(RAX, RDX), of(RAX, divisor), 0, kind, v);
                emit(MOp.MOV, w, of(reg(v)), of(kind.quotient() ? RAX : RDX), 0, MDetail.Move.COPY, v);
            }
            case EQ, NE, LT_S, LT_U, GT_S, GT_U, LE_S, LE_U, GE_S, GE_U, EQZ -> {
                if (fusibleUser(v)) return;
                Cond c = compare(v);
                emit(MOp.SETCC, false, of(reg(v)), of(), 0, new MDetail.Condition(c), v);
            }
            case WRAP, EXTEND_U -> emit(MOp.MOV, false, of(reg(v)), of(use(a[0])), 0,
                    op == IrOp.EXTEND_U && zeroExtended(a[0]) ? MDetail.Move.COPY : MDetail.Move.ZERO_EXTEND, v);
            case EXTEND_S -> emit(MOp.MOVSX, true, of(reg(v)), of(use(a[0])), 0, new MDetail.SignExtend(32), v);
            case SIGN_EXTEND -> emit(MOp.MOVSX, wide(v), of(reg(v)), of(use(a[0])), 0,
                    new MDetail.SignExtend((int) f.imm(v)), v);
            case SELECT -> {
                Cond c = condition(a[2]);
                int x = use(a[0]);
                int y = use(a[1]);
                emit(MOp.CMOV, wide(v), of(reg(v)), of(x, y), 0, new MDetail.Condition(c), v);
            }
            case CALL, CALL_INDIRECT -> call(v, a);
            case MEMORY_BYTES -> {
                int k = (int) f.imm(v);
                if (memorySizes != null && memorySizes[k] != 0) {
                    emit(MOp.MOV, true, of(reg(v)), of(memorySizes[k]), 0, MDetail.Move.COPY, v);
                } else {
                    emit(MOp.VMLOAD, true, of(reg(v)), of(), vm.memorySize(k), null, v);
                }
            }
            case MEMORY_SIZE -> {
                int t = m.newRegister();
                emit(MOp.VMLOAD, true, of(t), of(), vm.memorySize((int) f.imm(v)), null, v);
                emit(MOp.SHIFTI, true, of(reg(v)), of(t), 16, new MDetail.Shift(ShiftOp.SHR), v);
            }
            case MEMORY_GROW -> {
                if (f.imm(v) == 0) {
                    moveOperand(RSI, a[0]);
                    builtin(Builtin.MEMORY_GROW, false, of(RAX), of(RSI), v);
                } else {                                    // memories 1 and above: (memory, delta)
                    emit(MOp.MOVI, true, of(RSI), of(), f.imm(v), null, -1);
                    moveOperand(RDX, a[0]);
                    builtin(Builtin.MEMORY_GROW_N, false, of(RAX), of(RSI, RDX), v);
                }
                if (wide(v)) emit(MOp.MOV, true, of(reg(v)), of(RAX), 0, MDetail.Move.COPY, v);   // memory64
                else emit(MOp.MOV, false, of(reg(v)), of(RAX), 0, MDetail.Move.ZERO_EXTEND, v);
            }
            case MEMORY_COPY, MEMORY_FILL -> {
                boolean copy = op == IrOp.MEMORY_COPY;
                moveOperand(RDI, a[0]);
                moveOperand(copy ? RSI : RAX, a[1]);
                moveOperand(RCX, a[2]);
                // imm: the memories (0 for memory 0), which the emitter reads from the vmctx, with a memory64
                // destination or source marked (MDetail.Bulk.DST64, SRC64)
                long memories = f.imm(v);
                if (memory64[(int) memories]) memories |= MDetail.Bulk.DST64;
                if (copy && memory64[(int) (memories >>> 32) & 0x3FFF_FFFF]) memories |= MDetail.Bulk.SRC64;
                emit(MOp.BULK, false, copy ? of(RDI, RSI, RCX, RAX, RDX) : of(RDI, RCX, RAX, RDX),
                        of(RDI, copy ? RSI : RAX, RCX), memories, copy ? MDetail.Bulk.COPY : MDetail.Bulk.FILL, v);
            }
            case MEMORY_INIT -> {
                long segment = f.imm(v) & 0xFFFF_FFFFL;
                long memory = f.imm(v) >>> 32;
                if (memory == 0) {
                    emit(MOp.MOVI, true, of(RSI), of(), segment, null, -1);
                    moveOperand(RDX, a[0]);
                    moveZeroExtended(RCX, a[1]);
                    moveZeroExtended(R8, a[2]);
                    builtin(Builtin.MEMORY_INIT, true, of(), of(RSI, RDX, RCX, R8), v);
                } else {                                    // memories 1 and above: (memory, segment, dst, src, n)
                    emit(MOp.MOVI, true, of(RSI), of(), memory, null, -1);
                    emit(MOp.MOVI, true, of(RDX), of(), segment, null, -1);
                    moveOperand(RCX, a[0]);
                    moveZeroExtended(R8, a[1]);
                    moveZeroExtended(R9, a[2]);
                    builtin(Builtin.MEMORY_INIT_N, true, of(), of(RSI, RDX, RCX, R8, R9), v);
                }
            }
            case DATA_DROP -> {
                emit(MOp.MOVI, true, of(RSI), of(), f.imm(v), null, -1);
                builtin(Builtin.DATA_DROP, false, of(), of(RSI), v);
            }
            // wide: a table64 index (i64), else an i32 the emitter zero-extends
            case TABLE_GET -> emit(MOp.TABLE_GET, wide(a[0]), of(reg(v)), of(use(a[0])), vm.table((int) f.imm(v)),
                    null, v);
            case TABLE_SET -> emit(MOp.TABLE_SET, wide(a[0]), of(), of(use(a[0]), use(a[1])),
                    vm.table((int) f.imm(v)), null, v);
            case TABLE_SIZE -> emit(MOp.TABLE_SIZE, false, of(reg(v)), of(), vm.table((int) f.imm(v)), null, v);
            case TABLE_GROW -> {                            // (table, initial element, delta) -> old size or -1
                emit(MOp.MOVI, true, of(RSI), of(), f.imm(v), null, -1);
                move(RDX, a[0], true);
                moveOperand(RCX, a[1]);
                builtin(Builtin.TABLE_GROW, false, of(RAX), of(RSI, RDX, RCX), v);
                if (wide(v)) emit(MOp.MOV, true, of(reg(v)), of(RAX), 0, MDetail.Move.COPY, v);   // table64
                else emit(MOp.MOV, false, of(reg(v)), of(RAX), 0, MDetail.Move.ZERO_EXTEND, v);
            }
            case TABLE_FILL -> {                            // (table, dst, element, n) -> status
                emit(MOp.MOVI, true, of(RSI), of(), f.imm(v), null, -1);
                moveOperand(RDX, a[0]);
                move(RCX, a[1], true);
                moveOperand(R8, a[2]);
                builtin(Builtin.TABLE_FILL, true, of(), of(RSI, RDX, RCX, R8), v);
            }
            case TABLE_COPY, TABLE_INIT -> {                // (dst table, src table | table, segment, dst, src, n)
                emit(MOp.MOVI, true, of(RSI), of(), f.imm(v) & 0xFFFF_FFFFL, null, -1);
                emit(MOp.MOVI, true, of(RDX), of(), f.imm(v) >>> 32, null, -1);
                moveOperand(RCX, a[0]);
                moveOperand(R8, a[1]);
                moveOperand(R9, a[2]);
                builtin(op == IrOp.TABLE_COPY ? Builtin.TABLE_COPY : Builtin.TABLE_INIT, true, of(),
                        of(RSI, RDX, RCX, R8, R9), v);
            }
            case ELEM_DROP -> {
                emit(MOp.MOVI, true, of(RSI), of(), f.imm(v), null, -1);
                builtin(Builtin.ELEM_DROP, false, of(), of(RSI), v);
            }
            case LOAD -> {
                int base = memoryBase(IrOp.memoryIndex(f.imm(v)));
                int x = address(a[0]);
                boundsCheck(v, a[0], x, MDetail.LoadKind.values()[IrOp.memoryKind(f.imm(v))].bytes());
                emit(MOp.LOAD, wide(v), of(reg(v)), of(base, x), IrOp.memoryOffset(f.imm(v)),
                        MDetail.LoadKind.values()[IrOp.memoryKind(f.imm(v))], v);
            }
            case STORE -> {
                int base = memoryBase(IrOp.memoryIndex(f.imm(v)));
                int x = address(a[0]);
                boundsCheck(v, a[0], x, IrOp.memoryKind(f.imm(v)));
                int value = use(a[1]);
                emit(MOp.STORE, false, of(), of(base, x, value), IrOp.memoryOffset(f.imm(v)),
                        MDetail.StoreSize.ofBytes(IrOp.memoryKind(f.imm(v))), v);
            }
            case GLOBAL_GET -> emit(MOp.GGET, wide(v), of(reg(v)), of(), vm.global((int) f.imm(v)), null, v);
            case REF_FUNC -> emit(MOp.VMADDR, true, of(reg(v)), of(), vm.funcRef((int) f.imm(v)), null, v);
            case FUEL -> emit(MOp.FUEL, false, of(), of(), f.imm(v), null, v);
            case GLOBAL_SET -> emit(MOp.GSET, wide(a[0]), of(), of(use(a[0])), vm.global((int) f.imm(v)), null, v);
            case CLZ, CTZ, POPCNT -> {
                BitOp bop = op == IrOp.CLZ ? BitOp.LZCNT : op == IrOp.CTZ ? BitOp.TZCNT : BitOp.POPCNT;
                emit(MOp.BITOP, wide(v), of(reg(v)), of(use(a[0])), 0, new MDetail.Bits(bop), v);
            }
            case CALL_RESULT -> {
                ValueLocations rl = ValueLocations.ofResults(calleeType(a[0]).results());
                int k = (int) f.imm(v);
                int r = register(rl, k);
                if (r >= 0) emit(MOp.MOV, wide(v), of(reg(v)), of(r), 0,
                        cleanParams[v] ? MDetail.Move.ZERO_EXTEND : copy(v), v);
                else emit(MOp.SLOT_LOAD, wide(v), of(reg(v)), of(), rl.stackSlot(k), MDetail.StackArea.STAGED, v);
            }
            case JUMP -> {
                phiMoves(block.successors[0]);
                emit(MOp.JMP, false, of(), of(), 0, new MDetail.Jump(block.successors[0]), v);
            }
            case BRANCH -> {
                for (int t : block.successors) {            // the IR splits critical edges: no moves on a branch
                    if (f.block(t).phiCount() > 0) {
                        throw new IllegalStateException("critical edge b" + block.id + " -> b" + t + " (phis there)");
                    }
                }
                Cond c = condition(a[0]);
                emit(MOp.JCC, false, of(), of(), 0, new MDetail.Branch(c, block.successors[0], block.successors[1]), v);
            }
            case SWITCH -> switchOn(a[0], v);
            case RETURN -> {
                ValueLocations rl = resultLocations;
                for (int i = 0; i < a.length; i++) {    // stack results above the return address first
                    if (rl.stackSlot(i) >= 0) {
                        m.needsFramePointer();
                        emit(MOp.SLOT_STORE, wide(a[i]), of(), of(use(a[i])), rl.stackSlot(i),
                                MDetail.StackArea.INCOMING, v);
                    }
                }
                int[] rs = new int[a.length - rl.stackSlotValues()];
                int n = 0;
                for (int i = 0; i < a.length; i++) {
                    int r = register(rl, i);
                    if (r < 0) continue;
                    rs[n++] = r;
                    if (dirty[a[i]]) emit(MOp.MOV, false, of(r), of(reg(a[i])), 0, MDetail.Move.ZERO_EXTEND, v);
                    else move(r, a[i], wide(a[i]));
                }
                emit(MOp.RET, false, of(), rs, 0, null, v);
            }
            case RETURN_CALL, RETURN_CALL_INDIRECT -> tailCall(v, a);
            case LANDING -> landing();
            case CAUGHT -> { }                             // defined by the block's LANDING
            case THROW, THROW_REF -> {
                int[] uses = new int[a.length];
                int[] kinds = new int[a.length];
                for (int k = 0; k < a.length; k++) {
                    uses[k] = use(a[k]);
                    kinds[k] = kindOf(a[k]);
                }
                m.noteOutgoing(2 * a.length);               // the payload, 16 bytes a value, at the frame's bottom
                emit(MOp.THROW, false, of(), uses, 0, new MDetail.Throw(op == IrOp.THROW ? (int) f.imm(v) : -1,
                        kinds), v);
            }
            case TRAP -> emit(MOp.TRAP, false, of(), of(), 0, new MDetail.Trap(TrapCode.values()[(int) f.imm(v)]), v);
            default -> throw new IllegalStateException("not selected: " + op);
        }
    }

    /** The {@link MDetail#I32 kind} of value {@code v} as a landing pad reads it and a throw writes it. */
    private int kindOf(int v) {
        return switch (f.type(v)) {
            case I32 -> MDetail.I32;
            case I64 -> MDetail.I64;
            case F32 -> MDetail.F32;
            case F64 -> MDetail.F64;
            case V128 -> MDetail.V128;
            case NONE -> throw new IllegalStateException("no value");
        };
    }

    /** A landing block's LANDING: it defines the block's CAUGHT values (those that are used). */
    private void landing() {
        int n = 0;
        for (int i = 0; i < block.instructionCount(); i++) if (f.op(block.instruction(i)) == IrOp.CAUGHT) n++;
        int[] defs = new int[n];
        int[] index = new int[n];
        int[] kinds = new int[n];
        int k = 0;
        int first = -1;
        for (int i = 0; i < block.instructionCount(); i++) {
            int c = block.instruction(i);
            if (f.op(c) == IrOp.LANDING) first = c;
            if (f.op(c) != IrOp.CAUGHT) continue;
            defs[k] = reg(c);
            index[k] = (int) f.imm(c);
            kinds[k++] = kindOf(c);
        }
        emit(MOp.LANDING, false, defs, of(), 0, new MDetail.Landing(index, kinds), first);
    }

    /**
     * br_table: a jump when the index is a constant; otherwise a switch, whose index is zero-extended when it goes
     * through a jump table (it indexes memory) and known in range when it is masked below the entry count.
     */
    private void switchOn(int index, int v) {
        int[] targets = block.successors.clone();
        int entries = targets.length - 1;
        if (isConst(index)) {
            long k = f.imm(index) & 0xFFFF_FFFFL;
            int t = targets[k < entries ? (int) k : entries];
            m.successors.set(m.successors.size() - 1, new int[] {t});
            phiMoves(t);
            emit(MOp.JMP, false, of(), of(), 0, new MDetail.Jump(t), v);
            return;
        }
        boolean inRange = false;
        if (f.op(index) == IrOp.AND) {
            for (int x : f.args(index)) {
                if (isConst(x) && (f.imm(x) & 0xFFFF_FFFFL) < entries) inRange = true;
            }
        }
        int x = BranchTable.usesTable(entries) ? address(index) : use(index);
        emit(MOp.SWITCH, false, of(), of(x), 0, new MDetail.Switch(targets, inRange), v);
    }

    /**
     * True when {@code v} is a sum of two non-constant values whose only use is an add of a constant in the same
     * block: that add becomes one {@link MOp#ADD3} ({@code lea d, [x + y + c]}) and {@code v} is not computed. (The
     * rebased index of a mined loop, {@code (r + end) + c}, takes this form; so do {@code (a + b) + c} of C code.)
     */
    private boolean foldedSum(int v) {
        if (!threeOperandAdds || f.op(v) != IrOp.ADD || useCount[v] != 1 || isConst(f.arg(v, 0))
                || isConst(f.arg(v, 1))) {
            return false;
        }
        IrType t = f.type(v);
        if (t != IrType.I32 && t != IrType.I64) return false;
        int u = user[v];
        if (f.op(u) != IrOp.ADD || f.type(u) != t || f.blockOf(u) != f.blockOf(v)) return false;
        int[] ua = f.args(u);
        return ua[0] == v && isImm(ua[1]) || ua[1] == v && isImm(ua[0]);
    }

    /**
     * The operand an i64 {@code and} keeps the low 32 bits of ({@code x & 0xFFFFFFFF}, either operand order), or -1:
     * such an and is a 32-bit move, which zero-extends ({@code mov ecx, ecx}), where the mask does not fit an
     * immediate (it would be sign-extended) and took a register of its own.
     */
    private int lowHalfMask(int v, int[] a) {
        if (f.type(v) != IrType.I64 || !lowHalfMoves) return -1;
        for (int k = 0; k < 2; k++) {
            if (isConst(a[k]) && f.imm(a[k]) == 0xFFFF_FFFFL && !isConst(a[1 - k])) return a[1 - k];
        }
        return -1;
    }

    /**
     * Whether i32 value {@code v} is the result of a 32-bit arithmetic instruction, which clears the register's upper
     * half: its {@code i64.extend_i32_u} is then a plain copy, which the allocator can make no instruction at all
     * (parameters, phis, call results and the rest are zero-extended as before).
     */
    private boolean zeroExtended(int v) {
        if (f.type(v) != IrType.I32 || !lowHalfMoves) return false;
        return switch (f.op(v)) {
            case ADD, SUB, MUL, AND, OR, XOR, SHL, SHR_S, SHR_U, ROTL, ROTR -> true;
            default -> false;
        };
    }

    /** True when comparison {@code v} is emitted at its only user instead (a branch or select in this block). */
    private boolean fusibleUser(int v) {
        if (useCount[v] != 1) return false;
        int u = user[v];
        if (f.blockOf(u) != block.id) return false;
        IrOp op = f.op(u);
        if (op == IrOp.BRANCH) return true;
        return op == IrOp.SELECT && f.arg(u, 2) == v && f.arg(u, 0) != v && f.arg(u, 1) != v;
    }

    /** Sets the flags for a condition value and returns the condition under which it is true. */
    private Cond condition(int cond) {
        if (fusible(cond) && fusibleUser(cond)) return compare(cond);
        emit(MOp.TEST, wide(cond), of(), of(use(cond)), 0, null, -1);
        return Cond.NE;
    }

    /** Emits the comparison of {@code v} (a compare op) and returns its condition. */
    private Cond compare(int v) {
        IrOp op = f.op(v);
        int[] a = f.args(v);
        boolean w = wide(a[0]);
        if (op == IrOp.EQZ) {
            emit(MOp.TEST, w, of(), of(use(a[0])), 0, null, v);
            return Cond.E;
        }
        int x = a[0];
        int y = a[1];
        boolean swapped = false;
        if (isConst(x) && !isConst(y)) {
            x = a[1];
            y = a[0];
            swapped = true;
        }
        if (isImm(y) && f.imm(y) == 0 && (op == IrOp.EQ || op == IrOp.NE)) {
            emit(MOp.TEST, w, of(), of(use(x)), 0, null, v);
        } else if (isImm(y)) {
            emit(MOp.CMPI, w, of(), of(use(x)), (int) f.imm(y), null, v);
        } else {
            emit(MOp.CMP, w, of(), of(use(x), use(y)), 0, null, v);
        }
        Cond c = switch (op) {
            case EQ -> Cond.E;
            case NE -> Cond.NE;
            case LT_S -> Cond.L;
            case LT_U -> Cond.B;
            case GT_S -> Cond.G;
            case GT_U -> Cond.A;
            case LE_S -> Cond.LE;
            case LE_U -> Cond.BE;
            case GE_S -> Cond.GE;
            case GE_U -> Cond.AE;
            default -> throw new IllegalStateException(op.name());
        };
        return swapped ? c.swapOperands() : c;
    }


    private void alu(int v, AluOp op, int x, int y, boolean commutative) {
        if (commutative && isImm(x) && !isImm(y)) {
            int t = x;
            x = y;
            y = t;
        }
        if (isImm(y)) emit(MOp.ALUI, wide(v), of(reg(v)), of(use(x)), (int) f.imm(y), new MDetail.Alu(op, false), v);
        else emit(MOp.ALU, wide(v), of(reg(v)), of(use(x), use(y)), 0, new MDetail.Alu(op, commutative), v);
    }

    private void floatBinary(int v, int[] a, MDetail.FloatBinary op) {
        emit(MOp.FBIN, wide(v), of(reg(v)), of(use(a[0]), use(a[1])), 0, op, v);
    }

    private void shift(int v, ShiftOp op, int[] a) {
        boolean w = wide(v);
        if (isConst(a[1])) {
            int count = (int) f.imm(a[1]) & (w ? 63 : 31);
            emit(MOp.SHIFTI, w, of(reg(v)), of(use(a[0])), count, new MDetail.Shift(op), v);
            return;
        }
        int x = use(a[0]);
        move(RCX, a[1], false);
        emit(MOp.SHIFT, w, of(reg(v)), of(x, RCX), 0, new MDetail.Shift(op), v);
    }

    /**
     * A call: stack arguments to the outgoing slots, the others to their registers, then CALL (direct, import
     * through its func ref, or indirect with the table index or func ref as last use; {@code imm} = the stack
     * result slots, which the emitter stages in the frame right after the call); register results from their
     * registers (stack results: {@code CALL_RESULT} reads them from the staging area).
     */
    private void call(int v, int[] a) {
        dev.isthmus.model.FuncType callee = calleeType(v);
        int[] uses = arguments(v, a, callee, MDetail.StackArea.OUTGOING);
        m.noteOutgoing(TailCallEffects.slotsOf(callee));
        ValueLocations rl = ValueLocations.ofResults(callee.results());
        m.noteStaged(rl.stackSlotCount());
        boolean hasResult = f.type(v) != IrType.NONE;
        int used = hasResult ? Math.max(1, callResults[v]) : 0;
        int[] defs = new int[used];
        int n = 0;
        for (int k = 0; k < used; k++) if (register(rl, k) >= 0) defs[n++] = register(rl, k);
        emit(MOp.CALL, table64Index(v, a), Arrays.copyOf(defs, n), uses, rl.stackSlotCount(), callKind(v, a), v);
        if (hasResult) emit(MOp.MOV, wide(v), of(reg(v)), of(register(rl, 0)), 0, copy(v), v);
    }

    /**
     * A tail call (return_call, return_call_indirect, return_call_ref): the arguments as for a call — stack ones
     * straight into this function's incoming slots when the callee takes as many, else staged in the outgoing
     * slots — then TAILCALL, which tears the frame down and jumps; {@code imm} = (staged slots << 32) | the
     * callee's slots minus ours.
     */
    private void tailCall(int v, int[] a) {
        dev.isthmus.model.FuncType callee = calleeType(v);
        int extra = TailCallEffects.slotsOf(callee) - TailCallEffects.slotsOf(paramLocations, resultLocations);
        int staged = extra == 0 ? 0 : ValueLocations.ofParams(callee.params()).stackSlotCount();
        int[] uses = arguments(v, a, callee, extra == 0 ? MDetail.StackArea.INCOMING : MDetail.StackArea.OUTGOING);
        // the incoming slots are rbp-relative: a same-size tail call with stack arguments writes them too (a
        // function whose registers hold its own parameters and whose stack slots are only for results had no
        // frame pointer then, and wrote through whatever rbp held)
        if (extra != 0 || staged != 0 || ValueLocations.ofParams(callee.params()).stackSlotCount() > 0) {
            m.needsFramePointer();
        }
        m.noteOutgoing(staged);
        emit(MOp.TAILCALL, table64Index(v, a), of(), uses, ((long) staged << 32) | (extra & 0xFFFF_FFFFL),
                callKind(v, a), v);
    }

    /**
     * The arguments of call or tail call {@code v}: stack ones stored to {@code area}'s slots, the others moved
     * to their registers; returns the uses (the argument registers, then the table index or func ref).
     */
    private int[] arguments(int v, int[] a, dev.isthmus.model.FuncType callee, MDetail.StackArea area) {
        boolean indirect = f.op(v) == IrOp.CALL_INDIRECT || f.op(v) == IrOp.RETURN_CALL_INDIRECT;
        int argCount = indirect ? a.length - 1 : a.length;
        ValueLocations pl = ValueLocations.ofParams(callee.params());
        for (int i = 0; i < argCount; i++) {
            if (pl.stackSlot(i) >= 0) {
                emit(MOp.SLOT_STORE, wide(a[i]), of(), of(use(a[i])), pl.stackSlot(i), area, -1);
            }
        }
        int[] uses = new int[argCount - pl.stackSlotValues() + (indirect ? 1 : 0)];
        int n = 0;
        for (int i = 0; i < argCount; i++) {
            int r = register(pl, i);
            if (r < 0) continue;
            uses[n++] = r;
            move(r, a[i], wide(a[i]));
        }
        if (indirect) uses[n] = use(a[argCount]);
        return uses;
    }

    /** Whether call or tail call {@code v} indexes a table64 table (the CALL's {@code wide}: an i64 index). */
    private boolean table64Index(int v, int[] a) {
        return (f.op(v) == IrOp.CALL_INDIRECT || f.op(v) == IrOp.RETURN_CALL_INDIRECT)
                && (int) (f.imm(v) >>> 32) != IrOp.CALL_REF_TABLE && wide(a[a.length - 1]);
    }

    /** What call or tail call {@code v} calls. */
    private MDetail.Call callKind(int v, int[] a) {
        if (f.op(v) == IrOp.CALL_INDIRECT || f.op(v) == IrOp.RETURN_CALL_INDIRECT) {
            int type = (int) f.imm(v);
            int table = (int) (f.imm(v) >>> 32);
            return table == IrOp.CALL_REF_TABLE ? new MDetail.RefCall(type)
                    : new MDetail.IndirectCall(type, TypeIds.of(module, type), table, (int) vm.table(table));
        }
        int function = (int) f.imm(v);
        if (function < module.importedFunctionCount()) {
            return new MDetail.ImportCall(function, (int) vm.funcRef(function));
        }
        if (f.op(v) == IrOp.RETURN_CALL) return new MDetail.DirectCall(function);
        if (effects == null) effects = TailCallEffects.of(module);
        boolean irregular = effects.irregularExit(function);
        if (irregular) m.needsFramePointer();
        return new MDetail.DirectCall(function, irregular);
    }

    /**
     * A SIMD instruction, the same for every opcode: operands in registers of their class (a memory instruction's
     * memory base and index first, the address computed as for LOAD and STORE), the result, then the temporaries
     * {@link SimdShape} asks for as new virtual registers (the allocator keeps them live across the instruction).
     */
    private void simd(int v, int[] a) {
        SimdInfo info = f.simd(v);
        boolean memory = f.op(v) != IrOp.SIMD;
        if (info.op() == dev.isthmus.binary.Opcode.V128_CONST && registerUses[v] == 0) return; // read as a constant
        SimdShape shape = SimdShape.of(info.op(), cpu.avx());
        boolean hasResult = f.type(v) != IrType.NONE;
        int first = hasResult ? 1 : 0;
        int[] defs = new int[first + shape.xmmTemps() + shape.gprTemps()];
        if (hasResult) defs[0] = reg(v);
        for (int t = 0; t < shape.xmmTemps(); t++) defs[first + t] = m.newV128Register();
        for (int t = 0; t < shape.gprTemps(); t++) defs[first + shape.xmmTemps() + t] = m.newRegister();
        Object[] constants = simdConstants(v);
        int absent = absentSources[v];                    // sources lowered from their constant, not in registers
        int[] uses = new int[(memory ? 2 : 0) + constants.length - Integer.bitCount(absent)];
        int k = 0;
        if (memory) {
            uses[k++] = memoryBase(IrOp.memoryIndex(f.imm(v)));
            uses[k++] = address(a[0]);
            boundsCheck(v, a[0], uses[k - 1], shape.accessBytes());  // explicit mode (memory64 SIMD falls back)
        }
        for (int j = 0; j < constants.length; j++) {
            if ((absent & 1 << j) == 0) uses[k++] = use(a[j + (memory ? 1 : 0)]);
        }
        emit(MOp.SIMD, false, defs, uses, memory ? IrOp.memoryOffset(f.imm(v)) : 0, new MDetail.Simd(info.op(),
                info.lane(), info.bytes(), memory, hasResult, shape.xmmTemps(), shape.gprTemps(), constants, absent), v);
    }

    /**
     * What the SIMD lowering may know of operand {@code v}: an integer constant's value, a {@code v128.const}'s
     * bytes, else null (see {@link dev.isthmus.compiler.machine.simd.SimdOperands#constants()}).
     */
    private Object simdConstant(int v) {
        if (isConst(v)) return isFloat(v) ? null : (Object) f.imm(v);
        if (f.op(v) == IrOp.SIMD && f.simd(v).op() == dev.isthmus.binary.Opcode.V128_CONST) return f.simd(v).bytes();
        return null;
    }

    /** An operand of a bulk instruction or builtin: an i64 (memory64, table64) whole, an i32 zero-extended. */
    private void moveOperand(int dst, int v) {
        if (wide(v)) move(dst, v, true);
        else moveZeroExtended(dst, v);
    }

    /** {@code dst} = the i32 {@code v} zero-extended to 64 bits (what the builtins and bulk sequences read). */
    private void moveZeroExtended(int dst, int v) {
        if (!isConst(v) && dirty[v]) emit(MOp.MOV, false, of(dst), of(reg(v)), 0, MDetail.Move.ZERO_EXTEND, -1);
        else move(dst, v, false);
    }

    /** A call of runtime builtin {@code b} with its arguments already in {@code uses}. */
    private void builtin(Builtin b, boolean status, int[] defs, int[] uses, int v) {
        emit(MOp.CALL, false, defs, uses, 0, new MDetail.BuiltinCall(b.name().toLowerCase(java.util.Locale.ROOT),
                (int) vm.builtin(b), status), v);
    }

    /** The parallel move of phi operands into the phis of {@code target}, for the edge from this block. */
    private void phiMoves(int target) {
        IrBlock t = f.block(target);
        if (t.phiCount() == 0) return;
        int k = -1;
        for (int i = 0; i < t.predCount(); i++) if (t.pred(i) == block.id) k = i;
        if (k < 0) throw new IllegalStateException("edge b" + block.id + " -> b" + target + " not recorded");
        int n = t.phiCount();
        int[] defs = new int[n];
        MDetail.Source[] sources = new MDetail.Source[n];
        for (int i = 0; i < n; i++) {
            int phi = t.phi(i);
            int x = f.arg(phi, k);
            defs[i] = reg(phi);
            sources[i] = isConst(x) ? new MDetail.Constant(f.imm(x)) : new MDetail.Register(reg(x));
        }
        out.add(MInstr.parallelMove(defs, sources, -1));
    }
}
