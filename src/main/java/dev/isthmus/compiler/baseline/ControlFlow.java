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
    /**
     * A legacy try: its body is covered; its catch blocks are compiled out of line after the function's body, each
     * after its landing pad, so that the body falls through to the end as a block's does.
     */
    static final int LEGACY_TRY = 5;

    /**
     * A covered code range (one entry of the handler table) and what its landing pads need: a try_table's or a
     * legacy try's body, or the out-of-line code of a legacy try's catch blocks ({@link #region}).
     */
    private static final class TryRange {
        int start;
        int end;
        Codegen.Snapshot below;
        int height;
        int[] kinds = new int[0];
        int[] tags = new int[0];
        Frame[] targets;
        /** Landing pads by clause (code positions): a legacy try's as its catches are compiled, a try_table's at the end. */
        int[] pads = new int[0];
        /** Whether this is a legacy try (its catch blocks follow their landing pads, out of line). */
        boolean legacy;
        /** Legacy delegate: the range that handles next (null: the caller), when {@link #delegates}. */
        TryRange delegateTo;
        boolean delegates;
        /**
         * The innermost try around this one that covers it (a try_table, or a legacy try still in its body), or
         * null: what handles an exception none of this range's clauses catches.
         */
        TryRange parent;
        /** The out-of-line code of catch blocks: covered by {@link #parent}'s handlers, not by its own. */
        boolean region;
        /** A legacy try's catch blocks: the ranges closed in their out-of-line code, their region last. */
        List<TryRange> catchRanges;
    }

    /**
     * A legacy try's catch blocks, left for later: where their first {@code catch} is in the body's code, and the
     * open blocks as they were there: the try's own one, in its catch state, and the frames below it (shared, never
 * changed once another frame covers them).
     */
    record Deferred(int position, Frame top, TryRange owner) {
    }

    private static final ValType EXN = ValType.ref(false, ValType.HEAP_EXN);

    /**
     * The ranges closed in the code being compiled (the body's, or one deferred catch sequence's), innermost first
     * (a try ends before any try around it).
     */
    private List<TryRange> tries = new ArrayList<>();
    /** The body's closed ranges: each legacy try's {@link TryRange#catchRanges} follow it in the table. */
    private final List<TryRange> bodyTries = tries;
    /** Catch blocks still to compile, in the order their tries were met. */
    private final java.util.ArrayDeque<Deferred> deferred = new java.util.ArrayDeque<>();
    /** While a deferred catch sequence is compiled: the frame count with its try's frame on top (else -1). */
    private int chainDepth = -1;
    private boolean chainDone;
    private int chainStart;
    /** Set when a legacy try's first catch was met in the body: the caller skips to the try's end. */
    boolean skipCatches;

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
        /** The frame below (null for the function's), its position in the stack, and a jump pointer further down. */
        Frame parent;
        int index;
        Frame jump;
        /** The innermost try covering code directly inside this frame (its own while it covers, else its parent's). */
        TryRange active;

        Frame(int kind, Label label, Label elseLabel, int height, ValType[] params, ValType[] results) {
            this.kind = kind;
            this.label = label;
            this.elseLabel = elseLabel;
            this.height = height;
            this.params = params;
            this.results = results;
        }

        /** A copy in the same place of the stack, to change while the original stays in deferred snapshots. */
        Frame copy() {
            Frame f = new Frame(kind, label, elseLabel, height, params, results);
            f.resultRegisters = resultRegisters;
            f.hadElse = hadElse;
            f.tryRange = tryRange;
            f.inBody = inBody;
            f.parent = parent;
            f.index = index;
            f.jump = jump;
            f.active = active;
            return f;
        }

        /** A legacy try's frame past its body (in a catch block, or ended by delegate): its try covers no more. */
        Frame outOfBody() {
            Frame f = copy();
            f.inBody = false;
            f.active = parent.active;
            return f;
        }

        /**
         * The frame at stack position {@code target} (at most this one's) in O(log depth): jump pointers as in a
         * skew-binary random-access list (each jump skips 2^k - 1 frames).
         */
        Frame ancestor(int target) {
            Frame f = this;
            while (f.index > target) {
                f = f.jump.index >= target ? f.jump : f.parent;
            }
            return f;
        }

        ValType[] branchTypes() {
            return kind == LOOP ? params : results;
        }
    }

    /**
     * The open blocks, outermost first: a live list above an optional shared base (while a deferred catch sequence
     * is compiled: the frames as they were at its try, whose top is the try's). Taking a snapshot is keeping the top
     * frame: frames are never changed once covered (a change to the top one replaces it, {@link #replaceTop}), so
     * nested legacy tries cost constant time and memory each, not their depth.
     */
    private static final class Frames {
        private Frame base;
        private int baseSize;
        private final ArrayList<Frame> live = new ArrayList<>();

        int size() {
            return baseSize + live.size();
        }

        boolean isEmpty() {
            return size() == 0;
        }

        Frame top() {
            return live.isEmpty() ? base : live.getLast();
        }

        Frame get(int index) {
            return index >= baseSize ? live.get(index - baseSize) : base.ancestor(index);
        }

        void push(Frame f) {
            Frame p = top();
            f.parent = p;
            f.index = size();
            if (p == null) {
                f.jump = f;
            } else {
                Frame j = p.jump;
                f.jump = p.index - j.index == j.index - j.jump.index && j != j.jump ? j.jump : p;
            }
            f.active = p == null ? null : p.active;
            live.add(f);
        }

        Frame pop() {
            if (!live.isEmpty()) return live.removeLast();
            Frame f = base;
            base = f.parent;
            baseSize--;
            return f;
        }

        void replaceTop(Frame f) {
            if (!live.isEmpty()) {
                live.set(live.size() - 1, f);
            } else {
                base = f;
            }
        }

        /** Starts over from a snapshot's top frame (null: empty). */
        void reset(Frame top) {
            live.clear();
            base = top;
            baseSize = top == null ? 0 : top.index + 1;
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
    private final Frames frames = new Frames();
    private boolean unreachable;
    private int skipDepth;

    ControlFlow(WasmModule module, FuncType type, Codegen g, CallLowering calls) {
        this.module = module;
        this.type = type;
        this.g = g;
        this.a = g.a;
        this.calls = calls;
        frames.push(new Frame(FUNCTION, a.newLabel(), null, 0, new ValType[0], type.results().toArray(ValType[]::new)));
    }

    /** True after the function's final end, or, in a deferred catch sequence, after its try's end. */
    boolean finished() {
        return chainDepth >= 0 ? chainDone : frames.isEmpty();
    }

    /** The next deferred catch sequence, or null. */
    Deferred nextDeferred() {
        return deferred.poll();
    }

    /**
     * Starts compiling the catch blocks of {@code d} (after the function's body): its open blocks again, the code
     * unreachable until the first {@code catch} emits its landing pad.
     */
    void beginDeferred(Deferred d) {
        frames.reset(d.top());
        chainDepth = frames.size();
        chainDone = false;
        unreachable = true;
        skipDepth = 0;
        tries = new ArrayList<>();
        chainStart = a.position();
    }

    /**
     * After the try's end: the code just compiled is covered by the handlers around the try (not by its own), and
     * its ranges follow the try's in the table.
     */
    void endDeferred(Deferred d) {
        TryRange region = new TryRange();
        region.region = true;
        region.start = chainStart;
        region.end = a.position();
        region.parent = d.owner().parent;
        if (region.parent != null) tries.add(region);
        d.owner().catchRanges = tries;
        tries = bodyTries;
        chainDepth = -1;
    }

    /** The innermost try covering the code of frame {@code index} and the frames inside it, or null. */
    private TryRange activeTry(int index) {
        return index < 0 ? null : frames.get(index).active;
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
                if (skipDepth == 0) legacyCatch(op == Opcode.CATCH_ALL ? -1 : pendingTag, pendingPosition);
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
        frames.push(f);
        if (kind == LOOP) {
            int loopAlignment = g.options.alignment().loopAlignment();
            if (loopAlignment > 1) a.align(loopAlignment);   // multi-byte nops, run once on entry
            a.bind(f.label);
            SafepointPoll.emit(a);                            // every back-edge lands here
            g.flagsLocal = -1;                                // (the poll writes the flags)
            g.countTierUp();
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
        Frame f = frames.top();
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
        TryRange parent = activeTry(frames.size() - 1);
        block(TRY_TABLE, bt);
        Frame f = frames.top();
        TryRange t = new TryRange();
        t.parent = parent;
        t.height = f.height;
        t.below = g.snapshot(f.height);
        t.kinds = kinds;
        t.tags = tags;
        t.targets = targets;
        t.start = a.position();
        f.tryRange = t;
        f.active = t;
    }

    /**
     * After the body and the deferred catch blocks: one landing pad per try_table clause, and the handler table of
     * the function's unwind table ({@link dev.isthmus.runtime.abi.FrameUnwind#handlers()}), offsets from the entry.
     * A pad starts with rsp, rbp and the callee-saved registers as at the call that threw (the dispatch restored
     * them) and rax = the delivered values (16 bytes each): r15 from the frame when the function saves it, the
     * stack of the try's entry, the values to their slots, then the branch to the clause's label.
     * <p>
     * Each range whose try has a try around it ends with a {@code DELEGATE} clause naming that try's range: the
     * catch blocks' out-of-line code lies outside the ranges of the tries around it, so what handles next is named,
     * not found by position. The table lists the body's ranges as they closed, each legacy try's catch-block ranges
     * right after it: inner ranges before the ranges around them, and every named range after its namer.
     */
    int[] emitLandingPads() {
        List<TryRange> order = new ArrayList<>();
        flatten(bodyTries, order);
        if (order.isEmpty()) return new int[0];
        for (TryRange t : order) {
            if (t.legacy || t.region || t.delegates) continue;
            t.pads = new int[t.kinds.length];
            for (int c = 0; c < t.kinds.length; c++) {
                t.pads[c] = a.position();
                emitLandingPad(t, c);
            }
        }
        java.util.IdentityHashMap<TryRange, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < order.size(); i++) index.put(order.get(i), i);
        List<Integer> table = new ArrayList<>();
        for (TryRange t : order) {
            table.add(g.frame.offsetOf(t.start));
            table.add(g.frame.offsetOf(t.end));
            TryRange next = t.delegates ? t.delegateTo : t.parent;
            boolean named = t.delegates || next != null;
            table.add(t.kinds.length + (named ? 1 : 0));
            if (!t.delegates) {
                for (int c = 0; c < t.kinds.length; c++) {
                    table.add(t.kinds[c]);
                    table.add(t.tags[c]);
                    table.add(g.frame.offsetOf(t.pads[c]));
                }
            }
            if (named) {
                table.add(dev.isthmus.runtime.abi.FrameUnwind.DELEGATE);
                table.add(next == null ? -1 : index.get(next));
                table.add(0);
            }
        }
        unreachable = true;
        int[] out = new int[table.size()];
        for (int i = 0; i < out.length; i++) out[i] = table.get(i);
        return out;
    }

    private static void flatten(List<TryRange> ranges, List<TryRange> out) {
        for (TryRange t : ranges) {
            out.add(t);
            if (t.catchRanges != null) flatten(t.catchRanges, out);
        }
    }

    /**
     * A legacy catch's pad: the exnref to slot {@code height} when the function has a rethrow (which reads it there),
     * the payload above it; its block follows.
     */
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
        int above = rethrows ? 1 : 0;
        for (int j = 0; j < n; j++) copyDelivered(payload.get(j), Mem.of(Gpr.RAX, 16 * j), g.slot(t.height + above + j));
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

    /** The code position of a legacy catch met while skipping unreachable code. */
    int pendingPosition;

    /** Legacy {@code try}: a block whose body is a covered range; its clauses come with its catches. */
    void legacyTry(BlockType bt) {
        TryRange parent = activeTry(frames.size() - 1);
        block(LEGACY_TRY, bt);
        Frame f = frames.top();
        TryRange t = new TryRange();
        t.parent = parent;
        t.height = f.height;
        t.below = g.snapshot(f.height);
        t.legacy = true;
        t.start = a.position();
        f.tryRange = t;
        f.inBody = true;
        f.active = t;
    }

    /**
     * Legacy {@code catch tag} ({@code tag} -1: {@code catch_all}) at code position {@code position}. The first one
     * ends the try's body: the try ends there as a block does (nothing to jump over on the way that does not throw),
     * its catch blocks are left for later ({@link Deferred}) and the caller skips them ({@link #skipCatches}). Compiled
     * later, each catch block starts with its landing pad: the stack of the try's entry, the caught exnref at slot
     * {@code height} (hidden from wasm, read by rethrow; only in a function that has a rethrow) and the payload above
     * it; the block before it branches to the try's end.
     */
    void legacyCatch(int tag, int position) {
        Frame f = frames.top();
        if (f.kind != LEGACY_TRY) throw new IllegalStateException("catch outside a try");
        TryRange t = f.tryRange;
        if (f.inBody) {
            t.end = a.position();                              // listed now; its clauses come with its catch blocks
            Frame inCatch = f.outOfBody();
            frames.replaceTop(inCatch);
            tries.add(t);
            deferred.add(new Deferred(position, inCatch, t));
            doEnd();
            skipCatches = true;
            return;
        }
        if (!unreachable) {
            moveResults(f);
            a.jmp(f.label);
        }
        int n = t.kinds.length;
        t.kinds = java.util.Arrays.copyOf(t.kinds, n + 1);
        t.tags = java.util.Arrays.copyOf(t.tags, n + 1);
        t.pads = java.util.Arrays.copyOf(t.pads, n + 1);
        // the exnref (a handle, kept for the exception's life) only when the function has a rethrow to use it
        t.kinds[n] = tag < 0
                ? (rethrows ? dev.isthmus.runtime.abi.FrameUnwind.CATCH_ALL_REF : dev.isthmus.runtime.abi.FrameUnwind.CATCH_ALL)
                : (rethrows ? dev.isthmus.runtime.abi.FrameUnwind.CATCH_REF : dev.isthmus.runtime.abi.FrameUnwind.CATCH);
        t.tags[n] = tag < 0 ? -1 : tag;
        t.pads[n] = a.position();
        emitLegacyLandingPad(t, n);
        g.restore(t.below);
        g.flagsLocal = -1;
        if (rethrows) g.pushSlot(EXN);
        if (tag >= 0) for (ValType p : module.types().get(module.tagTypeIndex(tag)).params()) g.pushSlot(p);
        unreachable = false;
    }

    /**
     * Legacy {@code delegate l}: ends the try (as end does); its body's exceptions go to the handlers of the
     * innermost try around label {@code l} (counted outside this try) that is still in its body, or to the caller.
     */
    void delegate(int label) {
        Frame f = frames.top();
        TryRange t = f.tryRange;
        t.end = a.position();
        t.delegates = true;
        t.delegateTo = activeTry(frames.size() - 2 - label);
        tries.add(t);
        Frame ended = f.outOfBody();
        ended.tryRange = null;
        frames.replaceTop(ended);
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
        if (chainDepth >= 0 && frames.size() == chainDepth) {  // a deferred catch sequence's try ends
            Frame f = frames.pop();
            if (!unreachable) {
                moveResults(f);
                a.jmp(f.label);
            }
            unreachable = true;
            chainDone = true;
            return;
        }
        Frame f = frames.pop();
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
        int deepest = defaultTarget;
        for (int t : targets) deepest = Math.max(deepest, t);
        Label[] stubs = new Label[deepest + 1];             // by the targets, not the nesting depth
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
