package dev.isthmus.compiler.baseline;

import dev.isthmus.compiler.machine.CompiledFunction;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.machine.FrameLayout;
import dev.isthmus.compiler.machine.ValueLocations;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.Xmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dev.isthmus.compiler.machine.FuelMetering;
import dev.isthmus.compiler.machine.TierUpBudget;
import dev.isthmus.options.Compilation;

import static dev.isthmus.compiler.baseline.Codegen.CONST;
import static dev.isthmus.compiler.baseline.Codegen.FLAGS;
import static dev.isthmus.compiler.baseline.Codegen.LOCAL;
import static dev.isthmus.compiler.baseline.Codegen.REG;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Compiles one function body in a single pass over its instructions: the entry (parameters to their homes), locals
 * and select here, control flow in {@link ControlFlow}, everything else through the lowerings. The value stack
 * keeps operands lazily (constants, local reads, registers, pending flags), so instructions pick immediate,
 * register and memory forms, comparisons fuse with their branch, and locals live in registers chosen by {@link LocalHomes}.
 */
public final class FunctionCompiler {
    private final WasmModule module;
    private final FuncType type;
    private final FunctionBody body;
    private final Codegen g;
    private final Assembler a;
    private final IntegerLowering ints;
    private final FloatLowering floats;
    private final ConversionLowering conversions;
    private final MemoryLowering memory;
    private final CallLowering calls;
    private final VectorLowering vectors;
    private final ControlFlow control;
    private int[] codeOffsets = new int[64];
    private int[] wasmOffsets = new int[64];
    private int offsetCount;

    private final dev.isthmus.compiler.machine.TailCallEffects effects;
    private final CompilerOptions options;
    /** The exact frame size (second pass), or -1: a provisional frame (first pass). */
    private final int frameBytes;
    /** The frame size the body needed ({@link #compile()} returns null when its frame cannot take it). */
    private int requiredFrameBytes;

    private FunctionCompiler(WasmModule module, VmContextLayout vm, CompilerOptions options, CpuFeatures cpu,
                             int functionIndex, dev.isthmus.compiler.machine.TailCallEffects effects, int frameBytes) {
        this.effects = effects;
        this.options = options;
        this.frameBytes = frameBytes;
        this.module = module;
        this.type = module.functionType(functionIndex);
        this.body = module.codes().get(functionIndex - module.importedFunctionCount());
        this.a = new Assembler();
        this.g = new Codegen(a, module, vm, options, cpu);
        if (options.compilation() == Compilation.TIERED) g.tierUpFunction = functionIndex;
        this.ints = new IntegerLowering(g);
        this.floats = new FloatLowering(g);
        this.conversions = new ConversionLowering(g);
        this.memory = new MemoryLowering(g);
        this.calls = new CallLowering(g, type, effects);
        this.vectors = new VectorLowering(g, memory);
        this.control = new ControlFlow(module, type, g, calls);
    }

    /** Compiles defined function {@code functionIndex} (function index space) of a validated module. */
    public static CompiledFunction compile(WasmModule module, VmContextLayout vm, CompilerOptions options,
                                           CpuFeatures cpu, int functionIndex) {
        return compile(module, vm, options, cpu, functionIndex, dev.isthmus.compiler.machine.TailCallEffects.of(module));
    }

    /**
     * As above with the module's {@link dev.isthmus.compiler.machine.TailCallEffects} already analysed.
     * <p>
     * The single pass learns the frame size (operand slots, outgoing argument slots) only at the end, so it emits a
     * provisional frame (see {@link FrameLayout}) whose size immediates are filled in afterwards, assuming that
     * there is a frame: values live across calls and block boundaries go to operand slots, so nine in ten functions
     * of a large module (examples/compile-bench/big.wasm) have one, leaves included. When there is none after all,
     * or the frame crossed a stack-check size class, the function is compiled once more with the size the first
     * pass found (the second pass makes the same decisions, so it needs exactly that size, and emits it exactly).
     */
    public static CompiledFunction compile(WasmModule module, VmContextLayout vm, CompilerOptions options,
                                           CpuFeatures cpu, int functionIndex,
                                           dev.isthmus.compiler.machine.TailCallEffects effects) {
        FunctionCompiler first = new FunctionCompiler(module, vm, options, cpu, functionIndex, effects, -1);
        CompiledFunction f = first.compile();
        if (f != null) return f;
        FunctionCompiler second = new FunctionCompiler(module, vm, options, cpu, functionIndex, effects,
                first.requiredFrameBytes);
        f = second.compile();
        if (f == null) throw new IllegalStateException("frame size changed between passes");
        return f;
    }

    private CompiledFunction compile() {
        ValType[] localTypes = localTypes();
        LocalHomes homes = new LocalHomes(module, localTypes, type.params().size(), body.codeUnsafe(),
                module.importedFunctionCount(), effects::irregularExit);
        g.localTypes = localTypes;
        control.rethrows = homes.rethrows;
        g.localReg = homes.registers;
        g.localXmm = homes.xmmRegisters;
        g.reserveHomes(homes.gprHomeMask(), homes.xmmHomeMask());
        g.localSlot = homes.slots;
        g.frame = new FrameLayout(homes.saved, homes.slotCount, options.stackCheck(), true, true, true,
                homes.wide ? 16 : 8);
        g.memoryBase = homes.usesMemory ? Gpr.R14 : null;
        int lead = dev.isthmus.compiler.machine.CodeLinker.leadBytes(options.alignment());
        for (int i = 0; i < lead; i++) a.int3();
        int entry = a.position();
        if (frameBytes >= 0) {
            g.frame.emitPrologue(a, frameBytes);
        } else {
            int localsOnly = g.frame.frameBytes(0, 0);
            g.frame.emitProvisionalPrologue(a, localsOnly > 0 ? localsOnly : g.frame.frameBytes(2, 0));
        }
        emitEntry(localTypes);
        g.countTierUp();
        FuelMetering.Plan fuel = options.fuel() ? FuelMetering.plan(body) : null;
        List<int[]> fuelSlowPaths = new ArrayList<>();
        List<Label[]> fuelLabels = new ArrayList<>();
        compileFrom(0, fuel, fuelSlowPaths, fuelLabels);
        // legacy catch blocks, out of line: each try's body falls through to its end as a block's does
        for (ControlFlow.Deferred d; (d = control.nextDeferred()) != null; ) {
            control.beginDeferred(d);
            compileFrom(d.position(), fuel, fuelSlowPaths, fuelLabels);
            control.endDeferred(d);
        }
        int[] handlers = control.emitLandingPads();           // out of line: nothing on the path that does not throw
        requiredFrameBytes = g.frame.frameBytes(g.slotHighWater, g.maxOutgoing);
        for (int i = 0; i < fuelSlowPaths.size(); i++) {   // out of line, before the trap sites
            noteOffset(fuelSlowPaths.get(i)[0]);
            Label[] labels = fuelLabels.get(i);
            FuelMetering.emitSlowPath(a, g.vm, labels[0], labels[1]);
        }
        g.emitTrapSites();
        for (Label[] path : g.tierUpSlowPaths) {            // last: nothing in them traps, so no pc is noted
            TierUpBudget.emitSlowPath(a, g.vm, g.tierUpFunction, path[0], path[1]);
        }
        byte[] code = a.finish();
        if (!g.frame.complete(code, requiredFrameBytes)) return null;
        return new CompiledFunction(code, entry, g.relocations(),
                Arrays.copyOf(codeOffsets, offsetCount), Arrays.copyOf(wasmOffsets, offsetCount),
                handlers.length == 0 ? g.frame.unwind() : g.frame.unwind().withHandlers(handlers),
                g.typeIdSites.toArray());
    }

    /**
     * Compiles the body's instructions from code position {@code position} until the function's end (or, for a
     * deferred legacy try's catch blocks, the try's end). A legacy try's first catch ends its body: the catch blocks
     * up to the try's end are skipped here and compiled later, from that catch.
     */
    private void compileFrom(int position, FuelMetering.Plan fuel, List<int[]> fuelSlowPaths, List<Label[]> fuelLabels) {
        byte[] code = body.codeUnsafe();
        InstructionReader r = new InstructionReader(new ByteReader(code, position, code.length, body.codeOffset(),
                "unexpected end"));
        int skipping = -1;                                      // the block depth within skipped catch blocks
        while (!r.atEnd() && !control.finished()) {
            Opcode op = r.next();
            if (skipping >= 0) {
                switch (op) {
                    case BLOCK, LOOP, IF, TRY_TABLE, TRY -> skipping++;
                    case DELEGATE -> skipping--;
                    case END -> skipping--;
                    default -> { }
                }
                continue;
            }
            if (control.isUnreachable()) {
                control.pendingTag = r.index();                 // a legacy catch / delegate ending the skip
                control.pendingLabel = r.index();
                control.pendingPosition = (int) (r.offset() - body.codeOffset());
                control.skip(op);
            } else {
                noteOffset((int) r.offset());
                if (g.size > 0 && g.kindAt(g.size - 1) == FLAGS && !consumesFlags(op)) g.materializeFlags();
                if (!keepsFlagsLocal(op)) g.flagsLocal = -1;
                if (fuel != null) meterFuel(fuel, (int) r.offset(), fuelSlowPaths, fuelLabels);
                g.preferred = lastArgumentRegisterOfNextCall(r);
                instruction(op, r);
                g.preferred = null;
            }
            if (control.skipCatches) {
                control.skipCatches = false;
                skipping = 0;
            }
        }
    }

    /** Locals beyond this are not compiled (each costs a frame slot; the frame would exceed any stack anyway). */
    private static final int MAX_LOCALS = 1 << 22;

    /** Above this many slot-homed locals, the entry zeroes all local slots with a loop instead of one store each. */
    private static final int ZERO_LOOP_THRESHOLD = 16;

    private ValType[] localTypes() {
        int params = type.params().size();
        long declared = body.localCount();
        if (params + declared > MAX_LOCALS) {
            throw new dev.isthmus.compiler.machine.UnimplementedFeatureException("too many locals: " + (params + declared));
        }
        ValType[] t = new ValType[params + (int) declared];
        for (int i = 0; i < params; i++) t[i] = type.params().get(i);
        int k = params;
        for (int run = 0; run < body.localRuns(); run++) {
            for (int j = 0; j < body.localRunCount(run); j++) t[k++] = body.localRunType(run);
        }
        return t;
    }

    /** Body start: memory base, parameters to their homes, declared locals zeroed. */
    private void emitEntry(ValType[] localTypes) {
        if (g.memoryBase != null) a.mov(QWORD, g.memoryBase, Mem.of(Gpr.R15, g.memoryBaseOffset));
        int slotCount = g.frame.localSlotCount();
        boolean zeroLoop = slotCount > ZERO_LOOP_THRESHOLD;
        if (zeroLoop) {
            // every local slot, parameters' included (stored below): only r11 is used, arguments stay in place
            //   mov r11, lowest; L: mov qword [rbp + r11], 0; add r11, 8; cmp r11, end; jne L
            int lowest = g.frame.localSlot(slotCount - 1).displacement();
            int end = g.frame.localSlot(0).displacement() + g.frame.slotBytes();
            a.mov(QWORD, Gpr.R11, lowest);
            dev.isthmus.x64.Label loop = a.newLabel();
            a.bind(loop);
            a.mov(QWORD, Mem.of(Gpr.RBP, Gpr.R11, 1, 0), 0);
            a.add(QWORD, Gpr.R11, 8);
            a.cmp(QWORD, Gpr.R11, end);
            a.jcc(Cond.NE, loop);
        }
        ValueLocations pl = ValueLocations.ofParams(type.params());
        for (int i = 0; i < type.params().size(); i++) {
            ValType t = localTypes[i];
            Gpr home = g.localReg[i];
            if (Codegen.isFloat(t)) {
                Xmm src = pl.xmm(i);
                Xmm xhome = g.localXmm[i];
                if (xhome != null) {
                    if (src == null) g.loadXmm(xhome, FrameLayout.incomingSlot(pl.stackSlot(i)), t);
                    else a.sse(dev.isthmus.x64.SseOp.MOVAPS, xhome, src);
                } else if (src == null && t == ValType.V128) {
                    g.loadXmm(Xmm.XMM15, FrameLayout.incomingSlot(pl.stackSlot(i)), t);
                    g.storeXmm(g.localMem(i), Xmm.XMM15, t);
                } else if (src == null) {
                    a.mov(QWORD, Gpr.R11, FrameLayout.incomingSlot(pl.stackSlot(i)));
                    a.mov(QWORD, g.localMem(i), Gpr.R11);
                } else {
                    g.storeXmm(g.localMem(i), src, t);
                }
            } else {
                Gpr src = pl.gpr(i);
                if (src == null) {
                    Gpr dst = home != null ? home : Gpr.R11;
                    a.mov(Codegen.sizeOf(t), dst, FrameLayout.incomingSlot(pl.stackSlot(i)));
                    if (home == null) a.mov(QWORD, g.localMem(i), Gpr.R11);
                } else if (home != null) {
                    // an i32 is zero-extended even where it arrives (only its low half is defined)
                    if (home != src || t == ValType.I32) a.mov(Codegen.sizeOf(t), home, src);
                } else {
                    if (t == ValType.I32) a.mov(DWORD, src, src);
                    a.mov(QWORD, g.localMem(i), src);
                }
            }
        }
        for (int i = type.params().size(); i < localTypes.length; i++) {
            if (g.localReg[i] != null) a.mov(DWORD, g.localReg[i], 0);
            else if (g.localXmm[i] != null) a.sse(dev.isthmus.x64.SseOp.XORPS, g.localXmm[i], g.localXmm[i]);
            else if (!zeroLoop) {
                a.mov(QWORD, g.localMem(i), 0);
                if (localTypes[i] == ValType.V128) a.mov(QWORD, g.localMem(i).plus(8), 0);
            }
        }
    }

    private void noteOffset(int wasmOffset) {
        if (offsetCount == codeOffsets.length) {
            codeOffsets = Arrays.copyOf(codeOffsets, offsetCount * 2);
            wasmOffsets = Arrays.copyOf(wasmOffsets, offsetCount * 2);
        }
        codeOffsets[offsetCount] = a.position();
        wasmOffsets[offsetCount] = wasmOffset;
        offsetCount++;
    }

    /** Fuel metering: the charge (and at entries and loop headers the check) of a run starting here. */
    private void meterFuel(FuelMetering.Plan fuel, int offset, List<int[]> slowPaths, List<Label[]> labels) {
        int run = fuel.runAt(offset);
        if (run < 0) return;
        if (!fuel.check(run)) {
            // a pending condition is only ever on top of the operand stack: keep the flags then
            boolean flagsLive = g.size > 0 && g.kindAt(g.size - 1) == FLAGS;
            FuelMetering.emitCharge(a, g.vm, fuel.cost(run), flagsLive);
            if (!flagsLive && fuel.cost(run) != 0) g.flagsLocal = -1;
            return;
        }
        if (g.size > 0 && g.kindAt(g.size - 1) == FLAGS) g.materializeFlags();   // (never at entries and loop heads)
        Label slow = a.newLabel();
        Label resume = a.newLabel();
        FuelMetering.emitCheck(a, g.vm, fuel.cost(run), slow);
        a.bind(resume);
        g.flagsLocal = -1;                                      // (the check writes the flags)
        slowPaths.add(new int[] {offset});
        labels.add(new Label[] {slow, resume});
    }

    private static boolean consumesFlags(Opcode op) {
        return op == Opcode.BR_IF || op == Opcode.IF || op == Opcode.SELECT || op == Opcode.SELECT_T
                || op == Opcode.I32_EQZ || op == Opcode.DROP;
    }

    /** Instructions that neither change the flags before reading a condition nor invalidate {@code flagsLocal}. */
    private static boolean keepsFlagsLocal(Opcode op) {
        return op == Opcode.LOCAL_TEE || op == Opcode.BR_IF || op == Opcode.IF || op == Opcode.I32_EQZ
                || op == Opcode.I64_EQZ;
    }

    // ---------------------------------------------------------------- locals and parametric

    private void localSet(int index, boolean tee) {
        Val v = g.pop();
        g.flushLocalReads(index);
        storeLocal(index, v);
        g.free(v);
        if (tee) g.push(LOCAL, index, g.localTypes[index]);
    }

    private void storeLocal(int index, Val v) {
        if (v.kind() == LOCAL && v.value() == index) return;
        ValType t = g.localTypes[index];
        Gpr home = g.localReg[index];
        if (home != null) {
            g.emitLoad(home, v);
            return;
        }
        if (g.localXmm[index] != null) {
            g.emitLoadXmm(g.localXmm[index], v);
            return;
        }
        Mem m = g.localMem(index);
        if (Codegen.isFloat(t)) {
            if (v.kind() == REG) {
                g.storeXmm(m, Xmm.of((int) v.value()), t);
            } else {
                g.emitLoadXmm(Xmm.XMM15, v);
                g.storeXmm(m, Xmm.XMM15, t);
            }
        } else if (v.kind() == REG) {
            a.mov(QWORD, m, Gpr.of((int) v.value()));
        } else if (v.kind() == CONST) {
            g.storeConst(m, v.value());
        } else {
            g.emitLoad(Gpr.R11, v);
            a.mov(QWORD, m, Gpr.R11);
        }
    }

    private void select() {
        Val c = g.pop();
        boolean flags = c.kind() == FLAGS;
        Val b = g.pop();
        Val x = g.pop();
        ValType t = x.type();
        if (Codegen.isFloat(t)) {
            Xmm d = g.ownXmm(x);
            Xmm s = g.readXmm(b);
            Cond keep;
            if (flags) keep = Codegen.COND[(int) c.value()];
            else keep = control.conditionOf(c);
            Label done = a.newLabel();
            a.jcc(keep, done);
            a.sse(dev.isthmus.x64.SseOp.MOVAPS, d, s);
            a.bind(done);
            g.release(s);
            g.pushReg(t, d);
            return;
        }
        Gpr d = g.ownGpr(x);
        Gpr s = b.isConst() ? null : g.readGpr(b);
        if (s == null) {
            g.loadConst(Gpr.R11, t, b.value());
        }
        Cond keep;
        if (flags) keep = Codegen.COND[(int) c.value()];
        else keep = control.conditionOf(c);
        a.cmov(keep.negate(), Codegen.sizeOf(t), d, s == null ? Gpr.R11 : s);
        if (s != null) g.doneReading(b, s);
        g.pushReg(t, d);
    }

    // ---------------------------------------------------------------- dispatch

    /** The local a following local.set/tee writes, or -1 (lets an operation update a local's register in place). */
    private int localUpdatedNext(InstructionReader r) {
        return indexAfter(r, (byte) 0x21, (byte) 0x22);
    }

    /** The u32 immediate of the next instruction when its opcode is {@code op1} or {@code op2}, else -1. */
    private int indexAfter(InstructionReader r, byte op1, byte op2) {
        byte[] code = body.codeUnsafe();
        int pos = r.bytes().position();
        if (pos >= code.length || (code[pos] != op1 && code[pos] != op2)) return -1;
        int result = 0;
        int shift = 0;
        for (int i = pos + 1; i < code.length && shift < 35; i++, shift += 7) {
            result |= (code[i] & 0x7F) << shift;
            if ((code[i] & 0x80) == 0) return result;
        }
        return -1;
    }

    /**
     * When the next instruction is a call, the register of its last argument (the value this instruction
     * produces), so the value is computed there and needs no move; else null.
     */
    private Gpr lastArgumentRegisterOfNextCall(InstructionReader r) {
        int callee = indexAfter(r, (byte) 0x10, (byte) 0x10);
        if (callee < 0 || callee >= module.functionCount()) return null;
        java.util.List<ValType> params = module.functionType(callee).params();
        if (params.isEmpty()) return null;
        return ValueLocations.ofParams(params).gpr(params.size() - 1);
    }

    private void instruction(Opcode op, InstructionReader r) {
        switch (op) {
            case UNREACHABLE -> {
                a.jmp(g.trap(TrapCode.UNREACHABLE));
                control.markUnreachable();
            }
            case NOP -> { }
            case BLOCK -> control.block(ControlFlow.BLOCK, r.blockType());
            case LOOP -> control.block(ControlFlow.LOOP, r.blockType());
            case IF -> control.block(ControlFlow.IF, r.blockType());
            case ELSE -> control.doElse();
            case END -> control.doEnd();
            case BR -> control.br(r.index());
            case BR_IF -> control.brIf(r.index());
            case BR_TABLE -> control.brTable(r.brTargets(), r.brDefault());
            case RETURN -> {
                calls.emitReturn();
                control.markUnreachable();
            }
            case CALL -> calls.call(r.index());
            case CALL_INDIRECT -> calls.callIndirect(r.index(), r.index2());
            case RETURN_CALL -> {
                calls.returnCall(r.index());
                control.markUnreachable();
            }
            case RETURN_CALL_INDIRECT -> {
                calls.returnCallIndirect(r.index(), r.index2());
                control.markUnreachable();
            }
            case CALL_REF -> calls.callRef(r.index());
            case RETURN_CALL_REF -> {
                calls.returnCallRef(r.index());
                control.markUnreachable();
            }
            case TRY_TABLE -> control.tryTable(r.blockType(), r.catchKinds().clone(), r.catchTags().clone(),
                    r.catchLabels().clone());
            case TRY -> control.legacyTry(r.blockType());
            case CATCH -> control.legacyCatch(r.index(), (int) (r.offset() - body.codeOffset()));
            case CATCH_ALL -> control.legacyCatch(-1, (int) (r.offset() - body.codeOffset()));
            case DELEGATE -> control.delegate(r.index());
            case RETHROW -> control.rethrow(r.index());
            case THROW -> {
                calls.throwTag(r.index());
                control.markUnreachable();
            }
            case THROW_REF -> {
                calls.throwRef();
                control.markUnreachable();
            }
            case BR_ON_NULL -> control.brOnNull(r.index());
            case BR_ON_NON_NULL -> control.brOnNonNull(r.index());
            case DROP -> g.free(g.pop());
            case SELECT, SELECT_T -> select();
            case LOCAL_GET -> g.push(LOCAL, r.index(), g.localTypes[r.index()]);
            case LOCAL_SET -> localSet(r.index(), false);
            case LOCAL_TEE -> localSet(r.index(), true);
            case GLOBAL_GET -> memory.globalGet(r.index());
            case GLOBAL_SET -> memory.globalSet(r.index());
            case TABLE_GET -> memory.tableGet(r.index(), module.tableType(r.index()).elementType());
            case TABLE_SET -> memory.tableSet(r.index());
            case I32_CONST -> g.pushConst(ValType.I32, r.i32() & 0xFFFF_FFFFL);
            case I64_CONST -> g.pushConst(ValType.I64, r.i64());
            case F32_CONST -> g.pushConst(ValType.F32, r.f32Bits() & 0xFFFF_FFFFL);
            case F64_CONST -> g.pushConst(ValType.F64, r.f64Bits());
            default -> {
                if (op.isSimd()) {
                    vectors.emit(op, r);
                    return;
                }
                if (!Instructions.numericOrMemory(op, r, this.g, ints, floats, conversions, memory, calls,
                        localUpdatedNext(r))) {
                    throw new IllegalStateException("instruction not handled: " + op.text());
                }
            }
        }
    }
}
