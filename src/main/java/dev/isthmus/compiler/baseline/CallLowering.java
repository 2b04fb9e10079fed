package dev.isthmus.compiler.baseline;

import dev.isthmus.compiler.machine.TailCallEffects;
import dev.isthmus.compiler.machine.FrameLayout;
import dev.isthmus.compiler.machine.ValueLocations;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.TableLayout;
import dev.isthmus.runtime.abi.TypeIds;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.Xmm;

import java.util.List;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Calls, returns and tail calls under the {@link dev.isthmus.runtime.abi.WasmAbi}, and calls of runtime
 * {@link Builtin}s (SysV, rdi = vmctx). Before any call the register entries of the value stack go to their
 * slots (every allocatable register is caller-saved); locals in callee-saved registers stay.
 */
final class CallLowering {
    private static final List<Gpr> BUILTIN_ARGS = List.of(Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8, Gpr.R9);

    private final Codegen g;
    private final Assembler a;
    private final FuncType self;
    private final TailCallEffects effects;

    CallLowering(Codegen g, FuncType self, TailCallEffects effects) {
        this.g = g;
        this.a = g.a;
        this.self = self;
        this.effects = effects;
    }

    private boolean isImport(int function) {
        return function < g.module.importedFunctionCount();
    }

    private static int slotsOf(FuncType t) {
        return TailCallEffects.slotsOf(t);
    }

    private Val[] popArgs(int n) {
        Val[] args = new Val[n];
        for (int i = n - 1; i >= 0; i--) args[i] = g.pop();
        return args;
    }

    /** {@code call f}. */
    void call(int function) {
        FuncType t = g.module.functionType(function);
        Val[] args = popArgs(t.params().size());
        g.spillRegisters(); // the values below the arguments
        moveArgs(t, args);
        if (isImport(function)) {
            a.lea(QWORD, Gpr.R10, Mem.of(Gpr.R15, (int) g.vm.funcRef(function)));
            callFuncRef();
            pushResults(t);
            g.frame.emitStackReset(a);
        } else {
            g.emitDirect(false, function);
            pushResults(t);
            if (effects.irregularExit(function)) {
                a.mov(QWORD, Gpr.R15, g.frame.savedSlot(Gpr.R15));
                g.frame.emitStackReset(a);
            }
        }
    }

    /** {@code call_indirect (type) table}: index on top of the arguments. */
    void callIndirect(int typeIndex, int table) {
        FuncType t = g.module.types().get(typeIndex);
        g.spillRegisters();
        Val index = g.pop();
        Val[] args = popArgs(t.params().size());
        lookupFuncRef(index, table, typeIndex);
        loadArgs(t, args, false);
        callFuncRef();
        pushResults(t);
        g.frame.emitStackReset(a);
    }

    /**
     * {@code return_call f}: always a jump, so a chain of tail calls runs in constant stack space (see
     * {@link #tailJump}); to an import through its func ref, with the callee's vmctx.
     */
    void returnCall(int function) {
        FuncType t = g.module.functionType(function);
        g.spillRegisters();
        Val[] args = popArgs(t.params().size());
        boolean viaFuncRef = isImport(function);
        tailJump(t, args, viaFuncRef, () -> {
            if (viaFuncRef) a.lea(QWORD, Gpr.R10, Mem.of(Gpr.R15, (int) g.vm.funcRef(function)));
        }, function);
    }

    /** {@code return_call_indirect}: a jump to the checked func ref, with its vmctx (any instance). */
    void returnCallIndirect(int typeIndex, int table) {
        FuncType t = g.module.types().get(typeIndex);
        g.spillRegisters();
        Val index = g.pop();
        Val[] args = popArgs(t.params().size());
        lookupFuncRef(index, table, typeIndex);
        tailJump(t, args, true, () -> {}, -1);
    }

    /** {@code call_ref $t}: the function reference on top of the arguments, null-checked, called like a func ref. */
    void callRef(int typeIndex) {
        FuncType t = g.module.types().get(typeIndex);
        g.spillRegisters();
        Val ref = g.pop();
        Val[] args = popArgs(t.params().size());
        loadNonNullFuncRef(ref);
        loadArgs(t, args, false);
        callFuncRef();
        pushResults(t);
        g.frame.emitStackReset(a);
    }

    /** {@code return_call_ref $t}: a jump to the null-checked func ref with its vmctx, as return_call_indirect. */
    void returnCallRef(int typeIndex) {
        FuncType t = g.module.types().get(typeIndex);
        g.spillRegisters();
        Val ref = g.pop();
        Val[] args = popArgs(t.params().size());
        loadNonNullFuncRef(ref);
        tailJump(t, args, true, () -> {}, -1);
    }

    /**
     * r10 = the func ref {@code ref}, trapping "null function reference" on null. Its type needs no check: the
     * validator proved it is of the called type.
     */
    private void loadNonNullFuncRef(Val ref) {
        g.emitLoad(Gpr.R10, ref);
        a.test(QWORD, Gpr.R10, Gpr.R10);
        a.jcc(Cond.E, g.trap(TrapCode.NULL_FUNCTION_REFERENCE));
    }

    /**
     * A tail call of type {@code t}: to the func ref in r10 ({@code viaFuncRef}, r15 = its vmctx) or to defined
     * function {@code function}. {@code loadFuncRef} runs after the arguments are loaded, while r15 is still ours.
     * When the callee needs as many stack slots as this function's incoming area, the arguments go to that area
     * and the frame is torn down; otherwise they are staged in the outgoing area and the frame is resized
     * ({@link FrameLayout#emitResizingTeardown}).
     */
    private void tailJump(FuncType t, Val[] args, boolean viaFuncRef, Runnable loadFuncRef, int function) {
        int extra = slotsOf(t) - slotsOf(self);
        if (extra == 0) {
            loadArgs(t, args, true);
            loadFuncRef.run();
            g.frame.emitTeardown(a);
        } else {
            loadArgs(t, args, false);
            loadFuncRef.run();
            g.frame.emitResizingTeardown(a, extra, ValueLocations.ofParams(t.params()).stackSlotCount());
        }
        if (viaFuncRef) {
            a.mov(QWORD, Gpr.R15, Mem.of(Gpr.R10, (int) FuncRefLayout.VMCTX));
            a.jmp(Mem.of(Gpr.R10, (int) FuncRefLayout.CODE));
        } else {
            g.emitDirect(true, function);
        }
    }

    /**
     * r10 = the func ref at {@code table[index]}, checked: index in range ("undefined element"), not null
     * ("uninitialized element"), canonical type id equal ("indirect call type mismatch").
     */
    private void lookupFuncRef(Val index, int table, int typeIndex) {
        g.emitLoad(Gpr.RAX, index);
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R15, (int) g.vm.table(table)));
        a.cmp(QWORD, Gpr.RAX, Mem.of(Gpr.R11, (int) TableLayout.SIZE));
        a.jcc(Cond.AE, g.trap(TrapCode.UNDEFINED_ELEMENT));
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R11, (int) TableLayout.ELEMENTS));
        a.mov(QWORD, Gpr.R10, Mem.of(Gpr.R11, Gpr.RAX, 8, 0));
        a.test(QWORD, Gpr.R10, Gpr.R10);
        a.jcc(Cond.E, g.trap(TrapCode.UNINITIALIZED_ELEMENT));
        a.cmpImm32(QWORD, Mem.of(Gpr.R10, (int) FuncRefLayout.TYPE_ID), TypeIds.of(g.module, typeIndex));
        g.typeIdSites.add(a.position() - 4, typeIndex);
        a.jcc(Cond.NE, g.trap(TrapCode.INDIRECT_CALL_TYPE_MISMATCH));
    }

    /**
     * Calls the func ref in r10 with its vmctx in r15; ours was pushed by the prologue and is reloaded. The callee
     * may return with rsp moved: callers reset it ({@link FrameLayout#emitStackReset}) once stack results are read.
     */
    private void callFuncRef() {
        Mem saved = g.frame.savedSlot(Gpr.R15);
        a.mov(QWORD, Gpr.R15, Mem.of(Gpr.R10, (int) FuncRefLayout.VMCTX));
        a.call(Mem.of(Gpr.R10, (int) FuncRefLayout.CODE));
        a.mov(QWORD, Gpr.R15, saved);
    }

    /**
     * Moves arguments to their locations: stack arguments to the outgoing slots, or for a tail call to this
     * function's incoming slots. Sources are slots, constants or callee-saved homes, so no move clobbers another.
     */
    private void loadArgs(FuncType t, Val[] args, boolean tail) {
        ValueLocations pl = ValueLocations.ofParams(t.params());
        if (!tail) g.noteOutgoing(slotsOf(t));
        for (int i = 0; i < args.length; i++) {
            int slot = pl.stackSlot(i);
            if (slot < 0) continue;
            Mem dst = tail ? FrameLayout.incomingSlot(slot) : FrameLayout.outgoingSlot(slot);
            if (Codegen.isFloat(args[i].type())) {
                g.emitLoadXmm(Xmm.XMM15, args[i]);
                g.storeStackSlot(dst, Xmm.XMM15, args[i].type());
            } else {
                g.emitLoad(Gpr.R11, args[i]);
                a.mov(QWORD, dst, Gpr.R11);
            }
        }
        for (int i = 0; i < args.length; i++) {
            if (pl.gpr(i) != null) g.emitLoad(pl.gpr(i), args[i]);
            else if (pl.xmm(i) != null) g.emitLoadXmm(pl.xmm(i), args[i]);
        }
    }

    /**
     * Moves arguments that may still be in registers to their locations: stack arguments first, then the register
     * arguments as one {@link ParallelMove}; the argument registers are free again afterwards.
     */
    private void moveArgs(FuncType t, Val[] args) {
        ValueLocations pl = ValueLocations.ofParams(t.params());
        g.noteOutgoing(slotsOf(t));
        int inRegisters = 0;
        for (int i = 0; i < args.length; i++) {
            int slot = pl.stackSlot(i);
            if (slot < 0) {
                inRegisters++;
                continue;
            }
            Val v = args[i];
            Mem dst = FrameLayout.outgoingSlot(slot);
            if (v.kind() == Codegen.REG && Codegen.isFloat(v.type())) {
                g.storeStackSlot(dst, Xmm.of((int) v.value()), v.type());
            } else if (v.kind() == Codegen.REG) a.mov(QWORD, dst, Gpr.of((int) v.value()));
            else if (Codegen.isFloat(v.type())) {
                g.emitLoadXmm(Xmm.XMM15, v);
                g.storeStackSlot(dst, Xmm.XMM15, v.type());
            } else {
                g.emitLoad(Gpr.R11, v);
                a.mov(QWORD, dst, Gpr.R11);
            }
        }
        Val[] values = new Val[inRegisters];
        dev.isthmus.x64.Register[] targets = new dev.isthmus.x64.Register[inRegisters];
        int k = 0;
        for (int i = 0; i < args.length; i++) {
            if (pl.stackSlot(i) >= 0) continue;
            values[k] = args[i];
            targets[k++] = pl.gpr(i) != null ? pl.gpr(i) : pl.xmm(i);
        }
        ParallelMove.run(g, values, targets);
        for (Val v : args) g.free(v);
    }

    /** After a call: register results become register entries, stack results are copied to their slots. */
    private void pushResults(FuncType t) {
        ValueLocations rl = ValueLocations.ofResults(t.results());
        List<ValType> rs = t.results();
        for (int i = 0; i < rs.size(); i++) {
            ValType type = rs.get(i);
            if (rl.gpr(i) != null) {
                g.take(rl.gpr(i)); // compiled code and host adapters return i32 zero-extended
                g.pushReg(type, rl.gpr(i));
            } else if (rl.xmm(i) != null) {
                g.take(rl.xmm(i));
                g.pushReg(type, rl.xmm(i));
            } else if (type == ValType.V128) {
                g.loadXmm(Xmm.XMM15, FrameLayout.outgoingSlot(rl.stackSlot(i)), type);
                g.storeXmm(g.slot(g.size), Xmm.XMM15, type);
                g.pushSlot(type);
            } else {
                a.mov(QWORD, Gpr.R11, FrameLayout.outgoingSlot(rl.stackSlot(i)));
                a.mov(QWORD, g.slot(g.size), Gpr.R11);
                g.pushSlot(type);
            }
        }
    }

    /**
     * Moves the results on top of the stack to their locations and returns. The stack is left as it was (the
     * caller discards it), so this also serves conditional returns.
     */
    void emitReturn() {
        List<ValType> rs = self.results();
        ValueLocations rl = ValueLocations.ofResults(rs);
        if (rs.size() == 1 && rl.stackSlot(0) < 0) {
            Val v = g.peek(0);
            if (rl.gpr(0) != null) g.emitLoad(rl.gpr(0), v);
            else g.emitLoadXmm(rl.xmm(0), v);
        } else if (!rs.isEmpty()) {
            g.spillRegisters();
            int n = rs.size();
            for (int i = 0; i < n; i++) {
                int slot = rl.stackSlot(i);
                if (slot < 0) continue;
                Val v = g.peek(n - 1 - i);
                if (Codegen.isFloat(v.type())) {
                    g.emitLoadXmm(Xmm.XMM15, v);
                    g.storeStackSlot(FrameLayout.incomingSlot(slot), Xmm.XMM15, v.type());
                } else {
                    g.emitLoad(Gpr.R11, v);
                    a.mov(QWORD, FrameLayout.incomingSlot(slot), Gpr.R11);
                }
            }
            for (int i = 0; i < n; i++) {
                Val v = g.peek(n - 1 - i);
                if (rl.gpr(i) != null) g.emitLoad(rl.gpr(i), v);
                else if (rl.xmm(i) != null) g.emitLoadXmm(rl.xmm(i), v);
            }
        }
        g.frame.emitEpilogue(a);
    }

    /**
     * Calls builtin {@code b} with the top {@code argc} stack values after the {@code leading} constants; when
     * {@code status} the result is a trap code to raise if nonzero, otherwise it is pushed as {@code resultType}
     * (null: no result).
     */
    /**
     * {@code throw tag}: the payload to its operand slots (consecutive, descending), then the throw stub, which does
     * not return here (see runtime.instance.ExceptionDispatch).
     */
    void throwTag(int tag) {
        FuncType t = g.module.types().get(g.module.tagTypeIndex(tag));
        int n = t.params().size();
        g.spillRegisters();
        for (int i = g.size - n; i < g.size; i++) g.flushEntry(i);
        if (n > 0) a.lea(QWORD, Gpr.RDX, g.slot(g.size - n));
        else a.mov(DWORD, Gpr.RDX, 0);
        a.movabs(Gpr.RSI, tag | (long) g.frame.slotBytes() << 32);
        callThrowStub();
        for (int i = 0; i < n; i++) g.free(g.pop());
    }

    /** {@code throw_ref}: the exnref (a handle; null traps) to the throw stub. */
    void throwRef() {
        g.spillRegisters();
        Val ref = g.pop();
        g.emitLoad(Gpr.RDX, ref);
        g.free(ref);
        a.mov(QWORD, Gpr.RSI, -1);
        callThrowStub();
    }

    /** Legacy {@code rethrow}: the exnref a catch block keeps in its hidden slot {@code slot}. */
    void throwRefFrom(Mem slot) {
        g.spillRegisters();
        a.mov(QWORD, Gpr.RDX, slot);
        a.mov(QWORD, Gpr.RSI, -1);
        callThrowStub();
    }

    private void callThrowStub() {
        a.mov(QWORD, Gpr.RDI, Gpr.R15);
        a.call(Mem.of(Gpr.R15, (int) g.vm.throwStub()));
        a.ud2();
    }

    void builtin(Builtin b, long[] leading, int argc, boolean status, ValType resultType) {
        g.spillRegisters();
        Val[] args = popArgs(argc);
        int k = 0;
        for (long c : leading) a.mov(QWORD, BUILTIN_ARGS.get(k++), c);
        for (Val v : args) g.emitLoad(BUILTIN_ARGS.get(k++), v);
        a.mov(QWORD, Gpr.RDI, Gpr.R15);
        a.call(Mem.of(Gpr.R15, (int) g.vm.builtin(b)));
        if (status) {
            Label ok = a.newLabel();
            a.test(DWORD, Gpr.RAX, Gpr.RAX);
            a.jcc(Cond.E, ok);
            a.mov(DWORD, Gpr.RDI, Gpr.RAX);
            a.call(Mem.of(Gpr.R15, g.raiseStubOffset));
            a.ud2();
            a.bind(ok);
        }
        if (g.memoryBase != null) a.mov(QWORD, g.memoryBase, Mem.of(Gpr.R15, g.memoryBaseOffset));
        if (resultType != null) {
            g.take(Gpr.RAX);
            if (resultType == ValType.I32) a.mov(DWORD, Gpr.RAX, Gpr.RAX);
            g.pushReg(resultType, Gpr.RAX);
        }
    }
}
