package dev.isthmus.compiler.baseline;

import dev.isthmus.binary.BlockType;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.sequences.BranchTable;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.x64.Assembler;
import dev.isthmus.compiler.machine.SafepointPoll;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.Xmm;

import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.compiler.baseline.Codegen.CONST;
import static dev.isthmus.compiler.baseline.Codegen.FLAGS;
import static dev.isthmus.compiler.baseline.Codegen.LOCAL;
import static dev.isthmus.compiler.baseline.Codegen.REG;
import static dev.isthmus.compiler.baseline.Codegen.SLOT;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Structured control flow: the open blocks, where values meet at their labels (block/if results in registers, loop
 * parameters in their slots), branches with their value moves, br_table (through {@link BranchTable}), and skipping unreachable code.
 *
 * <pre>
 *   block/if (params p, results r)          loop (params p)
 *   ┌──────────────────────────┐            label ◀── br: params → their slots
 *   │ entry: stack flushed,    │            ┌──────────────────────────┐
 *   │ params in their slots    │            │ body                     │
 *   │ body                     │            └──────────────────────────┘
 *   └──────────────────────────┘
 *   label ◀── br / fall through: results → result registers (rax, rcx, ... / xmm0, ...)
 * </pre>
 */
final class ControlFlow {
    static final int BLOCK = 0;
    static final int LOOP = 1;
    static final int IF = 2;
    private static final int FUNCTION = 3;
    /** A try_table: a block whose calls and throws are covered by its catch clauses (landing pads out of line). */
    static final int TRY_TABLE = 4;
    /** A legacy try: its body is covered; its catch blocks follow inline, each entered from a landing pad. */
    static final int LEGACY_TRY = 5;

    /** A try_table's covered code range and what its landing pads need. */
    private static final class TryRange {
        int start;
        int end;
        Codegen.Snapshot below;
        int height;
        int[] kinds;
        int[] tags;
        Frame[] targets;
        /** Legacy try: the inline entries of its catch blocks (by clause), or null for a try_table. */
        List<Label> catchEntries;
        /** Legacy delegate: the range that handles next (null: the caller), when {@link #delegates}. */
        TryRange delegateTo;
        boolean delegates;
    }

    private static final ValType EXN = ValType.ref(false, ValType.HEAP_EXN);

    /** Closed try_tables, innermost first (a try ends before any try around it). */
    private final List<TryRange> tries = new ArrayList<>();

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
        TryRange tryRange;
        /** Legacy try: still in its body (else in a catch block, with the caught exnref at slot {@code height}). */
        boolean inBody;

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

    private final WasmModule module;
    private final FuncType type;
    private final Codegen g;
    private final Assembler a;
    private final CallLowering calls;
    private final List<Frame> frames = new ArrayList<>();
    private boolean unreachable;
    private int skipDepth;

    ControlFlow(WasmModule module, FuncType type, Codegen g, CallLowering calls) {
        this.module = module;
        this.type = type;
        this.g = g;
        this.a = g.a;
        this.calls = calls;
        frames.add(new Frame(FUNCTION, a.newLabel(), null, 0, new ValType[0], type.results().toArray(ValType[]::new)));
    }

    /** True after the function's final end. */
    boolean finished() {
        return frames.isEmpty();
    }

    boolean isUnreachable() {
        return unreachable;
    }

    /** After unreachable, return and tail calls: code up to the next else/end is skipped. */
    void markUnreachable() {
        unreachable = true;
    }

    /** Unreachable code: skipped up to the else/end of the innermost open block. */
    void skip(Opcode op) {
        switch (op) {
            case BLOCK, LOOP, IF, TRY_TABLE, TRY -> skipDepth++;
            case CATCH, CATCH_ALL -> {
                if (skipDepth == 0) legacyCatch(op == Opcode.CATCH_ALL ? -1 : pendingTag);
            }
            case DELEGATE -> {
                if (skipDepth == 0) delegate(pendingLabel);
                else skipDepth--;
            }
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

    void block(int kind, BlockType bt) {
        ValType[][] sig = blockSignature(bt);
        Cond cond = null;
        if (kind == IF) cond = popCondition();
        g.flushAll();
        flushTop(sig[0].length); // parameters live in their slots, constants included: branches store there
        Frame f = new Frame(kind, a.newLabel(), kind == IF ? a.newLabel() : null, g.size - sig[0].length, sig[0], sig[1]);
        f.resultRegisters = resultRegisters(sig[1]);
        frames.add(f);
        if (kind == LOOP) {
            int loopAlignment = g.options.alignment().loopAlignment();
            if (loopAlignment > 1) a.align(loopAlignment);   // multi-byte nops, run once on entry
            a.bind(f.label);
            SafepointPoll.emit(a);                            // every back-edge lands here
            g.flagsLocal = -1;                                // (the poll writes the flags)
        }
        if (kind == IF) a.jcc(cond.negate(), f.elseLabel);
    }

    /** Pops an i32 condition and returns the condition code under which it is true (the flags are set). */
    Cond popCondition() {
        return conditionOf(g.pop());
    }

    /** Tests popped i32 {@code c} and returns the condition code under which it is true. */
    Cond conditionOf(Val c) {
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

    void doElse() {
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

    /**
     * {@code try_table}: a block; the clauses' labels are resolved outside it, and the stack below it (all slots and
     * constants after the block's entry) is what its landing pads start from.
     */
    void tryTable(BlockType bt, int[] kinds, int[] tags, int[] labels) {
        Frame[] targets = new Frame[labels.length];
        for (int i = 0; i < labels.length; i++) targets[i] = target(labels[i]);
        block(TRY_TABLE, bt);
        Frame f = frames.getLast();
        TryRange t = new TryRange();
        t.height = f.height;
        t.below = g.snapshot(f.height);
        t.kinds = kinds;
        t.tags = tags;
        t.targets = targets;
        t.start = a.position();
        f.tryRange = t;
    }

    /**
     * After the body: one landing pad per catch clause, and the handler table of the function's unwind table
     * ({@link dev.isthmus.runtime.abi.FrameUnwind#handlers()}), offsets from the entry. A pad starts with rsp, rbp and
     * the callee-saved registers as at the call that threw (the dispatch restored them) and rax = the delivered
     * values (16 bytes each): r15 from the frame when the function saves it, the stack of the try's entry, the
     * values to their slots, then the branch to the clause's label.
     */
    int[] emitLandingPads() {
        if (tries.isEmpty()) return new int[0];
        List<Integer> table = new ArrayList<>();
        for (TryRange t : tries) {
            table.add(g.frame.offsetOf(t.start));
            table.add(g.frame.offsetOf(t.end));
            if (t.delegates) {
                table.add(1);
                table.add(dev.isthmus.runtime.abi.FrameUnwind.DELEGATE);
                table.add(t.delegateTo == null ? -1 : tries.indexOf(t.delegateTo));
                table.add(0);
                continue;
            }
            table.add(t.kinds.length);
            for (int c = 0; c < t.kinds.length; c++) {
                table.add(t.kinds[c]);
                table.add(t.tags[c]);
                table.add(g.frame.offsetOf(a.position()));
                if (t.catchEntries != null) emitLegacyLandingPad(t, c);
                else emitLandingPad(t, c);
            }
        }
        unreachable = true;
        int[] out = new int[table.size()];
        for (int i = 0; i < out.length; i++) out[i] = table.get(i);
        return out;
    }

    /** A legacy catch's pad: the exnref to slot {@code height} (for rethrow), the payload above it, then its block. */
    private void emitLegacyLandingPad(TryRange t, int clause) {
        if (g.frame.savedRegisters().contains(Gpr.R15)) a.mov(QWORD, Gpr.R15, g.frame.savedSlot(Gpr.R15));
        if (g.memoryBase != null) a.mov(QWORD, g.memoryBase, Mem.of(Gpr.R15, g.memoryBaseOffset));
        int kind = t.kinds[clause];
        List<ValType> payload = kind == dev.isthmus.runtime.abi.FrameUnwind.CATCH_REF
                || kind == dev.isthmus.runtime.abi.FrameUnwind.CATCH
                ? module.types().get(module.tagTypeIndex(t.tags[clause])).params() : List.of();
        int n = payload.size();
        if (rethrows) {
            a.mov(QWORD, Gpr.R11, Mem.of(Gpr.RAX, 16 * n));      // the exnref comes after the payload
            a.mov(QWORD, g.slot(t.height), Gpr.R11);
        }
        for (int j = 0; j < n; j++) copyDelivered(payload.get(j), Mem.of(Gpr.RAX, 16 * j), g.slot(t.height + 1 + j));
        a.jmp(t.catchEntries.get(clause));
    }

    private void copyDelivered(ValType type, Mem src, Mem dst) {
        if (type == ValType.V128) {
            g.loadXmm(Xmm.XMM15, src, type);
            g.storeXmm(dst, Xmm.XMM15, type);
        } else {
            a.mov(QWORD, Gpr.R11, src);
            a.mov(QWORD, dst, Gpr.R11);
        }
    }

    /** Whether the function has a legacy rethrow (else its legacy catches take no exnref). */
    boolean rethrows;

    /** The tag of a legacy catch met while skipping unreachable code (FunctionCompiler sets it). */
    int pendingTag;
    /** The label of a legacy delegate met while skipping unreachable code. */
    int pendingLabel;

    /** Legacy {@code try}: a block whose body is a covered range; its clauses come with its catches. */
    void legacyTry(BlockType bt) {
        block(LEGACY_TRY, bt);
        Frame f = frames.getLast();
        TryRange t = new TryRange();
        t.height = f.height;
        t.below = g.snapshot(f.height);
        t.kinds = new int[0];
        t.tags = new int[0];
        t.catchEntries = new ArrayList<>();
        t.start = a.position();
        f.tryRange = t;
        f.inBody = true;
    }

    /**
     * Legacy {@code catch tag} ({@code tag} -1: {@code catch_all}): the body (or previous catch block) falls to the
     * end label; the new catch block starts inline, entered from its landing pad with the stack of the try's entry,
     * the caught exnref at slot {@code height} (hidden from wasm, read by rethrow) and the payload above it.
     */
    void legacyCatch(int tag) {
        Frame f = frames.getLast();
        if (f.kind != LEGACY_TRY) throw new IllegalStateException("catch outside a try");
        TryRange t = f.tryRange;
        if (f.inBody) {
            t.end = a.position();                              // recorded now, listed once all clauses are known
            f.inBody = false;
            if (!tries.contains(t)) tries.add(t);
        }
        if (!unreachable) {
            moveResults(f);
            a.jmp(f.label);
        }
        Label entry = a.newLabel();
        a.bind(entry);
        t.catchEntries.add(entry);
        int n = t.kinds.length;
        t.kinds = java.util.Arrays.copyOf(t.kinds, n + 1);
        t.tags = java.util.Arrays.copyOf(t.tags, n + 1);
        // the exnref (a handle, kept for the exception's life) only when the function has a rethrow to use it
        t.kinds[n] = tag < 0
                ? (rethrows ? dev.isthmus.runtime.abi.FrameUnwind.CATCH_ALL_REF : dev.isthmus.runtime.abi.FrameUnwind.CATCH_ALL)
                : (rethrows ? dev.isthmus.runtime.abi.FrameUnwind.CATCH_REF : dev.isthmus.runtime.abi.FrameUnwind.CATCH);
        t.tags[n] = tag < 0 ? -1 : tag;
        g.restore(t.below);
        g.flagsLocal = -1;
        g.pushSlot(EXN);
        if (tag >= 0) for (ValType p : module.types().get(module.tagTypeIndex(tag)).params()) g.pushSlot(p);
        unreachable = false;
    }

    /**
     * Legacy {@code delegate l}: ends the try (as end does); its body's exceptions go to the handlers of the
     * innermost try around label {@code l} (counted outside this try) that is still in its body, or to the caller.
     */
    void delegate(int label) {
        Frame f = frames.getLast();
        TryRange t = f.tryRange;
        t.end = a.position();
        f.inBody = false;
        t.delegates = true;
        t.delegateTo = null;
        for (int i = frames.size() - 2 - label; i >= 0; i--) {
            Frame outer = frames.get(i);
            if (outer.tryRange != null && (outer.kind == TRY_TABLE || outer.inBody)) {
                t.delegateTo = outer.tryRange;
                break;
            }
        }
        tries.add(t);
        f.tryRange = null;
        doEnd();
    }

    /** Legacy {@code rethrow l}: the exnref the catch block at label {@code l} caught, thrown again. */
    void rethrow(int depth) {
        calls.throwRefFrom(g.slot(target(depth).height));
        markUnreachable();
    }

    private void emitLandingPad(TryRange t, int clause) {
        if (g.frame.savedRegisters().contains(Gpr.R15)) a.mov(QWORD, Gpr.R15, g.frame.savedSlot(Gpr.R15));
        if (g.memoryBase != null) a.mov(QWORD, g.memoryBase, Mem.of(Gpr.R15, g.memoryBaseOffset));
        g.restore(t.below);
        g.flagsLocal = -1;
        int kind = t.kinds[clause];
        List<ValType> delivered = new ArrayList<>();
        if (kind == dev.isthmus.runtime.abi.FrameUnwind.CATCH || kind == dev.isthmus.runtime.abi.FrameUnwind.CATCH_REF) {
            delivered.addAll(module.types().get(module.tagTypeIndex(t.tags[clause])).params());
        }
        if (kind == dev.isthmus.runtime.abi.FrameUnwind.CATCH_REF || kind == dev.isthmus.runtime.abi.FrameUnwind.CATCH_ALL_REF) {
            delivered.add(ValType.ref(false, ValType.HEAP_EXN));
        }
        for (int j = 0; j < delivered.size(); j++) {
            ValType type = delivered.get(j);
            Mem dst = g.slot(t.height + j);
            Mem src = Mem.of(Gpr.RAX, 16 * j);
            if (type == ValType.V128) {
                g.loadXmm(Xmm.XMM15, src, type);
                g.storeXmm(dst, Xmm.XMM15, type);
            } else {
                a.mov(QWORD, Gpr.R11, src);
                a.mov(QWORD, dst, Gpr.R11);
            }
            g.pushSlot(type);
        }
        branch(t.targets[clause]);
    }

    void doEnd() {
        Frame f = frames.removeLast();
        if (f.tryRange != null && (f.kind == TRY_TABLE || f.inBody)) {
            f.tryRange.end = a.position();
            tries.add(f.tryRange);
        }
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

    void br(int depth) {
        branch(target(depth));
        unreachable = true;
    }

    void brIf(int depth) {
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

    /**
     * {@code br_on_null l}: the reference is tested into the flags and taken off the stack, so that the branch
     * carries the values below it, as {@link #brIf} does for a condition; it stays (non-null) on the fall-through.
     */
    void brOnNull(int depth) {
        Val ref = g.pop();
        Gpr r = g.ownGpr(ref);
        a.test(QWORD, r, r);
        g.pushFlags(Cond.E);
        brIf(depth);
        g.pushReg(ref.type().asNonNull(), r);
    }

    /** {@code br_on_non_null l}: the branch carries the reference (last of the label's values); it is dropped on the fall-through. */
    void brOnNonNull(int depth) {
        Val ref = g.pop();
        Gpr r = g.ownGpr(ref);
        g.pushReg(ref.type().asNonNull(), r);
        a.test(QWORD, r, r);
        g.pushFlags(Cond.NE);
        brIf(depth);
        g.free(g.pop());
    }

    void brTable(int[] targets, int defaultTarget) {
        Val index = g.pop();
        int count = targets.length;
        if (index.kind() == CONST) { // the target is known: a plain branch
            long v = index.value() & 0xFFFF_FFFFL;
            br(v < count ? targets[(int) v] : defaultTarget);
            return;
        }
        Gpr r = g.ownGpr(index);
        if (type.results().size() > 1) g.spillRegisters(); // return stubs must not change the stack state
        Label[] stubs = new Label[frames.size()];
        Label[] entries = new Label[count];
        for (int i = 0; i < count; i++) entries[i] = entryFor(targets[i], stubs);
        Label defaultLabel = entryFor(defaultTarget, stubs);
        BranchTable.emit(a, r, entries, defaultLabel, null, false, Gpr.R11, r);
        g.release(r);
        for (int depth = 0; depth < stubs.length; depth++) {
            if (stubs[depth] == null) continue;
            a.bind(stubs[depth]);
            branch(target(depth));
        }
        unreachable = true;
    }

    private Label entryFor(int depth, Label[] stubs) {
        Frame f = target(depth);
        if (f.kind != FUNCTION && inPlace(f)) return f.label;
        if (stubs[depth] == null) stubs[depth] = a.newLabel();
        return stubs[depth];
    }

}
