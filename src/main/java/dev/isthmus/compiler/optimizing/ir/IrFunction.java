package dev.isthmus.compiler.optimizing.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A function in SSA form: values are numbered from 0, each defined by one instruction (its operation, type,
 * immediate and operand value ids, kept in parallel arrays); blocks list the instructions in order. Block 0 is the
 * entry. Operands are value ids; {@link #replaceAll} rewrites them through a replacement table (copy propagation).
 */
public final class IrFunction {
    private static final int[] NO_ARGS = new int[0];

    private IrOp[] ops = new IrOp[64];
    private IrType[] types = new IrType[64];
    private long[] imms = new long[64];
    private int[][] args = new int[64][];
    private int[] blockOf = new int[64];
    private int[] wasmOffsets = new int[64];
    /** The {@link SimdInfo} of SIMD instructions (allocated with the first one). */
    private SimdInfo[] simd;
    private int valueCount;
    /** Loads and stores whose bounds check is proven redundant ({@link #markInBounds}). */
    private final java.util.BitSet inBounds = new java.util.BitSet();
    private final List<IrBlock> blocks = new ArrayList<>();
    /** Result types of the function. */
    public final IrType[] results;
    public final IrType[] params;

    public IrFunction(IrType[] params, IrType[] results) {
        this.params = params;
        this.results = results;
    }

    public int valueCount() { return valueCount; }
    public IrOp op(int v) { return ops[v]; }
    public IrType type(int v) { return types[v]; }
    public long imm(int v) { return imms[v]; }
    public int[] args(int v) { return args[v]; }
    public int arg(int v, int i) { return args[v][i]; }
    public int blockOf(int v) { return blockOf[v]; }
    public int wasmOffset(int v) { return wasmOffsets[v]; }
    /** The opcode and immediates of SIMD instruction {@code v} ({@link IrOp#SIMD}, SIMD_LOAD, SIMD_STORE). */
    public SimdInfo simd(int v) { return simd[v]; }
    public List<IrBlock> blocks() { return blocks; }

    /**
     * Marks load or store {@code v} as in bounds: a check ahead of it (loop versioning,
     * {@code passes.LoopVersioning}) proved that its index needs no bounds check of its own.
     */
    public void markInBounds(int v) {
        IrOp op = ops[v];
        if (op != IrOp.LOAD && op != IrOp.STORE) throw new IllegalArgumentException("not a load or store: v" + v);
        inBounds.set(v);
    }

    /** True for a load or store {@link #markInBounds marked} in bounds: instruction selection emits no check. */
    public boolean inBounds(int v) {
        return inBounds.get(v);
    }
    public IrBlock block(int id) { return blocks.get(id); }

    /**
     * Blocks that poll whether or not the layout makes them a loop head: the block that goes round to a strip head
     * ({@code passes.StripMining}).
     */
    private final java.util.BitSet pollingBlocks = new java.util.BitSet();
    /** Headers and strip heads of mined loops: no poll even when the layout makes them a loop head. */
    private final java.util.BitSet unpolled = new java.util.BitSet();

    /** Marks block {@code b} polling: the safepoint poll is emitted at its start (and the block is kept). */
    public void markPolling(int b) {
        pollingBlocks.set(b);
    }

    /** Marks block {@code b} unpolled: no safepoint poll at its start, although back edges may land there. */
    public void markUnpolled(int b) {
        unpolled.set(b);
    }

    /** Whether block {@code b} is {@link #markPolling marked} polling. */
    public boolean isPolling(int b) {
        return pollingBlocks.get(b);
    }

    /** Whether block {@code b} is {@link #markUnpolled marked} unpolled. */
    public boolean isUnpolled(int b) {
        return unpolled.get(b);
    }

    /** The blocks {@link #markPolling marked} polling. */
    public java.util.BitSet pollingBlocks() {
        return (java.util.BitSet) pollingBlocks.clone();
    }

    /** The blocks {@link #markUnpolled marked} unpolled. */
    public java.util.BitSet unpolled() {
        return (java.util.BitSet) unpolled.clone();
    }

    public IrBlock newBlock() {
        IrBlock b = new IrBlock(blocks.size());
        blocks.add(b);
        return b;
    }

    private int newValue(IrOp op, IrType type, long imm, int[] operands, int block, int wasmOffset) {
        if (valueCount == ops.length) {
            int n = valueCount * 2;
            ops = Arrays.copyOf(ops, n);
            types = Arrays.copyOf(types, n);
            imms = Arrays.copyOf(imms, n);
            args = Arrays.copyOf(args, n);
            blockOf = Arrays.copyOf(blockOf, n);
            wasmOffsets = Arrays.copyOf(wasmOffsets, n);
        }
        int v = valueCount++;
        ops[v] = op;
        types[v] = type;
        imms[v] = imm;
        args[v] = operands.length == 0 ? NO_ARGS : operands;
        blockOf[v] = block;
        wasmOffsets[v] = wasmOffset;
        return v;
    }

    /** Appends an instruction to {@code block}; a terminator also sets the block's successors. */
    public int append(IrBlock block, IrOp op, IrType type, long imm, int wasmOffset, int... operands) {
        int v = newValue(op, type, imm, operands, block.id, wasmOffset);
        block.addInstruction(v);
        return v;
    }

    /** Appends a SIMD instruction ({@link IrOp#SIMD}, SIMD_LOAD, SIMD_STORE) with its opcode and immediates. */
    public int appendSimd(IrBlock block, IrOp op, IrType type, long imm, int wasmOffset, SimdInfo info,
                          int... operands) {
        int v = append(block, op, type, imm, wasmOffset, operands);
        if (simd == null || simd.length < ops.length) simd = Arrays.copyOf(simd == null ? new SimdInfo[0] : simd, ops.length);
        simd[v] = info;
        return v;
    }

    /** Appends a terminator with its successors. */
    public int terminate(IrBlock block, IrOp op, long imm, int wasmOffset, int[] successors, int... operands) {
        int v = append(block, op, IrType.NONE, imm, wasmOffset, operands);
        block.successors = successors;
        return v;
    }

    /** A new phi of {@code block} without operands (they are set with {@link #setPhiOperands}). */
    public int newPhi(IrBlock block, IrType type) {
        int v = newValue(IrOp.PHI, type, 0, NO_ARGS, block.id, -1);
        block.addPhi(v);
        return v;
    }

    public void setPhiOperands(int phi, int[] operands) {
        args[phi] = operands;
    }

    /** Adds one operand to a phi (for the predecessor just added). */
    public void addPhiOperand(int phi, int operand) {
        int[] a = args[phi];
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = operand;
        args[phi] = b;
    }

    /** Records {@code pred} as a predecessor of {@code block}. */
    public void addEdge(IrBlock pred, IrBlock block) {
        block.addPred(pred.id);
    }

    /**
     * A catch clause covering the call or throw that ends a block (exception handling): {@code order} ranks the
     * clauses of one block (innermost try first, then clause order), {@code kind} and {@code tag} are those of
     * {@link dev.isthmus.runtime.abi.FrameUnwind#handlers()}, {@code landing} the landing block.
     */
    public record Clause(long order, int kind, int tag, int landing) {}

    /** Per block id, the clauses covering the call or throw that ends it (absent: not covered). */
    private final java.util.TreeMap<Integer, List<Clause>> clauses = new java.util.TreeMap<>();

    /** Records a clause covering the call or throw that ends block {@code block}. */
    public void addClause(int block, Clause c) {
        clauses.computeIfAbsent(block, k -> new ArrayList<>()).add(c);
    }

    /** The blocks ending in a covered call or throw, ascending, each with its clauses in handler order. */
    public java.util.SortedMap<Integer, List<Clause>> clauses() {
        for (List<Clause> l : clauses.values()) l.sort(java.util.Comparator.comparingLong(Clause::order));
        return java.util.Collections.unmodifiableSortedMap(clauses);
    }

    /** Replaces instruction {@code v}'s operation and operands by an equivalent pair (a peephole rewrite). */
    public void rewrite(int v, IrOp op, int... operands) {
        ops[v] = op;
        args[v] = operands;
    }

    /** Turns {@code v} into a constant (constant folding). */
    public void makeConst(int v, long bits) {
        ops[v] = IrOp.CONST;
        imms[v] = types[v] == IrType.I32 ? bits & 0xFFFF_FFFFL : bits;
        args[v] = NO_ARGS;
    }

    /** Rewrites every operand {@code x} to {@code replacement[x]} (entries map to themselves when unchanged). */
    public void replaceAll(int[] replacement) {
        for (int v = 0; v < valueCount; v++) {
            int[] a = args[v];
            for (int i = 0; i < a.length; i++) a[i] = replacement[a[i]];
        }
    }
}
