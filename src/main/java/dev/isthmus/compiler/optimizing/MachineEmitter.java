package dev.isthmus.compiler.optimizing;

import dev.isthmus.compiler.machine.CodeLinker;
import dev.isthmus.compiler.machine.FrameLayout;
import dev.isthmus.compiler.machine.FuelMetering;
import dev.isthmus.compiler.machine.SafepointPoll;
import dev.isthmus.compiler.machine.sequences.BranchTable;
import dev.isthmus.compiler.machine.sequences.FloatMinMax;
import dev.isthmus.compiler.machine.sequences.FloatSign;
import dev.isthmus.compiler.machine.sequences.FloatToInt;
import dev.isthmus.compiler.machine.sequences.IntToFloat;
import dev.isthmus.compiler.machine.sequences.IntegerDivision;
import dev.isthmus.compiler.machine.sequences.ParallelMoves;
import dev.isthmus.compiler.machine.sequences.BulkMemory;
import dev.isthmus.compiler.machine.sequences.Memory64Bounds;
import dev.isthmus.compiler.machine.sequences.TrapTargets;
import dev.isthmus.compiler.optimizing.isel.MDetail;
import dev.isthmus.compiler.optimizing.isel.MInstr;
import dev.isthmus.compiler.optimizing.isel.MOp;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;
import dev.isthmus.compiler.optimizing.layout.BlockOrder;
import dev.isthmus.compiler.optimizing.regalloc.Allocation;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.machine.CompiledFunction;
import dev.isthmus.compiler.machine.CodeSites;
import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.TableLayout;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.simd.SimdLowering;
import dev.isthmus.compiler.machine.simd.SimdOperands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Emits allocated machine instructions with the assembler: registers replaced by their locations (a spilled
 * operand goes through r11 or r10), two-address forms completed with a move only when the allocator could not
 * give the result its operand's register, parallel moves ordered (cycles broken through r10), blocks that only
 * jump skipped (their label is their target's), jumps to the next block omitted; then the frame (callee-saved
 * registers used, spill slots) via {@link FrameLayout}.
 */
public final class MachineEmitter {
    private static final Gpr S1 = Gpr.R11;
    private static final Gpr S2 = Gpr.R10;
    private static final Gpr[] GPRS = new Gpr[16];

    static {
        for (int i = 0; i < 16; i++) GPRS[i] = Gpr.of(i);
    }

    private static Gpr gprOf(int encoding) {
        return GPRS[encoding];
    }

    private final MachineFunction m;
    private final Allocation alloc;
    private final Assembler a = new Assembler();
    private final FrameLayout frame;
    private final CompilerOptions options;
    private final int raiseStub;
    private final VmContextLayout vm;
    /** The position of the instruction being emitted in its block. */
    private int indexInBlock;
    /** Fuel checks' slow paths, emitted after the body: wasm offset, and the labels (slow, resume). */
    private final List<Object[]> fuelSlowPaths = new java.util.ArrayList<>();
    private final int memoryBaseOffset;
    private final int memorySizeOffset;
    private final Label[] labels;
    private final int[] alias;
    private final Label[] trapLabels = new Label[TrapCode.values().length];
    private final CodeSites relocations = new CodeSites();
    /** Pairs (offset of a type id's imm32, type index): what a code file patches when loaded in another process. */
    private final CodeSites typeIdSites = new CodeSites();
    private int[] codeOffsets = new int[16];
    private int[] wasmOffsets = new int[16];
    private int offsetCount;

    /** Local slots of the staging area where calls' stack results are copied (the frame's lowest local slots). */
    private final int stagingSlots;

    /** The function's index in the module (to recognise self-calls), or -1 when unknown. */
    private final int functionIndex;

    /** The SIMD sequences, and v128 moves between registers, frame slots and global cells. */
    private final SimdLowering simd;
    /** Spill slots holding a v128 (16 bytes from the slot's address: moves use movdqu, never movsd). */
    private final java.util.BitSet v128Slots = new java.util.BitSet();
    /** First of the frame slots where a SIMD instruction saves the registers it borrows for spilled operands. */
    private final int saveArea;

    private MachineEmitter(MachineFunction m, Allocation alloc, VmContextLayout vm, CompilerOptions options,
                           int functionIndex, CpuFeatures cpu) {
        this.functionIndex = functionIndex;
        this.m = m;
        this.alloc = alloc;
        this.options = options;
        this.simd = new SimdLowering(a, cpu);
        for (int r = MachineFunction.FIRST_VIRTUAL; r < alloc.location().length; r++) {
            if (m.isV128(r) && alloc.location()[r] < 0) v128Slots.set(-1 - alloc.location()[r]);
        }
        this.saveArea = alloc.spillSlots();
        boolean funcRefCalls = hasCall(m, true);
        // func-ref calls reset rsp from rbp afterwards (the callee may return with rsp moved by a tail call), and
        // so do direct calls of such callees; stack parameters and results and resizing tail calls use rbp too
        boolean framePointer = options.framePointer() || funcRefCalls || m.framePointerNeeded();
        boolean makesCalls = hasCall(m, false);
        // with the frame pointer every body runs 16-byte aligned, as it always did; without, only bodies that call
        boolean alignBody = framePointer || makesCalls;
        this.stagingSlots = m.stagedSlots();
        this.frame = new FrameLayout(savedRegisters(m, alloc, framePointer, alignBody),
                alloc.spillSlots() + saveAreaSlots() + stagingSlots, options.stackCheck(), framePointer, alignBody,
                makesCalls || hasTailCall(m));
        this.vm = vm;
        this.raiseStub = (int) vm.raiseStub();
        this.memoryBaseOffset = (int) vm.memoryBase();
        this.memorySizeOffset = (int) vm.memorySize();
        int n = m.blocks.size();
        labels = new Label[n];
        alias = new int[n];
        for (int b = 0; b < n; b++) {
            labels[b] = a.newLabel();
            alias[b] = jumpOnly(b) ? ((MDetail.Jump) m.blocks.get(b).get(m.blocks.get(b).size() - 1).detail).target() : b;
        }
    }

    /**
     * Whether {@code m} calls at all, or (with {@code irregularOnly}) a callee that may return with another vmctx
     * or rsp moved: through a func ref, or a direct callee with an irregular exit (then r15 and rsp are restored).
     */
    private static boolean hasCall(MachineFunction m, boolean irregularOnly) {
        for (List<MInstr> code : m.blocks) {
            for (MInstr i : code) {
                if (i.op == MOp.CALL && (!irregularOnly || !(i.detail instanceof MDetail.BuiltinCall
                        || i.detail instanceof MDetail.DirectCall d && !d.irregular()))) {
                    return true;
                }
                if (i.op == MOp.THROW && !irregularOnly) return true;   // a call of the throw stub
            }
        }
        return false;
    }

    /** Whether {@code m} makes a tail call (its entry then polls, as a function that calls does). */
    private static boolean hasTailCall(MachineFunction m) {
        for (List<MInstr> code : m.blocks) {
            if (!code.isEmpty() && code.get(code.size() - 1).op == MOp.TAILCALL) return true;
        }
        return false;
    }

    /**
     * The callee-saved registers the allocation used, and r15 when the function calls through func refs. A frame
     * that would need 8 bytes of padding to keep the body 16-byte aligned (no spill slots, and an odd number of
     * pushes below the return address) saves one more register instead: a push and a pop are cheaper than
     * {@code sub rsp, 8} and {@code add rsp, 8}.
     */
    private static List<Gpr> savedRegisters(MachineFunction m, Allocation alloc, boolean framePointer,
                                            boolean alignBody) {
        List<Gpr> saved = new ArrayList<>(alloc.usedCalleeSaved());
        if (hasCall(m, true)) saved.add(Gpr.R15);
        int pushes = saved.size() + (framePointer ? 1 : 0);
        if (alignBody && pushes % 2 == 0 && alloc.spillSlots() == 0) {
            for (Gpr g : new Gpr[] {Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R14}) {
                if (!saved.contains(g)) {
                    saved.add(saved.contains(Gpr.R15) ? saved.size() - 1 : saved.size(), g);
                    break;
                }
            }
        }
        return saved;
    }

    /** Emits {@code m} allocated by {@code alloc} with the default options. */
    public static CompiledFunction emit(MachineFunction m, Allocation alloc, VmContextLayout vm) {
        return emit(m, alloc, vm, CompilerOptions.DEFAULT);
    }

    /** Emits {@code m} allocated by {@code alloc}: prologue variant, frame pointer and alignment from {@code options}. */
    public static CompiledFunction emit(MachineFunction m, Allocation alloc, VmContextLayout vm,
                                        CompilerOptions options) {
        return emit(m, alloc, vm, options, -1);
    }

    /**
     * As {@link #emit(MachineFunction, Allocation, VmContextLayout, CompilerOptions)} for function
     * {@code functionIndex} of the module (-1 if unknown): a loop head whose block calls the function itself needs
     * no poll of its own (the call's entry polls on every iteration).
     */
    public static CompiledFunction emit(MachineFunction m, Allocation alloc, VmContextLayout vm,
                                        CompilerOptions options, int functionIndex) {
        return emit(m, alloc, vm, options, functionIndex, CpuFeatures.host());
    }

    /** As {@link #emit(MachineFunction, Allocation, VmContextLayout, CompilerOptions, int)} for {@code cpu} (SIMD). */
    public static CompiledFunction emit(MachineFunction m, Allocation alloc, VmContextLayout vm,
                                        CompilerOptions options, int functionIndex, CpuFeatures cpu) {
        return new MachineEmitter(m, alloc, vm, options, functionIndex, cpu).run();
    }

    private boolean jumpOnly(int b) {
        List<MInstr> code = m.blocks.get(b);
        if (code.isEmpty() || b == 0 || m.pollingBlocks.get(b)) return false;   // a polling block keeps its poll
        for (int k = 0; k < code.size() - 1; k++) {
            MInstr i = code.get(k);
            if (i.op != MOp.PMOV) return false;
            MDetail.ParallelMove pm = i.parallelMove();
            for (int j = 0; j < i.defs.length; j++) {
                if (pm.isConstant(j) || loc(i.defs[j]) != loc(pm.register(j))) return false;
            }
        }
        return code.get(code.size() - 1).op == MOp.JMP;
    }

    /**
     * Where a jump to {@code block} really goes: along the chain of jump-only blocks to its end. Chains are
     * compressed as they are followed (each block on the way then points at the end), so nested structures whose
     * exits chain through each other cost linear time in all, not quadratic; a cycle of jump-only blocks (an empty
     * endless loop) is left as it is.
     */
    private int target(int block) {
        int b = block;
        for (int steps = 0; alias[b] != b && steps < alias.length; steps++) b = alias[b];
        if (alias[b] != b) return b;                          // a cycle: no end to point at
        for (int c = block; alias[c] != c; ) {
            int next = alias[c];
            alias[c] = b;
            c = next;
        }
        return b;
    }

    private CompiledFunction run() {
        int lead = CodeLinker.leadBytes(options.alignment());
        for (int i = 0; i < lead; i++) a.int3();
        int entry = a.position();
        frame.emitPrologue(a, frame.frameBytes(0, m.outgoingSlots()));
        int[][] succ = new int[m.blocks.size()][];
        for (int b = 0; b < succ.length; b++) succ[b] = successors(b);
        int[] order = BlockOrder.order(m.blocks, succ);
        boolean[] loopHeads = BlockOrder.loopHeads(order, succ);
        if (!m.clauses.isEmpty()) {
            // landing blocks, and what only they reach, after the body: the path that does not throw stays as it is
            // (a jump from there back into the body is no loop; loops within them are)
            int normal = order.length;
            order = withLandings(order, succ);
            boolean[] all = BlockOrder.loopHeads(order, succ);
            for (int k = normal; k < order.length; k++) loopHeads[order[k]] = all[order[k]];
        }
        int[] throwingStart = new int[m.blocks.size()];
        int[] throwingEnd = new int[m.blocks.size()];
        int loopAlignment = options.alignment().loopAlignment();
        int count = order.length;
        for (int k = 0; k < count; k++) {
            int b = order[k];
            int next = k + 1 < count ? order[k + 1] : -1;
            if (loopHeads[b] && loopAlignment > 1) a.align(loopAlignment); // multi-byte nops, run once on entry
            a.bind(labels[b]);
            List<MInstr> code = m.blocks.get(b);
            // every back-edge lands at a loop head: interruptible loops; a strip-mined loop polls between strips
            // instead of at its header (passes.StripMining)
            if (loopHeads[b] && !m.unpolled.get(b) && !callsItselfFrom(b, succ) || m.pollingBlocks.get(b)) {
                noteOffset(firstWasmOffset(code));
                SafepointPoll.emit(a);
            }
            int throwing = m.clauses.containsKey(b) ? throwingInstruction(code) : -1;
            for (int j = 0; j < code.size(); j++) {
                MInstr i = code.get(j);
                indexInBlock = j;
                if (i.op == MOp.TEST && j > 0 && setsZeroFlagOf(code.get(j - 1), i)) continue;
                if (i.wasmOffset >= 0) noteOffset(i.wasmOffset);
                if (j == throwing) throwingStart[b] = a.position();
                instruction(i, next);
                if (j == throwing) throwingEnd[b] = a.position();
            }
        }
        for (Object[] path : fuelSlowPaths) {          // out of line, before the trap sites
            noteOffset((Integer) path[0]);
            FuelMetering.emitSlowPath(a, vm, (Label) path[1], (Label) path[2]);
        }
        for (TrapCode kind : TrapCode.values()) {
            Label l = trapLabels[kind.ordinal()];
            if (l == null) continue;
            a.bind(l);
            noteOffset(-1);
            frame.emitRaise(a, kind, raiseStub);
        }
        frame.emitOverflowPath(a, raiseStub);
        int[] handlers = handlerTable(throwingStart, throwingEnd);
        return new CompiledFunction(a.finish(), entry, relocations.toArray(),
                Arrays.copyOf(codeOffsets, offsetCount), Arrays.copyOf(wasmOffsets, offsetCount),
                handlers.length == 0 ? frame.unwind() : frame.unwind().withHandlers(handlers),
                typeIdSites.toArray());
    }

    // ---------------------------------------------------------------- exception handling

    /**
     * {@code order} followed by the landing blocks and the blocks only they reach (each group in reverse
     * postorder), until every block reached through a landing is placed.
     */
    private int[] withLandings(int[] order, int[][] succ) {
        boolean[] placed = new boolean[m.blocks.size()];
        List<Integer> out = new ArrayList<>();
        for (int b : order) {
            placed[b] = true;
            out.add(b);
        }
        int[] stack = new int[succ.length + 1];
        int[] next = new int[succ.length + 1];
        List<Integer> post = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (var e : m.clauses.entrySet()) {
                if (!placed[e.getKey()]) continue;
                int[] t = e.getValue();
                for (int k = 2; k < t.length; k += 3) {
                    if (placed[t[k]]) continue;
                    post.clear();
                    postorder(t[k], succ, placed, post, stack, next);
                    for (int j = post.size() - 1; j >= 0; j--) out.add(post.get(j));
                    changed = true;
                }
            }
        }
        int[] r = new int[out.size()];
        for (int k = 0; k < r.length; k++) r[k] = out.get(k);
        return r;
    }

    /** Postorder of the unplaced blocks reached from {@code start} (marking them placed), without recursion. */
    private static void postorder(int start, int[][] succ, boolean[] placed, List<Integer> post, int[] stack,
                                  int[] next) {
        int sp = 0;
        stack[sp] = start;
        next[sp++] = 0;
        placed[start] = true;
        while (sp > 0) {
            int b = stack[sp - 1];
            if (next[sp - 1] < succ[b].length) {
                int s = succ[b][next[sp - 1]++];
                if (!placed[s]) {
                    placed[s] = true;
                    stack[sp] = s;
                    next[sp++] = 0;
                }
            } else {
                post.add(b);
                sp--;
            }
        }
    }

    /** The index of the call or throw that ends a covered block's code (its last CALL or THROW). */
    private static int throwingInstruction(List<MInstr> code) {
        for (int j = code.size() - 1; j >= 0; j--) {
            if (code.get(j).op == MOp.CALL || code.get(j).op == MOp.THROW) return j;
        }
        throw new IllegalStateException("a covered block without a call or throw");
    }

    /**
     * The handler table of {@link dev.isthmus.runtime.abi.FrameUnwind#handlers()}: one range per covered call or
     * throw (its instruction's code), with the clauses of every try around it, innermost first, each naming the
     * landing block of that site and clause (offsets from the entry).
     */
    private int[] handlerTable(int[] start, int[] end) {
        List<Integer> table = new ArrayList<>();
        List<Integer> covered = new ArrayList<>();
        for (int b : m.clauses.keySet()) {
            if (labels[b].isBound() && start[b] != end[b]) covered.add(b);  // (else a block left unreachable)
        }
        covered.sort((x, y) -> Integer.compare(start[x], start[y]));    // ranges in code order
        for (int b : covered) {
            int[] t = m.clauses.get(b);
            table.add(frame.offsetOf(start[b]));
            table.add(frame.offsetOf(end[b]));
            table.add(t.length / 3);
            for (int k = 0; k < t.length; k += 3) {
                table.add(t[k]);
                table.add(t[k + 1]);
                table.add(frame.offsetOf(labels[t[k + 2]].position()));
            }
        }
        int[] r = new int[table.size()];
        for (int k = 0; k < r.length; k++) r[k] = table.get(k);
        return r;
    }

    /**
     * LANDING: entered from the exception dispatch (rsp, rbp and the callee-saved registers as at the call that
     * threw, rax = the delivered values, 16 bytes each): our vmctx back in r15 when the prologue saved it (a
     * callee of another instance had its own there), rsp reset from rbp when there is a frame pointer (a callee may
     * have moved it by a tail call), a safepoint poll (a loop may go round through its landing blocks only), then
     * each kept value to its location, the one in rax last.
     */
    private void landing(MInstr i) {
        if (frame.savedRegisters().contains(Gpr.R15)) a.mov(QWORD, Gpr.R15, frame.savedSlot(Gpr.R15));
        if (frame.framePointer()) frame.emitStackReset(a);
        SafepointPoll.emit(a);
        MDetail.Landing l = (MDetail.Landing) i.detail;
        int last = -1;
        for (int k = 0; k < i.defs.length; k++) {
            if (inReg(i.defs[k]) && !m.isFloat(i.defs[k]) && gpr(i.defs[k]) == Gpr.RAX) {
                last = k;
                continue;
            }
            landValue(i.defs[k], l.index()[k], l.kinds()[k]);
        }
        if (last >= 0) landValue(i.defs[last], l.index()[last], l.kinds()[last]);
    }

    private void landValue(int d, int index, int kind) {
        Mem src = Mem.of(Gpr.RAX, 16 * index);
        switch (kind) {
            case MDetail.V128 -> {
                Xmm x = defXmm(d);
                simd.load(x, src);
                storeXmm(d, x);
            }
            case MDetail.F32, MDetail.F64 -> {
                Xmm x = defXmm(d);
                if (kind == MDetail.F32) a.movss(x, src);
                else a.movsd(x, src);
                storeXmm(d, x);
            }
            default -> {
                Gpr g = def(d);
                a.mov(kind == MDetail.I32 ? DWORD : QWORD, g, src);
                store(d, g);
            }
        }
    }

    /**
     * THROW: the payload to the outgoing area (value k at [rsp + 16(n-1-k)]: descending, 16 bytes apart, as the
     * dispatch reads it), then {@code call [r15 + throwStub]} with rdi = vmctx, rsi = tag | 16 << 32 (-1 for
     * throw_ref), rdx = the first payload value's address (the exnref for throw_ref); the stub does not return.
     */
    private void throwInstruction(MInstr i) {
        MDetail.Throw t = (MDetail.Throw) i.detail;
        if (t.tag() < 0) {
            int u = i.uses[0];
            if (inReg(u)) a.mov(QWORD, Gpr.RDX, gpr(u));
            else a.mov(QWORD, Gpr.RDX, slot(loc(u)));
            a.mov(QWORD, Gpr.RSI, -1);
        } else {
            int n = i.uses.length;
            for (int k = 0; k < n; k++) {
                int u = i.uses[k];
                Mem dst = Mem.of(Gpr.RSP, 16 * (n - 1 - k));
                int kind = t.kinds()[k];
                if (kind == MDetail.V128) {
                    simd.store(dst, useXmm(u));
                } else if (kind == MDetail.F32 || kind == MDetail.F64) {
                    a.movsd(dst, useXmm(u));
                } else {
                    a.mov(QWORD, dst, use(u, S1));
                }
            }
            if (n > 0) a.lea(QWORD, Gpr.RDX, Mem.of(Gpr.RSP, 16 * (n - 1)));
            else a.mov(DWORD, Gpr.RDX, 0);
            a.movabs(Gpr.RSI, t.tag() | 16L << 32);
        }
        a.mov(QWORD, Gpr.RDI, Gpr.R15);
        a.call(Mem.of(Gpr.R15, (int) vm.throwStub()));
        noteOffset(i.wasmOffset);
        a.ud2();
    }

    /**
     * Whether block {@code head}, or a block reached from it through blocks with one successor each (so run
     * whenever it runs, before anything else), calls this very function directly: that call's entry poll (this
     * function calls, so it has one) then runs on every pass through {@code head}, and a loop head needs no poll of
     * its own (clang's fib: the loop that replaced one of the two recursive calls makes the other).
     */
    private boolean callsItselfFrom(int head, int[][] succ) {
        if (functionIndex < 0) return false;
        int b = head;
        for (int steps = 0; steps < 4; steps++) {
            for (MInstr i : m.blocks.get(b)) {
                if (i.op == MOp.CALL && i.detail instanceof MDetail.DirectCall call
                        && call.function() == functionIndex) {
                    return true;
                }
            }
            if (succ[b].length != 1 || succ[b][0] == head) return false;
            b = succ[b][0];
        }
        return false;
    }

    /** The wasm offset of the first instruction of {@code code} that has one, or -1. */
    private static int firstWasmOffset(List<MInstr> code) {
        for (MInstr i : code) {
            if (i.wasmOffset >= 0) return i.wasmOffset;
        }
        return -1;
    }

    /** The blocks {@code b} jumps to, jump-only blocks replaced by their targets. */
    private int[] successors(int b) {
        List<MInstr> code = m.blocks.get(b);
        if (code.isEmpty()) return new int[0]; // unreachable
        MInstr last = code.get(code.size() - 1);
        int[] s = last.targets();
        for (int k = 0; k < s.length; k++) s[k] = target(s[k]);
        return s;
    }

    /**
     * True when {@code test} (used only for ZF: zero or not) tests the register an add/sub/and/or/xor just wrote
     * with the same width: the ALU already set ZF for that value.
     */
    private boolean setsZeroFlagOf(MInstr prev, MInstr test) {
        if (prev.op != MOp.ALU && prev.op != MOp.ALUI) return false;
        if (prev.wide != test.wide || !inReg(prev.defs[0]) || loc(prev.defs[0]) != loc(test.uses[0])) return false;
        AluOp op = prev.alu().op();
        if (op != AluOp.ADD && op != AluOp.SUB && op != AluOp.AND && op != AluOp.OR && op != AluOp.XOR) return false;
        if (prev.op == MOp.ALUI && !(inReg(prev.uses[0]) && loc(prev.uses[0]) == loc(prev.defs[0]))) {
            return false; // emitted as lea, which leaves the flags alone
        }
        if (prev.op == MOp.ALU && isThreeOperandAdd(prev)) return false;     // lea too
        return true; // every other form ends with the operation on the result (then only moves)
    }

    private void noteOffset(int wasmOffset) {
        if (offsetCount == codeOffsets.length) {
            codeOffsets = Arrays.copyOf(codeOffsets, offsetCount * 2);
            wasmOffsets = Arrays.copyOf(wasmOffsets, offsetCount * 2);
        }
        if (offsetCount > 0 && codeOffsets[offsetCount - 1] >= a.position()) return;
        if (wasmOffset < 0) { // out-of-line code (trap sites): attributed to the last instruction before it
            if (offsetCount == 0) return;
            wasmOffset = wasmOffsets[offsetCount - 1];
        }
        codeOffsets[offsetCount] = a.position();
        wasmOffsets[offsetCount] = wasmOffset;
        offsetCount++;
    }

    // ---------------------------------------------------------------- locations

    /** Location code: {@code >= 0} register encoding, {@code < 0} spill slot. */
    private int loc(int r) {
        return alloc.location()[r];
    }

    private boolean inReg(int r) {
        return loc(r) >= 0;
    }

    private Gpr gpr(int r) {
        return gprOf(loc(r));
    }

    private Mem slot(int location) {
        return frame.localSlot(-1 - location);
    }

    /** The register holding {@code r}, loading a spilled value into {@code scratch}. */
    private Gpr use(int r, Gpr scratch) {
        if (inReg(r)) return gpr(r);
        a.mov(QWORD, scratch, slot(loc(r)));
        return scratch;
    }

    /** Where to compute {@code r}: its register, or r11 when spilled (then {@link #store}). */
    private Gpr def(int r) {
        return inReg(r) ? gpr(r) : S1;
    }

    private void store(int r, Gpr from) {
        if (!inReg(r)) a.mov(QWORD, slot(loc(r)), from);
        else if (gpr(r) != from) a.mov(QWORD, gpr(r), from);
    }

    private static OperandSize size(MInstr i) {
        return i.wide ? QWORD : DWORD;
    }

    private Label trap(TrapCode kind) {
        Label l = trapLabels[kind.ordinal()];
        if (l == null) trapLabels[kind.ordinal()] = l = a.newLabel();
        return l;
    }

    /** This function's trap sites, noting {@code i}'s wasm offset after the instruction a sequence centres on. */
    /** Memory {@code k} as an operand of an inline bulk sequence: base and size read from the vmctx. */
    private BulkMemory.Operand bulkOperand(int k, boolean address64) {
        return new BulkMemory.Operand((int) vm.memoryBase(k), (int) vm.memorySize(k), null, address64);
    }

    private TrapTargets traps(MInstr i) {
        return new TrapTargets() {
            @Override
            public Label trap(TrapCode kind) {
                return MachineEmitter.this.trap(kind);
            }

            @Override
            public void instructionEmitted() {
                noteOffset(i.wasmOffset);
            }
        };
    }

    // ---------------------------------------------------------------- instructions

    private void instruction(MInstr i, int next) {
        OperandSize s = size(i);
        switch (i.op) { // exhaustive: "case null" makes the compiler check that every operation is handled
            case null -> throw new NullPointerException("instruction without operation");
            case MOV -> move(s, i.defs[0], i.uses[0], i.detail == MDetail.Move.ZERO_EXTEND);
            case MOVI -> {
                Gpr d = def(i.defs[0]);
                movImm(s, d, i.imm);
                store(i.defs[0], d);
            }
            case ALU -> {
                if (!threeOperandAdd(i, s)) binary(i, s, (d, b) -> a.alu(i.alu().op(), s, d, b), i.alu().commutative());
            }
            case ADD3 -> {
                // lea reads both sources before it writes d, so d may share a scratch register with one of them
                Gpr x = use(i.uses[0], S2);
                Gpr y = use(i.uses[1], x == S2 ? S1 : S2);
                Gpr d = def(i.defs[0]);
                a.lea(s, d, Mem.of(x, y, 1, (int) i.imm));
                store(i.defs[0], d);
            }
            case IMUL -> binary(i, s, (d, b) -> a.imul(s, d, b), true);
            case ALUI -> {
                int dr = i.defs[0];
                int ar = i.uses[0];
                AluOp op = i.alu().op();
                Gpr d = def(dr);
                long imm = i.imm;
                if (inReg(ar) && d == gpr(ar)) {
                    a.alu(op, s, d, imm);
                } else if (inReg(ar) && (op == AluOp.ADD || (op == AluOp.SUB && imm != Integer.MIN_VALUE))) {
                    a.lea(s, d, Mem.of(gpr(ar), (int) (op == AluOp.ADD ? imm : -imm)));
                } else {
                    a.mov(s, d, use(ar, d));
                    a.alu(op, s, d, imm);
                }
                store(dr, d);
            }
            case IMULI -> {
                Gpr d = def(i.defs[0]);
                a.imul(s, d, use(i.uses[0], S2), i.imm);
                store(i.defs[0], d);
            }
            case SHIFTI -> {
                Gpr d = def(i.defs[0]);
                Gpr x = use(i.uses[0], S2);
                if (x != d) a.mov(s, d, x);
                a.shift(i.shift().op(), s, d, (int) i.imm);
                store(i.defs[0], d);
            }
            case SHIFT -> {
                Gpr d = def(i.defs[0]);
                if (d == Gpr.RCX) d = S1;
                Gpr x = use(i.uses[0], S2);
                if (x != d) a.mov(s, d, x);
                a.shiftByCl(i.shift().op(), s, d);
                store(i.defs[0], d);
            }
            case CMP -> a.cmp(s, use(i.uses[0], S1), use(i.uses[1], S2));
            case CMPI -> a.cmp(s, use(i.uses[0], S1), i.imm);
            case TEST -> {
                Gpr x = use(i.uses[0], S1);
                a.test(s, x, x);
            }
            case SETCC -> {
                Gpr d = def(i.defs[0]);
                a.set(i.cond(), d);
                a.movzx(DWORD, d, OperandSize.BYTE, d);
                store(i.defs[0], d);
            }
            case CMOV -> {
                if (m.isFloat(i.defs[0])) {
                    floatSelect(i);
                    return;
                }
                int dr = i.defs[0];
                Gpr d = def(dr);
                Gpr x = use(i.uses[0], S2);
                if (inReg(i.uses[0]) && d == x) {
                    Gpr y = use(i.uses[1], S2);
                    a.cmov(i.cond().negate(), s, d, y);
                } else {
                    Gpr y = use(i.uses[1], d);
                    if (y != d) a.mov(s, d, y);
                    a.cmov(i.cond(), s, d, x);
                }
                store(dr, d);
            }
            case MOVSX -> {
                Gpr d = def(i.defs[0]);
                Gpr x = use(i.uses[0], S2);
                switch (((MDetail.SignExtend) i.detail).fromBits()) {
                    case 8 -> a.movsx(s, d, OperandSize.BYTE, x);
                    case 16 -> a.movsx(s, d, OperandSize.WORD, x);
                    default -> a.movsxd(d, x);
                }
                store(i.defs[0], d);
            }
            case DIVREM -> divide(i, s);
            case BULK -> {
                if (i.imm == 0) {
                    if (i.detail == MDetail.Bulk.COPY) {
                        BulkMemory.copy(a, traps(i), memoryBaseOffset, memorySizeOffset, null);
                    } else {
                        BulkMemory.fill(a, traps(i), memoryBaseOffset, memorySizeOffset, null);
                    }
                } else {                                        // multiple memories: imm = dst | src << 32
                    BulkMemory.Operand to = bulkOperand((int) i.imm & MDetail.Bulk.INDEX_MASK,
                            (i.imm & MDetail.Bulk.DST64) != 0);
                    if (i.detail == MDetail.Bulk.COPY) {
                        BulkMemory.copy(a, traps(i), to, bulkOperand((int) (i.imm >>> 32) & MDetail.Bulk.INDEX_MASK,
                                (i.imm & MDetail.Bulk.SRC64) != 0));
                    } else {
                        BulkMemory.fill(a, traps(i), to);
                    }
                }
            }
            case BOUNDS -> {
                Gpr x = use(i.uses[0], S2);
                if (!i.wide) {
                    // a 32-bit memory in explicit mode: index (zero-extended) + offset + size against the size
                    a.lea(QWORD, S2, Mem.of(x, (int) (i.imm & 0xFFFF_FFFFL)));
                    if (i.uses.length == 2) a.cmp(QWORD, S2, use(i.uses[1], S1));
                    else a.cmp(QWORD, S2, Mem.of(Gpr.R15, (int) (i.imm >>> 32)));
                    a.jcc(Cond.A, trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS));
                } else {
                    // a memory64 access: the index against the size; the guard behind the memory catches the offset
                    if (!Memory64Bounds.guarded(i.imm & 0xFFFF_FFFFL, 0)) {
                        throw new IllegalStateException("memory64 offset beyond the guard: " + i);
                    }
                    if (i.uses.length == 2) {                   // the size in a register (loaded on entry)
                        a.cmp(QWORD, x, use(i.uses[1], S1));
                        a.jcc(Cond.A, trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS));
                    } else {
                        Memory64Bounds.check(a, trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS), x,
                                i.imm & 0xFFFF_FFFFL, 0, Mem.of(Gpr.R15, (int) (i.imm >>> 32)), S1);
                    }
                }
                noteOffset(i.wasmOffset);
            }
            case VMLOAD -> {
                Gpr d = def(i.defs[0]);
                a.mov(QWORD, d, Mem.of(Gpr.R15, (int) i.imm));
                store(i.defs[0], d);
            }
            case TABLE_GET, TABLE_SET -> tableAccess(i);
            case TABLE_SIZE -> {
                Gpr d = def(i.defs[0]);
                a.mov(QWORD, S1, Mem.of(Gpr.R15, (int) i.imm));
                a.mov(DWORD, d, Mem.of(S1, (int) TableLayout.SIZE));
                store(i.defs[0], d);
            }
            case VMADDR -> {
                Gpr d = def(i.defs[0]);
                a.lea(QWORD, d, Mem.of(Gpr.R15, (int) i.imm));
                store(i.defs[0], d);
            }
            case GGET -> {
                if (m.isV128(i.defs[0])) {
                    Xmm x = defXmm(i.defs[0]);
                    a.mov(QWORD, S1, Mem.of(Gpr.R15, (int) i.imm));
                    simd.load(x, Mem.of(S1));
                    storeXmm(i.defs[0], x);
                    return;
                }
                if (m.isFloat(i.defs[0])) {
                    Xmm x = defXmm(i.defs[0]);
                    a.mov(QWORD, S1, Mem.of(Gpr.R15, (int) i.imm));
                    if (i.wide) a.movsd(x, Mem.of(S1));
                    else a.movss(x, Mem.of(S1));
                    storeXmm(i.defs[0], x);
                    return;
                }
                Gpr d = def(i.defs[0]);
                a.mov(QWORD, d, Mem.of(Gpr.R15, (int) i.imm));
                a.mov(s, d, Mem.of(d));
                store(i.defs[0], d);
            }
            case FUEL -> {
                long cost = i.imm >>> 1;
                if ((i.imm & 1) == 0) {
                    // no flags are live into a block; within one, a fused condition might be: keep them there
                    FuelMetering.emitCharge(a, vm, cost, indexInBlock != 0);
                } else {
                    Label slow = a.newLabel();
                    Label resume = a.newLabel();
                    FuelMetering.emitCheck(a, vm, cost, slow);
                    a.bind(resume);
                    fuelSlowPaths.add(new Object[] {i.wasmOffset, slow, resume});
                }
            }
            case GSET -> {
                if (m.isV128(i.uses[0])) {
                    Xmm x = useXmm(i.uses[0]);
                    a.mov(QWORD, S1, Mem.of(Gpr.R15, (int) i.imm));
                    simd.store(Mem.of(S1), x);
                    return;
                }
                if (m.isFloat(i.uses[0])) {
                    Xmm x = useXmm(i.uses[0]);
                    a.mov(QWORD, S1, Mem.of(Gpr.R15, (int) i.imm));
                    if (i.wide) a.movsd(Mem.of(S1), x);
                    else a.movss(Mem.of(S1), x);
                    return;
                }
                Gpr x = use(i.uses[0], S2);
                a.mov(QWORD, S1, Mem.of(Gpr.R15, (int) i.imm));
                a.mov(s, Mem.of(S1), x);
            }
            case BITOP -> {
                Gpr d = def(i.defs[0]);
                a.bitOp(((MDetail.Bits) i.detail).op(), s, d, use(i.uses[0], S2));
                store(i.defs[0], d);
            }
            case FCONST -> floatConstant(i);
            case FBIN -> floatBinary(i);
            case FUN -> floatUnary(i);
            case FCMP -> floatCompare(i);
            case FCVT -> floatConvert(i);
            case FMINMAX -> {
                if (i.detail == MDetail.FloatMinMax.COPYSIGN) copySign(i);
                else minMax(i);
            }
            case LOAD -> load(i);
            case STORE -> storeMemory(i);
            case SIMD -> simdInstruction(i);
            case CALL -> {
                if (i.call() instanceof MDetail.BuiltinCall builtin) {
                    // System V with rdi = vmctx; r15 is preserved by the builtins
                    a.mov(QWORD, Gpr.RDI, Gpr.R15);
                    a.call(Mem.of(Gpr.R15, builtin.offset()));
                    noteOffset(i.wasmOffset);
                    if (builtin.status()) {
                        Label ok = a.newLabel();
                        a.test(DWORD, Gpr.RAX, Gpr.RAX);
                        a.jcc(Cond.E, ok);
                        a.mov(DWORD, Gpr.RDI, Gpr.RAX);
                        a.call(Mem.of(Gpr.R15, raiseStub));
                        a.ud2();
                        a.bind(ok);
                    }
                } else if (i.call() instanceof MDetail.DirectCall direct) {
                    relocated((byte) 0xE8, direct.function());
                    noteOffset(i.wasmOffset);
                    stageStackResults(i);
                    if (direct.irregular()) {
                        // the callee may return with another vmctx or rsp moved (a tail call left it)
                        a.mov(QWORD, Gpr.R15, frame.savedSlot(Gpr.R15));
                        frame.emitStackReset(a);
                    }
                } else {
                    loadFuncRef(i);
                    // r10 = func ref: its vmctx in r15 for the call, ours reloaded from where the prologue pushed it
                    a.mov(QWORD, Gpr.R15, Mem.of(S2, (int) FuncRefLayout.VMCTX));
                    a.call(Mem.of(S2, (int) FuncRefLayout.CODE));
                    noteOffset(i.wasmOffset);
                    stageStackResults(i);
                    a.mov(QWORD, Gpr.R15, frame.savedSlot(Gpr.R15));
                    // the callee may have resized its argument area by a tail call and returned with rsp moved
                    frame.emitStackReset(a);
                }
            }
            case TAILCALL -> tailCall(i);
            case SLOT_LOAD -> {
                Mem at = stackSlot(i);
                int d = i.defs[0];
                if (m.isV128(d)) {
                    Xmm x = defXmm(d);
                    simd.load(x, at);
                    storeXmm(d, x);
                } else if (m.isFloat(d)) {
                    Xmm x = defXmm(d);
                    if (i.wide) a.movsd(x, at);
                    else a.movss(x, at);
                    storeXmm(d, x);
                } else {
                    Gpr g = def(d);
                    a.mov(QWORD, g, at);
                    store(d, g);
                }
            }
            case SLOT_STORE -> {
                Mem at = stackSlot(i);
                int u = i.uses[0];
                if (m.isV128(u)) simd.store(at, useXmm(u));
                else if (m.isFloat(u)) a.movsd(at, useXmm(u));
                else a.mov(QWORD, at, use(u, S1));
            }
            case PMOV -> parallelMove(i);
            case JMP -> {
                int t = target(((MDetail.Jump) i.detail).target());
                if (t != next) a.jmp(labels[t]);
            }
            case JCC -> {
                MDetail.Branch branch = (MDetail.Branch) i.detail;
                int t = target(branch.taken());
                int f = target(branch.notTaken());
                Cond c = branch.cond();
                if (f == next) a.jcc(c, labels[t]);
                else if (t == next) a.jcc(c.negate(), labels[f]);
                else {
                    a.jcc(c, labels[t]);
                    a.jmp(labels[f]);
                }
            }
            case SWITCH -> {
                // a spilled index is loaded into r10, which then takes the entry: r11 holds the table's address
                Gpr x = use(i.uses[0], S2);
                MDetail.Switch sw = (MDetail.Switch) i.detail;
                int[] targets = sw.targets();
                int n = targets.length - 1;
                Label[] entries = new Label[n];
                for (int k = 0; k < n; k++) entries[k] = labels[target(targets[k])];
                BranchTable.emit(a, x, entries, labels[target(targets[n])], next >= 0 ? labels[next] : null,
                        sw.inRange(), S1, S2);
            }
            case RET -> frame.emitEpilogue(a);
            case TRAP -> a.jmp(trap(((MDetail.Trap) i.detail).kind()));
            case LANDING -> landing(i);
            case THROW -> throwInstruction(i);
        }
    }

    /** {@code mov r, imm}: 32-bit form when the value zero-extends, movabs only for wide constants. */
    private void movImm(OperandSize s, Gpr d, long v) {
        if (s == DWORD || (v >= 0 && v <= 0xFFFF_FFFFL)) a.mov(DWORD, d, v & 0xFFFF_FFFFL);
        else if (v == (int) v) a.mov(QWORD, d, v);
        else a.movabs(d, v);
    }

    /**
     * A direct call or jump ({@code opcode} E8 or E9) to {@code function}, its rel32 linked by a relocation; compiled
     * lazily, an indirect call or jump through the callee's func ref in this instance's context.
     */
    private void relocated(byte opcode, int function) {
        if (options.compilation().lazy()) {              // through the func ref: the callee may not be compiled yet
            Mem code = Mem.of(Gpr.R15, (int) (vm.funcRef(function) + FuncRefLayout.CODE));
            if (opcode == (byte) 0xE9) a.jmp(code);
            else a.call(code);
            return;
        }
        a.emitBytes(opcode, (byte) 0, (byte) 0, (byte) 0, (byte) 0);
        relocations.add(a.position() - 4, function);
    }

    /** r10 = the func ref a call through a func ref calls: an import's, a call_ref's (null-checked), a table's. */
    private void loadFuncRef(MInstr i) {
        if (i.call() instanceof MDetail.ImportCall imported) {
            a.lea(QWORD, S2, Mem.of(Gpr.R15, imported.funcRefOffset()));
        } else if (i.call() instanceof MDetail.RefCall) {
            // call_ref: the func ref itself, "null function reference" when null
            int ref = i.uses[i.uses.length - 1];
            if (inReg(ref)) a.mov(QWORD, S2, gpr(ref));
            else a.mov(QWORD, S2, slot(loc(ref)));
            a.test(QWORD, S2, S2);
            a.jcc(Cond.E, trap(TrapCode.NULL_FUNCTION_REFERENCE));
        } else {
            lookupFuncRef(i, (MDetail.IndirectCall) i.call());
        }
    }

    /**
     * Right after a call returning {@code imm} stack-result slots: copies them from where the callee left them
     * ({@code [rsp + 8k]}, rsp possibly moved by a tail call) to the staging area, before rsp is reset.
     */
    private void stageStackResults(MInstr i) {
        for (int k = 0; k < (int) i.imm; k++) {
            a.mov(QWORD, S1, FrameLayout.outgoingSlot(k));
            a.mov(QWORD, stagedSlot(k), S1);
        }
    }

    /** Staging slot {@code k} (8 bytes): the staging area is the frame's last local slots, slot 0 lowest. */
    private Mem stagedSlot(int k) {
        return frame.localSlot(frame.localSlotCount() - 1).plus(8 * k);
    }

    /** The ABI stack slot of a SLOT_LOAD or SLOT_STORE. */
    private Mem stackSlot(MInstr i) {
        int k = (int) i.imm;
        return switch ((MDetail.StackArea) i.detail) {
            case INCOMING -> FrameLayout.incomingSlot(k);
            case OUTGOING -> FrameLayout.outgoingSlot(k);
            case STAGED -> stagedSlot(k);
        };
    }

    /**
     * A tail call: r10 = the func ref (before the frame goes: the lookup needs our vmctx), the frame torn down —
     * or, when the callee needs another number of stack slots, resized with the staged arguments
     * ({@link FrameLayout#emitResizingTeardown}) — then a jump, with the callee's vmctx through a func ref.
     */
    private void tailCall(MInstr i) {
        boolean viaFuncRef = !(i.call() instanceof MDetail.DirectCall);
        if (viaFuncRef) loadFuncRef(i);
        int extra = (int) i.imm;
        if (extra == 0) frame.emitTeardown(a);
        else frame.emitResizingTeardown(a, extra, (int) (i.imm >>> 32));
        if (viaFuncRef) {
            a.mov(QWORD, Gpr.R15, Mem.of(S2, (int) FuncRefLayout.VMCTX));
            a.jmp(Mem.of(S2, (int) FuncRefLayout.CODE));
        } else {
            relocated((byte) 0xE9, ((MDetail.DirectCall) i.call()).function());
        }
    }

    /**
     * r10 = the func ref at {@code table[index]}, checked: index in range ("undefined element"), not null
     * ("uninitialized element"), canonical type id equal ("indirect call type mismatch").
     */
    private void lookupFuncRef(MInstr i, MDetail.IndirectCall call) {
        int index = i.uses[i.uses.length - 1];
        OperandSize width = i.wide ? QWORD : DWORD;         // a table64 index, else an i32 zero-extended
        if (inReg(index)) a.mov(width, S2, gpr(index));
        else a.mov(width, S2, slot(loc(index)));
        a.mov(QWORD, S1, Mem.of(Gpr.R15, call.tableOffset()));
        a.cmp(QWORD, S2, Mem.of(S1, (int) TableLayout.SIZE));
        a.jcc(Cond.AE, trap(TrapCode.UNDEFINED_ELEMENT));
        a.mov(QWORD, S1, Mem.of(S1, (int) TableLayout.ELEMENTS));
        a.mov(QWORD, S2, Mem.of(S1, S2, 8, 0));
        a.test(QWORD, S2, S2);
        a.jcc(Cond.E, trap(TrapCode.UNINITIALIZED_ELEMENT));
        a.cmpImm32(QWORD, Mem.of(S2, (int) FuncRefLayout.TYPE_ID), (int) call.typeId()); // imm32: code files patch it
        typeIdSites.add(a.position() - 4, call.typeIndex());
        a.jcc(Cond.NE, trap(TrapCode.INDIRECT_CALL_TYPE_MISMATCH));
    }

    /** table.get / table.set: r11 = the element array after checking the index (r10) against the size. */
    private void tableAccess(MInstr i) {
        int index = i.uses[0];
        OperandSize width = i.wide ? QWORD : DWORD;         // a table64 index, else an i32 zero-extended
        if (inReg(index)) a.mov(width, S2, gpr(index));
        else a.mov(width, S2, slot(loc(index)));
        a.mov(QWORD, S1, Mem.of(Gpr.R15, (int) i.imm));
        a.cmp(QWORD, S2, Mem.of(S1, (int) TableLayout.SIZE));
        a.jcc(Cond.AE, trap(TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS));
        a.mov(QWORD, S1, Mem.of(S1, (int) TableLayout.ELEMENTS));
        if (i.op == MOp.TABLE_GET) {
            Gpr d = def(i.defs[0]);
            a.mov(QWORD, d, Mem.of(S1, S2, 8, 0));
            store(i.defs[0], d);
        } else if (inReg(i.uses[1])) {
            a.mov(QWORD, Mem.of(S1, S2, 8, 0), gpr(i.uses[1]));
        } else {                                    // the element's address, then the value through r10
            a.lea(QWORD, S1, Mem.of(S1, S2, 8, 0));
            a.mov(QWORD, S2, slot(loc(i.uses[1])));
            a.mov(QWORD, Mem.of(S1), S2);
        }
    }

    private void load(MInstr i) {
        Gpr base = use(i.uses[0], S1);
        Gpr index = use(i.uses[1], S2);
        Mem at = Mem.of(base, index, 1, (int) i.imm);
        MDetail.LoadKind kind = (MDetail.LoadKind) i.detail;
        if (kind.isFloat()) {
            Xmm x = defXmm(i.defs[0]);
            noteOffset(i.wasmOffset);
            if (kind == MDetail.LoadKind.F32) a.movss(x, at);
            else a.movsd(x, at);
            storeXmm(i.defs[0], x);
            return;
        }
        Gpr d = def(i.defs[0]);
        noteOffset(i.wasmOffset);
        switch (kind) {
            case I32, U32 -> a.mov(DWORD, d, at);
            case I64 -> a.mov(QWORD, d, at);
            case S8 -> a.movsx(i.wide ? QWORD : DWORD, d, OperandSize.BYTE, at);
            case U8 -> a.movzx(DWORD, d, OperandSize.BYTE, at);
            case S16 -> a.movsx(i.wide ? QWORD : DWORD, d, OperandSize.WORD, at);
            case U16 -> a.movzx(DWORD, d, OperandSize.WORD, at);
            case S32 -> a.movsxd(d, at);
            case F32, F64 -> throw new IllegalStateException("float load into " + i.defs[0]);
        }
        store(i.defs[0], d);
    }

    private void storeMemory(MInstr i) {
        Gpr base = use(i.uses[0], S1);
        Gpr index = use(i.uses[1], S2);
        if (m.isFloat(i.uses[2])) {
            Xmm x = useXmm(i.uses[2]);
            Mem at = Mem.of(base, index, 1, (int) i.imm);
            noteOffset(i.wasmOffset);
            if (i.detail == MDetail.StoreSize.DWORD) a.movss(at, x);
            else a.movsd(at, x);
            return;
        }
        Gpr value;
        if (inReg(i.uses[2])) {
            value = gpr(i.uses[2]);
        } else if (base != S1) {
            value = use(i.uses[2], S1);
        } else if (index != S2) {
            value = use(i.uses[2], S2);
        } else {
            a.add(QWORD, S1, S2);
            index = null;
            value = use(i.uses[2], S2);
        }
        Mem at = index == null ? Mem.of(base, (int) i.imm) : Mem.of(base, index, 1, (int) i.imm);
        OperandSize size = switch ((MDetail.StoreSize) i.detail) {
            case BYTE -> OperandSize.BYTE;
            case WORD -> OperandSize.WORD;
            case DWORD -> DWORD;
            case QWORD -> QWORD;
        };
        noteOffset(i.wasmOffset);
        a.mov(size, at, value);
    }

    private interface TwoAddress {
        void emit(Gpr dst, Gpr src);
    }

    /** {@code d = a op b} as {@code op d, b} (or {@code op d, a} when commutative and d is b's register). */
    /**
     * {@code d = a + b} with both operands in registers other than {@code d}: one {@code lea d, [a + b]} instead of
     * {@code mov d, a; add d, b} (a 32-bit lea keeps the low 32 bits of the sum, as i32.add does; it sets no flags,
     * so a test of the sum that follows stays: {@link #setsZeroFlagOf}).
     */
    private boolean threeOperandAdd(MInstr i, OperandSize s) {
        if (!isThreeOperandAdd(i)) return false;
        a.lea(s, gpr(i.defs[0]), Mem.of(gpr(i.uses[0]), gpr(i.uses[1]), 1, 0));
        return true;
    }

    /**
     * Whether ALU instruction {@code i} is emitted as {@link #threeOperandAdd}'s lea, which leaves the flags alone
     * ({@link #setsZeroFlagOf} must not reuse them).
     */
    private boolean isThreeOperandAdd(MInstr i) {
        if (i.alu().op() != AluOp.ADD || !inReg(i.uses[0]) || !inReg(i.uses[1]) || !inReg(i.defs[0])) return false;
        Gpr d = gpr(i.defs[0]);
        return d != gpr(i.uses[0]) && d != gpr(i.uses[1]);
    }

    private void binary(MInstr i, OperandSize s, TwoAddress op, boolean commutative) {
        int dr = i.defs[0];
        int ar = i.uses[0];
        int br = i.uses[1];
        Gpr b = use(br, S2);
        Gpr d = def(dr);
        if (inReg(ar) && d == gpr(ar)) {
            op.emit(d, b);
        } else if (d == b) {
            if (commutative) {
                op.emit(d, use(ar, S1));
            } else {
                a.mov(s, S1, use(ar, S1));
                op.emit(S1, b);
                d = S1;
            }
        } else {
            Gpr x = use(ar, d);
            if (x != d) a.mov(s, d, x);
            op.emit(d, b);
        }
        store(dr, d);
    }

    private void move(OperandSize s, int dr, int sr, boolean force) {
        int dl = loc(dr);
        int sl = loc(sr);
        if (dl == sl && !force) return;
        if (m.isFloat(dr)) {
            moveLocation(dl, sl);
            return;
        }
        if (sl >= 0 && dl >= 0) a.mov(s, gprOf(dl), gprOf(sl));
        else if (dl >= 0) a.mov(s, gprOf(dl), slot(sl));
        else if (sl >= 0) {
            // a zero-extending move into a slot goes through the scratch: the source may live on, upper half and all
            // (an i64 that is wrapped, or masked to its low half, and used again)
            Gpr from = gprOf(sl);
            if (force) a.mov(DWORD, from = S1, gprOf(sl));
            a.mov(QWORD, slot(dl), from);
        } else {
            a.mov(s, S1, slot(sl));
            if (dl != sl || force) a.mov(QWORD, slot(dl), S1);
        }
    }

    private static boolean isXmm(int location) {
        return location >= MachineFunction.XMM0;
    }

    private static Xmm xmmOf(int location) {
        return Xmm.of(location - MachineFunction.XMM0);
    }

    /** Whether location {@code l} is the spill slot of a v128 (16 bytes). */
    private boolean isV128Slot(int l) {
        return l < 0 && l != ParallelMoves.NOT_A_LOCATION && v128Slots.get(-1 - l);
    }

    /**
     * Copies the value at location {@code sl} to {@code dl} (registers of either class, or spill slots): all 64
     * bits, all 128 of an xmm register, and all 16 bytes when either side is a v128's slot (a v128 is never in a
     * general-purpose register).
     */
    private void moveLocation(int dl, int sl) {
        if (dl == sl) return;
        if (isV128Slot(dl) || isV128Slot(sl)) {
            if (dl >= 0) {
                simd.load(xmmOf(dl), slot(sl));
            } else if (sl >= 0) {
                simd.store(slot(dl), xmmOf(sl));
            } else { // slot to slot in two halves through r11 (xmm15 may hold a parallel move's saved value)
                Mem from = slot(sl);
                Mem to = slot(dl);
                a.mov(QWORD, S1, from);
                a.mov(QWORD, to, S1);
                a.mov(QWORD, S1, from.plus(8));
                a.mov(QWORD, to.plus(8), S1);
            }
            return;
        }
        if (dl >= 0 && sl >= 0) {
            if (isXmm(dl) && isXmm(sl)) a.sse(SseOp.MOVAPS, xmmOf(dl), xmmOf(sl));
            else if (isXmm(dl)) a.movGprToXmm(QWORD, xmmOf(dl), gprOf(sl));
            else if (isXmm(sl)) a.movXmmToGpr(QWORD, gprOf(dl), xmmOf(sl));
            else a.mov(QWORD, gprOf(dl), gprOf(sl));
        } else if (dl >= 0) {
            if (isXmm(dl)) a.movsd(xmmOf(dl), slot(sl));
            else a.mov(QWORD, gprOf(dl), slot(sl));
        } else if (sl >= 0) {
            if (isXmm(sl)) a.movsd(slot(dl), xmmOf(sl));
            else a.mov(QWORD, slot(dl), gprOf(sl));
        } else {
            a.mov(QWORD, S1, slot(sl));
            a.mov(QWORD, slot(dl), S1);
        }
    }

    // ---------------------------------------------------------------- floats

    private static final Xmm XS = Xmm.XMM15;

    /** The xmm register holding float register {@code r}, loading a spilled value into xmm15. */
    private Xmm useXmm(int r) {
        if (inReg(r)) return xmmOf(loc(r));
        if (isV128Slot(loc(r))) simd.load(XS, slot(loc(r)));
        else a.movsd(XS, slot(loc(r)));
        return XS;
    }

    /** Where to compute float register {@code r}: its register, or xmm15 when spilled (then {@link #storeXmm}). */
    private Xmm defXmm(int r) {
        return inReg(r) ? xmmOf(loc(r)) : XS;
    }

    private void storeXmm(int r, Xmm from) {
        if (isV128Slot(loc(r))) simd.store(slot(loc(r)), from);
        else if (!inReg(r)) a.movsd(slot(loc(r)), from);
        else if (xmmOf(loc(r)) != from) a.sse(SseOp.MOVAPS, xmmOf(loc(r)), from);
    }

    private static final SseOp[][] FBIN = {
            {SseOp.ADDSS, SseOp.SUBSS, SseOp.MULSS, SseOp.DIVSS},
            {SseOp.ADDSD, SseOp.SUBSD, SseOp.MULSD, SseOp.DIVSD}};

    private void floatConstant(MInstr i) {
        Xmm d = defXmm(i.defs[0]);
        if (i.imm == 0) a.sse(SseOp.XORPS, d, d);
        else if (i.wide) a.movsd(d, Mem.rip(a.constant64(i.imm)));
        else a.movss(d, Mem.rip(a.constant32((int) i.imm)));
        storeXmm(i.defs[0], d);
    }

    /** {@code d = a op b}: in place when d is a's register, commuted when d is b's, else through a move. */
    private void floatBinary(MInstr i) {
        MDetail.FloatBinary kind = (MDetail.FloatBinary) i.detail;
        SseOp op = FBIN[i.wide ? 1 : 0][kind.ordinal()];
        int dr = i.defs[0];
        int ar = i.uses[0];
        int br = i.uses[1];
        Xmm d = defXmm(dr);
        boolean bInReg = inReg(br);
        if (inReg(ar) && d == xmmOf(loc(ar))) {
            if (bInReg) a.sse(op, d, xmmOf(loc(br)));
            else a.sse(op, d, slot(loc(br)));
        } else if (bInReg && d == xmmOf(loc(br))) {
            if (kind.commutative) {
                if (inReg(ar)) a.sse(op, d, xmmOf(loc(ar)));
                else a.sse(op, d, slot(loc(ar)));
            } else {
                Xmm x = useXmm(ar);
                if (x != XS) a.sse(SseOp.MOVAPS, XS, x);
                a.sse(op, XS, d);
                d = XS;
            }
        } else {
            if (inReg(ar)) a.sse(SseOp.MOVAPS, d, xmmOf(loc(ar)));
            else a.movsd(d, slot(loc(ar)));
            if (bInReg) a.sse(op, d, xmmOf(loc(br)));
            else a.sse(op, d, slot(loc(br)));
        }
        storeXmm(dr, d);
    }

    private void floatUnary(MInstr i) {
        int dr = i.defs[0];
        Xmm d = defXmm(dr);
        MDetail.FloatUnary op = (MDetail.FloatUnary) i.detail;
        if (op.isRounding()) {
            int mode = op.roundingMode() | 8; // 8: no precision exception
            if (inReg(i.uses[0])) {
                if (i.wide) a.roundsd(d, xmmOf(loc(i.uses[0])), mode);
                else a.roundss(d, xmmOf(loc(i.uses[0])), mode);
            } else {
                if (i.wide) a.roundsd(d, slot(loc(i.uses[0])), mode);
                else a.roundss(d, slot(loc(i.uses[0])), mode);
            }
        } else if (op == MDetail.FloatUnary.SQRT) {
            SseOp sqrt = i.wide ? SseOp.SQRTSD : SseOp.SQRTSS;
            if (inReg(i.uses[0])) a.sse(sqrt, d, xmmOf(loc(i.uses[0])));
            else a.sse(sqrt, d, slot(loc(i.uses[0])));
        } else {
            Xmm x = useXmm(i.uses[0]);
            if (x != d) a.sse(SseOp.MOVAPS, d, x);
            if (op == MDetail.FloatUnary.NEG) FloatSign.neg(a, i.wide, d);
            else FloatSign.abs(a, i.wide, d);
        }
        storeXmm(dr, d);
    }

    /**
     * Float comparison to 0/1. Unordered (NaN) operands make every comparison but ne false: lt and le compare
     * swapped so that "above" (CF=0, ZF=0) and "above or equal" (CF=0) are false when unordered; eq also needs
     * PF=0 and ne is true when PF=1.
     */
    private void floatCompare(MInstr i) {
        SseOp ucomis = i.wide ? SseOp.UCOMISD : SseOp.UCOMISS;
        int x = i.uses[0];
        int y = i.uses[1];
        MDetail.FloatCompare cmp = (MDetail.FloatCompare) i.detail;
        boolean swap = cmp == MDetail.FloatCompare.LT || cmp == MDetail.FloatCompare.LE;
        int first = swap ? y : x;
        int second = swap ? x : y;
        Xmm f = useXmm(first);
        if (inReg(second)) a.sse(ucomis, f, xmmOf(loc(second)));
        else a.sse(ucomis, f, slot(loc(second)));
        Gpr d = def(i.defs[0]);
        switch (cmp) {
            case EQ, NE -> {
                boolean eq = cmp == MDetail.FloatCompare.EQ;
                a.set(eq ? Cond.E : Cond.NE, d);
                a.set(eq ? Cond.NP : Cond.P, S1);
                a.movzx(DWORD, d, OperandSize.BYTE, d);
                a.movzx(DWORD, S1, OperandSize.BYTE, S1);
                a.alu(eq ? AluOp.AND : AluOp.OR, DWORD, d, S1);
            }
            case LT, GT -> {
                a.set(Cond.A, d);
                a.movzx(DWORD, d, OperandSize.BYTE, d);
            }
            case LE, GE -> {
                a.set(Cond.AE, d);
                a.movzx(DWORD, d, OperandSize.BYTE, d);
            }
        }
        store(i.defs[0], d);
    }

    /**
     * Wasm min/max: NaN when either operand is NaN (made by adding them), and for equal operands (only ±0 can
     * differ) the OR (min: -0 wins) or AND (max: +0 wins) of the bits; otherwise minss/maxss.
     */
    private void minMax(MInstr i) {
        boolean min = i.detail == MDetail.FloatMinMax.MIN;
        int dr = i.defs[0];
        int ar = i.uses[0];
        int br = i.uses[1];
        Xmm d = defXmm(dr);
        if (inReg(br) && xmmOf(loc(br)) == d && !(inReg(ar) && xmmOf(loc(ar)) == d)) {
            // d is b's register: both operations are symmetric, so swap the operands
            int t = ar;
            ar = br;
            br = t;
        }
        moveInto(d, ar);
        boolean bInReg = inReg(br) && xmmOf(loc(br)) != d;
        Mem bSlot = bInReg ? null : slot(loc(br));
        if (!bInReg && inReg(br)) { // a == b (same register): min(x, x) = x
            storeXmm(dr, d);
            return;
        }
        if (bInReg) FloatMinMax.emit(a, i.wide, !min, d, xmmOf(loc(br)));
        else FloatMinMax.emit(a, i.wide, !min, d, bSlot, S1);
        storeXmm(dr, d);
    }

    /** copysign through integer registers: a without its sign bit, or'ed with b's sign bit. */
    private void copySign(MInstr i) {
        int ar = i.uses[0];
        int br = i.uses[1];
        Xmm d = defXmm(i.defs[0]);
        FloatSign.copySign(a, i.wide, d, inReg(ar) ? xmmOf(loc(ar)) : null, inReg(ar) ? null : slot(loc(ar)),
                inReg(br) ? xmmOf(loc(br)) : null, inReg(br) ? null : slot(loc(br)), S1, S2);
        storeXmm(i.defs[0], d);
    }

    /** {@code d = flags(cond) ? a : b} with a branch (there is no cmov for xmm registers); moves keep the flags. */
    private void floatSelect(MInstr i) {
        int dr = i.defs[0];
        Cond c = i.cond();
        Xmm d = defXmm(dr);
        Label done = a.newLabel();
        int ar = i.uses[0];
        int br = i.uses[1];
        if (inReg(ar) && xmmOf(loc(ar)) == d) {
            a.jcc(c, done);
            moveInto(d, br);
        } else if (inReg(br) && xmmOf(loc(br)) == d) {
            a.jcc(c.negate(), done);
            moveInto(d, ar);
        } else {
            moveInto(d, br);
            a.jcc(c.negate(), done);
            moveInto(d, ar);
        }
        a.bind(done);
        storeXmm(dr, d);
    }

    private void moveInto(Xmm d, int r) {
        if (inReg(r)) {
            if (xmmOf(loc(r)) != d) a.sse(SseOp.MOVAPS, d, xmmOf(loc(r)));
        } else if (isV128Slot(loc(r))) {
            simd.load(d, slot(loc(r)));
        } else {
            a.movsd(d, slot(loc(r)));
        }
    }

    /**
     * Float to integer, trapping or saturating, through {@link FloatToInt}: cvtt first, the input examined only
     * when the result says it may be invalid. Scratch: r10 (t1, unsigned targets; the result goes to r11 when
     * spilled) and xmm15 (unsigned i64), which is also where a spilled source is loaded: the sequence may then
     * clobber its copy of the source.
     */
    private void truncate(MInstr i) {
        MDetail.Convert convert = (MDetail.Convert) i.detail;
        MDetail.ConvertKind kind = convert.kind();
        boolean signed = kind == MDetail.ConvertKind.TRUNC_S || kind == MDetail.ConvertKind.TRUNC_SAT_S;
        boolean saturate = kind == MDetail.ConvertKind.TRUNC_SAT_S || kind == MDetail.ConvertKind.TRUNC_SAT_U;
        Xmm x = useXmm(i.uses[0]);
        Gpr d = def(i.defs[0]);
        FloatToInt.emit(a, traps(i), convert.wideSource(), i.wide, signed, saturate, d, x, S2, XS);
        store(i.defs[0], d);
    }

    private void floatConvert(MInstr i) {
        int dr = i.defs[0];
        int sr = i.uses[0];
        MDetail.Convert convert = (MDetail.Convert) i.detail;
        OperandSize srcSize = convert.wideSource() ? QWORD : DWORD;
        switch (convert.kind()) {
            case PROMOTE, DEMOTE -> {
                Xmm d = defXmm(dr);
                SseOp op = convert.kind() == MDetail.ConvertKind.PROMOTE ? SseOp.CVTSS2SD : SseOp.CVTSD2SS;
                if (inReg(sr)) a.sse(op, d, xmmOf(loc(sr)));
                else a.sse(op, d, slot(loc(sr)));
                storeXmm(dr, d);
            }
            case CONVERT_S, CONVERT_U32 -> {
                Xmm d = defXmm(dr);
                // u32: the source's upper half is not known to be clear (a slot is read as 32 bits)
                if (inReg(sr)) IntToFloat.emit(a, srcSize == QWORD, convert.kind() != MDetail.ConvertKind.CONVERT_U32, i.wide, d, gprOf(loc(sr)), false, S1, S2);
                else IntToFloat.emit(a, srcSize == QWORD, convert.kind() != MDetail.ConvertKind.CONVERT_U32, i.wide, d, slot(loc(sr)), S1);
                storeXmm(dr, d);
            }
            case CONVERT_U64 -> {
                // scratch r11 and r10; a spilled source is loaded into r10, which the sequence may then clobber
                Xmm d = defXmm(dr);
                IntToFloat.emit(a, true, false, i.wide, d, use(sr, S2), false, S1, S2);
                storeXmm(dr, d);
            }
            case TRUNC_S, TRUNC_U, TRUNC_SAT_S, TRUNC_SAT_U -> truncate(i);
            case REINTERPRET -> {
                OperandSize size = i.wide ? QWORD : DWORD;
                if (m.isFloat(dr)) { // int bits to float
                    Xmm d = defXmm(dr);
                    a.movGprToXmm(size, d, use(sr, S1));
                    storeXmm(dr, d);
                } else {
                    Gpr d = def(dr);
                    a.movXmmToGpr(size, d, useXmm(sr));
                    store(dr, d);
                }
            }
        }
    }

    /**
     * Division: rax = dividend (placed by a move), rdx written here. Traps on a zero divisor and on signed
     * overflow; {@code rem_s} by -1 is 0 without dividing.
     */
    private void divide(MInstr i, OperandSize s) {
        MDetail.DivRem op = (MDetail.DivRem) i.detail;
        Gpr b = use(i.uses[1], S2);
        IntegerDivision.emit(a, traps(i), i.wide, op.signed(), !op.quotient(), b);
    }

    /**
     * Moves all sources to all destinations at once ({@link ParallelMoves}): locations are the allocation's
     * (registers, spill slots), constants are materialised, a cycle goes through r10 (xmm15 for floats).
     */
    private void parallelMove(MInstr i) {
        MDetail.ParallelMove pm = i.parallelMove();
        int n = i.defs.length;
        int[] dst = new int[n];
        int[] src = new int[n];
        for (int k = 0; k < n; k++) {
            dst[k] = loc(i.defs[k]);
            src[k] = pm.isConstant(k) ? ParallelMoves.NOT_A_LOCATION : loc(pm.register(k));
        }
        ParallelMoves.emit(dst, src, new ParallelMoves.Mover() {
            @Override
            public void move(int to, int from) {
                moveLocation(to, from);
            }

            @Override
            public void materialise(int k, int to) {
                moveConstant(to, pm.constant(k));
            }

            @Override
            public int scratch(int k) {
                return isXmm(dst[k]) || (dst[k] < 0 && m.isFloat(i.defs[k])) ? MachineFunction.XMM0 + 15
                        : S2.encoding();
            }
        });
    }

    // ---------------------------------------------------------------- SIMD

    /** The xmm registers a SIMD instruction may borrow (xmm15 is the sequences' scratch). */
    private static final int XMM_BORROWABLE = 15;
    /** General-purpose registers a SIMD instruction may borrow: r10 first (free), then the allocatable ones. */
    private static final Gpr[] GPR_BORROWABLE = {Gpr.R10, Gpr.RAX, Gpr.RCX, Gpr.RDX, Gpr.RSI, Gpr.RDI, Gpr.R8,
            Gpr.R9, Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R14};

    /** Whether register {@code r} of a SIMD instruction needs a borrowed register (spilled, or in a scratch one). */
    private boolean needsBorrow(int r) {
        int l = loc(r);
        return l < 0 || l == MachineFunction.XMM0 + 15 || l == S1.encoding() || l == S2.encoding();
    }

    /**
     * Frame slots for the registers the SIMD instructions borrow: two per xmm register and one per general-purpose
     * register beyond r10 (the most any one instruction borrows).
     */
    private int saveAreaSlots() {
        int most = 0;
        for (List<MInstr> code : m.blocks) {
            for (MInstr i : code) {
                if (i.op != MOp.SIMD) continue;
                int xmms = 0;
                int gprs = 0;
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                for (int[] rs : new int[][] {i.uses, i.defs}) {
                    for (int r : rs) {
                        if (!seen.add(r) || !needsBorrow(r)) continue;
                        if (m.isFloat(r)) xmms++;
                        else gprs++;
                    }
                }
                most = Math.max(most, 2 * xmms + Math.max(0, gprs - 1));
            }
        }
        return most;
    }

    /**
     * A SIMD instruction: {@link SimdLowering#emit} with the allocated registers. An operand, result or temporary
     * without a register of its own (spilled, or a dead result in a scratch register) gets a borrowed one that no
     * operand of this instruction occupies: its content is saved in the save area first and restored after, a
     * spilled operand is loaded into it and a spilled result stored from it. Memory instructions address
     * {@code [base + index + offset]} (the guard region catches what is out of bounds).
     */
    private void simdInstruction(MInstr i) {
        MDetail.Simd sd = (MDetail.Simd) i.detail;
        java.util.Map<Integer, Integer> phys = new java.util.HashMap<>();
        boolean[] taken = new boolean[MachineFunction.FIRST_VIRTUAL];
        for (int[] rs : new int[][] {i.uses, i.defs}) {
            for (int r : rs) if (!needsBorrow(r)) taken[loc(r)] = true;
        }
        List<int[]> saved = new ArrayList<>(); // {register, save slot}
        int nextSlot = saveArea;
        for (int pass = 0; pass < 2; pass++) {
            int[] rs = pass == 0 ? i.uses : i.defs;
            for (int r : rs) {
                if (phys.containsKey(r)) continue;
                if (!needsBorrow(r)) {
                    phys.put(r, loc(r));
                    continue;
                }
                int b = -1;
                if (m.isFloat(r)) {
                    for (int x = 0; x < XMM_BORROWABLE && b < 0; x++) if (!taken[MachineFunction.XMM0 + x]) b = MachineFunction.XMM0 + x;
                } else {
                    for (Gpr g : GPR_BORROWABLE) {
                        if (!taken[g.encoding()]) {
                            b = g.encoding();
                            break;
                        }
                    }
                }
                if (b < 0) throw new IllegalStateException("no register to borrow for " + i);
                taken[b] = true;
                phys.put(r, b);
                if (b != S2.encoding()) {
                    boolean xmm = isXmm(b);
                    int slotIndex = xmm ? nextSlot + 1 : nextSlot;
                    nextSlot += xmm ? 2 : 1;
                    saved.add(new int[] {b, slotIndex});
                    if (xmm) simd.store(frame.localSlot(slotIndex), xmmOf(b));
                    else a.mov(QWORD, frame.localSlot(slotIndex), gprOf(b));
                }
                if (pass == 0) moveLocation(b, loc(r)); // a spilled operand (uses are never in scratch registers)
            }
        }
        int next = sd.memory() ? 2 : 0;
        List<dev.isthmus.x64.Register> sources = new ArrayList<>();
        int sourceCount = i.uses.length - next + Integer.bitCount(sd.absent());
        for (int j = 0; j < sourceCount; j++) {
            sources.add(sd.isAbsent(j) ? null : physical(phys.get(i.uses[next++])));
        }
        int t = sd.firstTemp();
        List<Xmm> xmmTemps = new ArrayList<>();
        for (int k = 0; k < sd.xmmTemps(); k++) xmmTemps.add(xmmOf(phys.get(i.defs[t++])));
        List<Gpr> gprTemps = new ArrayList<>();
        for (int k = 0; k < sd.gprTemps(); k++) gprTemps.add(gprOf(phys.get(i.defs[t++])));
        dev.isthmus.x64.Register dst = sd.hasResult() ? physical(phys.get(i.defs[0])) : null;
        Mem address = sd.memory()
                ? Mem.of(gprOf(phys.get(i.uses[0])), gprOf(phys.get(i.uses[1])), 1, (int) i.imm) : null;
        noteOffset(i.wasmOffset);
        simd.emit(sd.op(), new SimdOperands(dst, sources, xmmTemps, gprTemps, sd.lane(), sd.bytes(), address,
                sd.constants()));
        if (sd.hasResult() && needsBorrow(i.defs[0]) && loc(i.defs[0]) < 0) {
            moveLocation(loc(i.defs[0]), phys.get(i.defs[0]));
        }
        for (int k = saved.size() - 1; k >= 0; k--) {
            int b = saved.get(k)[0];
            Mem at = frame.localSlot(saved.get(k)[1]);
            if (isXmm(b)) simd.load(xmmOf(b), at);
            else a.mov(QWORD, gprOf(b), at);
        }
    }

    private static dev.isthmus.x64.Register physical(int location) {
        return isXmm(location) ? xmmOf(location) : gprOf(location);
    }

    /** Location {@code d} = the 64 bits {@code v} (through r11 into an xmm register or a wide value into a slot). */
    private void moveConstant(int d, long v) {
        if (d >= 0 && isXmm(d)) {
            if (v == 0) {
                a.sse(SseOp.XORPS, xmmOf(d), xmmOf(d));
            } else {
                movImm(QWORD, S1, v);
                a.movGprToXmm(QWORD, xmmOf(d), S1);
            }
        } else if (d >= 0) {
            movImm(QWORD, gprOf(d), v);
        } else if (v == (int) v) {
            a.mov(QWORD, slot(d), v);
        } else {
            a.movabs(S1, v);
            a.mov(QWORD, slot(d), S1);
        }
    }
}
