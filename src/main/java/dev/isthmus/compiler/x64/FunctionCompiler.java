package dev.isthmus.compiler.x64;

import dev.isthmus.binary.BlockType;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.CompilerOptions;
import dev.isthmus.compiler.emit.FrameLayout;
import dev.isthmus.compiler.emit.ValueLocations;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.trap.TrapKind;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.Xmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.isthmus.compiler.x64.Codegen.CONST;
import static dev.isthmus.compiler.x64.Codegen.FLAGS;
import static dev.isthmus.compiler.x64.Codegen.LOCAL;
import static dev.isthmus.compiler.x64.Codegen.REG;
import static dev.isthmus.compiler.x64.Codegen.SLOT;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Compiles one function body in a single pass over its instructions: control flow (blocks, loops, ifs with
 * multi-value types, branches, br_table jump tables) here, everything else through the lowerings. The value stack
 * keeps operands lazily (constants, local reads, registers, pending flags), so instructions pick immediate,
 * register and memory forms, comparisons fuse with their branch, and locals live in callee-saved registers.
 */
public final class FunctionCompiler {
    private static final int BLOCK = 0;
    private static final int LOOP = 1;
    private static final int IF = 2;
    private static final int FUNCTION = 3;

    /** An open block: where its branches go and the stack height below its parameters. */
    private static final class Frame {
        final int kind;
        final Label label;
        final Label elseLabel;
        final int height;
        final ValType[] params;
        final ValType[] results;
        /** Where the results arrive at the end label: registers, or null for their slots. */
        Register[] resultRegisters;
        boolean hadElse;

        Frame(int kind, Label label, Label elseLabel, int height, ValType[] params, ValType[] results) {
            this.kind = kind;
            this.label = label;
            this.elseLabel = elseLabel;
            this.height = height;
            this.params = params;
            this.results = results;
        }

        ValType[] branchTypes() {
            return kind == LOOP ? params : results;
        }
    }

    /**
     * Block results go to temporaries in allocation order (ints rax, rcx, ...; floats xmm0, ...), when there are
     * enough; else to their slots.
     */
    private Register[] resultRegisters(ValType[] results) {
        if (results.length == 0) return null;
        Gpr[] gprs = g.gprPool();
        List<Xmm> xmms = g.xmmPool();
        Register[] regs = new Register[results.length];
        int ints = 0;
        int floats = 0;
        for (int i = 0; i < results.length; i++) {
            if (Codegen.isFloat(results[i])) {
                if (floats == xmms.size()) return null;
                regs[i] = xmms.get(floats++);
            } else {
                if (ints == gprs.length) return null;
                regs[i] = gprs[ints++];
            }
        }
        return regs;
    }

    private record JumpTable(Label table, Label[] entries) {}

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
    private final List<Frame> frames = new ArrayList<>();
    private final List<JumpTable> jumpTables = new ArrayList<>();
    private int[] codeOffsets = new int[64];
    private int[] wasmOffsets = new int[64];
    private int offsetCount;
    private boolean unreachable;
    private int skipDepth;

    private FunctionCompiler(WasmModule module, VmContextLayout vm, CompilerOptions options, CpuFeatures cpu,
                             int functionIndex) {
        this.module = module;
        this.type = module.functionType(functionIndex);
        this.body = module.codes().get(functionIndex - module.importedFunctionCount());
        this.a = new Assembler();
        this.g = new Codegen(a, module, vm, options, cpu);
        this.ints = new IntegerLowering(g);
        this.floats = new FloatLowering(g);
        this.conversions = new ConversionLowering(g);
        this.memory = new MemoryLowering(g);
        this.calls = new CallLowering(g, type);
    }

    /** Compiles defined function {@code functionIndex} (function index space) of a validated module. */
    public static CompiledFunction compile(WasmModule module, VmContextLayout vm, CompilerOptions options,
                                           CpuFeatures cpu, int functionIndex) {
        return new FunctionCompiler(module, vm, options, cpu, functionIndex).compile();
    }

    private CompiledFunction compile() {
        ValType[] localTypes = localTypes();
        LocalHomes homes = new LocalHomes(localTypes, type.params().size(), body.codeUnsafe(),
                module.importedFunctionCount());
        g.localTypes = localTypes;
        g.localReg = homes.registers;
        g.localXmm = homes.xmmRegisters;
        g.reserveHomes(homes.gprHomeMask(), homes.xmmHomeMask());
        g.localSlot = homes.slots;
        g.frame = new FrameLayout(homes.saved, homes.slotCount);
        g.memoryBase = homes.usesMemory ? Gpr.R14 : null;
        emitEntry(localTypes);
        frames.add(new Frame(FUNCTION, a.newLabel(), null, 0, new ValType[0], type.results().toArray(ValType[]::new)));
        InstructionReader r = new InstructionReader(new ByteReader(body.codeUnsafe(), 0, body.codeUnsafe().length,
                body.codeOffset(), "unexpected end"));
        while (!r.atEnd() && !frames.isEmpty()) {
            Opcode op = r.next();
            if (unreachable) {
                skip(op);
                continue;
            }
            noteOffset((int) r.offset());
            if (g.size > 0 && g.kindAt(g.size - 1) == FLAGS && !consumesFlags(op)) g.materializeFlags();
            if (!keepsFlagsLocal(op)) g.flagsLocal = -1;
            instruction(op, r);
        }
        g.emitTrapSites();
        emitJumpTables();
        byte[] code = a.finish();
        Assembler p = new Assembler();
        g.frame.emitPrologue(p, g.frame.frameBytes(g.slotHighWater, g.maxOutgoing));
        return new CompiledFunction(p.finish(), code, g.relocations(),
                Arrays.copyOf(codeOffsets, offsetCount), Arrays.copyOf(wasmOffsets, offsetCount));
    }

    private ValType[] localTypes() {
        int params = type.params().size();
        long declared = body.localCount();
        if (params + declared > 50_000) throw new IllegalArgumentException("too many locals: " + (params + declared));
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
        if (g.memoryBase != null) a.mov(QWORD, g.memoryBase, Mem.of(Gpr.R15, (int) g.memoryBaseOffset));
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
            else a.mov(QWORD, g.localMem(i), 0);
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

    private static boolean consumesFlags(Opcode op) {
        return op == Opcode.BR_IF || op == Opcode.IF || op == Opcode.SELECT || op == Opcode.SELECT_T
                || op == Opcode.I32_EQZ || op == Opcode.DROP;
    }

    /** Instructions that neither change the flags before reading a condition nor invalidate {@code flagsLocal}. */
    private static boolean keepsFlagsLocal(Opcode op) {
        return op == Opcode.LOCAL_TEE || op == Opcode.BR_IF || op == Opcode.IF || op == Opcode.I32_EQZ
                || op == Opcode.I64_EQZ;
    }

    /** Unreachable code: skipped up to the else/end of the innermost open block. */
    private void skip(Opcode op) {
        switch (op) {
            case BLOCK, LOOP, IF -> skipDepth++;
            case ELSE -> {
                if (skipDepth == 0) doElse();
            }
            case END -> {
                if (skipDepth == 0) doEnd();
                else skipDepth--;
            }
            default -> { }
        }
    }

    // ---------------------------------------------------------------- control flow

    private ValType[][] blockSignature(BlockType bt) {
        if (bt.isEmpty()) return new ValType[][] {new ValType[0], new ValType[0]};
        if (!bt.isTypeIndex()) return new ValType[][] {new ValType[0], new ValType[] {bt.result()}};
        FuncType ft = module.types().get(bt.typeIndex());
        return new ValType[][] {ft.params().toArray(ValType[]::new), ft.results().toArray(ValType[]::new)};
    }

    private void block(int kind, BlockType bt) {
        ValType[][] sig = blockSignature(bt);
        Cond cond = null;
        if (kind == IF) cond = popCondition();
        g.flushAll();
        flushTop(sig[0].length); // parameters live in their slots, constants included: branches store there
        Frame f = new Frame(kind, a.newLabel(), kind == IF ? a.newLabel() : null, g.size - sig[0].length, sig[0], sig[1]);
        f.resultRegisters = resultRegisters(sig[1]);
        frames.add(f);
        if (kind == LOOP) a.bind(f.label);
        if (kind == IF) a.jcc(cond.negate(), f.elseLabel);
    }

    /** Pops an i32 condition and returns the condition code under which it is true (the flags are set). */
    private Cond popCondition() {
        return conditionOf(g.pop());
    }

    /** Tests popped i32 {@code c} and returns the condition code under which it is true. */
    private Cond conditionOf(Val c) {
        if (c.kind() == LOCAL && c.value() == g.flagsLocal) return Cond.NE; // set by the in-place update
        if (c.kind() == FLAGS) return Codegen.COND[(int) c.value()];
        g.flagsLocal = -1; // the test below replaces the flags
        if (c.kind() == SLOT || (c.kind() == LOCAL && g.localReg[(int) c.value()] == null)) {
            a.cmp(DWORD, g.memOf(c), 0);
            return Cond.NE;
        }
        Gpr r = g.readGpr(c);
        a.test(DWORD, r, r);
        g.doneReading(c, r);
        g.free(c);
        return Cond.NE;
    }

    /** Flushes the {@code count} values on top into their own slots. */
    private void flushTop(int count) {
        for (int i = g.size - count; i < g.size; i++) g.flushEntry(i);
    }

    /** Falling out of a block: its results (on top) to where the end label expects them. */
    private void moveResults(Frame f) {
        int n = f.results.length;
        if (f.resultRegisters == null) {
            flushTop(n);
            return;
        }
        Val[] values = new Val[n];
        for (int k = 0; k < n; k++) values[k] = g.peek(n - 1 - k);
        ParallelMove.run(g, values, f.resultRegisters);
    }

    private void doElse() {
        Frame f = frames.getLast();
        if (!unreachable) {
            moveResults(f);
            a.jmp(f.label);
        }
        a.bind(f.elseLabel);
        f.hadElse = true;
        g.resetTo(f.height, f.params);
        unreachable = false;
    }

    private void doEnd() {
        Frame f = frames.removeLast();
        if (f.kind == FUNCTION) {
            if (!unreachable) calls.emitReturn();
            a.bind(f.label);
            unreachable = true;
            return;
        }
        if (f.kind == IF && !f.hadElse) {
            if (f.resultRegisters != null) {
                if (!unreachable) {
                    moveResults(f);
                    a.jmp(f.label);
                }
                a.bind(f.elseLabel);
                g.resetTo(f.height, f.params); // the else path: parameters (= results) in their slots
                moveResults(f);
            } else {
                if (!unreachable) moveResults(f);
                a.bind(f.elseLabel);
            }
        } else if (!unreachable) {
            moveResults(f);
        }
        if (f.kind != LOOP) a.bind(f.label);
        g.truncate(f.height);
        if (f.resultRegisters == null) {
            for (ValType t : f.results) g.pushSlot(t);
        } else {
            for (int k = 0; k < f.results.length; k++) {
                if (f.resultRegisters[k] instanceof Gpr r) {
                    g.take(r);
                    g.pushReg(f.results[k], r);
                } else {
                    g.take((Xmm) f.resultRegisters[k]);
                    g.pushReg(f.results[k], (Xmm) f.resultRegisters[k]);
                }
            }
        }
        unreachable = false;
    }

    private Frame target(int depth) {
        return frames.get(frames.size() - 1 - depth);
    }

    /** True when the branch values already sit in the target's slots. */
    private boolean inPlace(Frame f) {
        int n = f.branchTypes().length;
        if (n == 0) return true;
        if (f.kind != LOOP && f.resultRegisters != null) {
            for (int k = 0; k < n; k++) {
                Val v = g.peek(n - 1 - k);
                if (v.kind() != REG || v.value() != f.resultRegisters[k].encoding()) return false;
            }
            return true;
        }
        if (g.size - n != f.height) return false;
        for (int i = g.size - n; i < g.size; i++) if (g.kindAt(i) != SLOT) return false;
        return true;
    }

    /** Stores the branch values on top into the target's slots (mov only; the stack is left as is). */
    private void moveBranchValues(Frame f) {
        if (f.kind != LOOP && f.resultRegisters != null) {
            moveResults(f);
            return;
        }
        int n = f.branchTypes().length;
        for (int k = 0; k < n; k++) {
            int from = g.size - n + k;
            int to = f.height + k;
            if (from == to && g.kindAt(from) == SLOT) continue;
            Val v = g.peek(n - 1 - k);
            Mem dst = g.slot(to);
            if (Codegen.isFloat(v.type())) {
                if (v.kind() == REG) {
                    g.storeXmm(dst, Xmm.of((int) v.value()), v.type());
                } else {
                    g.emitLoadXmm(Xmm.XMM15, v);
                    g.storeXmm(dst, Xmm.XMM15, v.type());
                }
            } else if (v.kind() == REG) {
                a.mov(QWORD, dst, Gpr.of((int) v.value()));
            } else if (v.kind() == CONST) {
                g.storeConst(dst, v.value());
            } else {
                g.emitLoad(Gpr.R11, v);
                a.mov(QWORD, dst, Gpr.R11);
            }
        }
    }

    /** Unconditional branch to {@code f}'s label (or return). */
    private void branch(Frame f) {
        if (f.kind == FUNCTION) {
            calls.emitReturn();
            return;
        }
        moveBranchValues(f);
        a.jmp(f.label);
    }

    private void br(int depth) {
        branch(target(depth));
        unreachable = true;
    }

    private void brIf(int depth) {
        Frame f = target(depth);
        Cond cond = popCondition();
        if (f.kind != FUNCTION && inPlace(f)) {
            a.jcc(cond, f.label);
            return;
        }
        if (f.kind == FUNCTION && type.results().size() > 1) g.spillRegisters();
        Label skip = a.newLabel();
        a.jcc(cond.negate(), skip);
        branch(f);
        a.bind(skip);
    }

    private void brTable(int[] targets, int defaultTarget) {
        Val index = g.pop();
        Gpr r = g.ownGpr(index);
        if (type.results().size() > 1) g.spillRegisters(); // return stubs must not change the stack state
        int count = targets.length;
        Label[] stubs = new Label[frames.size()];
        Label[] entries = new Label[count];
        for (int i = 0; i < count; i++) entries[i] = entryFor(targets[i], stubs);
        Label defaultLabel = entryFor(defaultTarget, stubs);
        a.cmp(DWORD, r, count);
        a.jcc(Cond.AE, defaultLabel);
        Label table = a.newLabel();
        a.lea(QWORD, Gpr.R11, Mem.rip(table));
        a.movsxd(r, Mem.of(Gpr.R11, r, 4, 0));
        a.add(QWORD, Gpr.R11, r);
        a.jmp(Gpr.R11);
        g.release(r);
        for (int depth = 0; depth < stubs.length; depth++) {
            if (stubs[depth] == null) continue;
            a.bind(stubs[depth]);
            branch(target(depth));
        }
        jumpTables.add(new JumpTable(table, entries));
        unreachable = true;
    }

    private Label entryFor(int depth, Label[] stubs) {
        Frame f = target(depth);
        if (f.kind != FUNCTION && inPlace(f)) return f.label;
        if (stubs[depth] == null) stubs[depth] = a.newLabel();
        return stubs[depth];
    }

    private void emitJumpTables() {
        for (JumpTable t : jumpTables) {
            a.align(4);
            a.bind(t.table());
            for (Label e : t.entries()) a.emitLabelOffset32(e, t.table());
        }
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
            else keep = conditionOf(c);
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
        else keep = conditionOf(c);
        a.cmov(keep.negate(), Codegen.sizeOf(t), d, s == null ? Gpr.R11 : s);
        if (s != null) g.doneReading(b, s);
        g.pushReg(t, d);
    }

    // ---------------------------------------------------------------- dispatch

    /** The local a following local.set/tee writes, or -1 (lets an operation update a local's register in place). */
    private int localUpdatedNext(InstructionReader r) {
        byte[] code = body.codeUnsafe();
        int pos = r.bytes().position();
        if (pos >= code.length || (code[pos] != 0x21 && code[pos] != 0x22)) return -1;
        int result = 0;
        int shift = 0;
        for (int i = pos + 1; i < code.length && shift < 35; i++, shift += 7) {
            result |= (code[i] & 0x7F) << shift;
            if ((code[i] & 0x80) == 0) return result;
        }
        return -1;
    }

    private void instruction(Opcode op, InstructionReader r) {
        switch (op) {
            case UNREACHABLE -> {
                a.jmp(g.trap(TrapKind.UNREACHABLE));
                unreachable = true;
            }
            case NOP -> { }
            case BLOCK -> block(BLOCK, r.blockType());
            case LOOP -> block(LOOP, r.blockType());
            case IF -> block(IF, r.blockType());
            case ELSE -> doElse();
            case END -> doEnd();
            case BR -> br(r.index());
            case BR_IF -> brIf(r.index());
            case BR_TABLE -> brTable(r.brTargets(), r.brDefault());
            case RETURN -> {
                calls.emitReturn();
                unreachable = true;
            }
            case CALL -> calls.call(r.index());
            case CALL_INDIRECT -> calls.callIndirect(r.index(), r.index2());
            case RETURN_CALL -> {
                calls.returnCall(r.index());
                unreachable = true;
            }
            case RETURN_CALL_INDIRECT -> {
                calls.returnCallIndirect(r.index(), r.index2());
                unreachable = true;
            }
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
                if (!Instructions.numericOrMemory(op, r, this.g, ints, floats, conversions, memory, calls,
                        localUpdatedNext(r))) {
                    throw new IllegalStateException("instruction not handled: " + op.text());
                }
            }
        }
    }
}
