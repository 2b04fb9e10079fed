package dev.isthmus.compiler.optimizing.ir;

import java.util.Arrays;

/**
 * A basic block: phis first, then instructions, the last one a terminator. Successors are the terminator's
 * targets; predecessors are in the order of the phi operands.
 */
public final class IrBlock {
    public final int id;
    private int[] phis = new int[0];
    private int phiCount;
    private int[] instructions = new int[4];
    private int instructionCount;
    private int[] preds = new int[2];
    private int predCount;
    /** Successor block ids (set with the terminator). */
    public int[] successors = new int[0];

    IrBlock(int id) {
        this.id = id;
    }

    public int phiCount() { return phiCount; }
    public int phi(int i) { return phis[i]; }
    public int instructionCount() { return instructionCount; }
    public int instruction(int i) { return instructions[i]; }
    public int predCount() { return predCount; }
    public int pred(int i) { return preds[i]; }

    /** The terminator, or -1 while the block is open. */
    public int terminator(IrFunction f) {
        if (instructionCount == 0) return -1;
        int last = instructions[instructionCount - 1];
        return f.op(last).isTerminator() ? last : -1;
    }

    void addPhi(int v) {
        if (phiCount == phis.length) phis = Arrays.copyOf(phis, Math.max(4, phiCount * 2));
        phis[phiCount++] = v;
    }

    void addInstruction(int v) {
        if (instructionCount == instructions.length) instructions = Arrays.copyOf(instructions, instructionCount * 2);
        instructions[instructionCount++] = v;
    }

    void addPred(int b) {
        if (predCount == preds.length) preds = Arrays.copyOf(preds, predCount * 2);
        preds[predCount++] = b;
    }

    /** Replaces predecessor {@code old} by {@code replacement} (same position: the phis' operands keep their order). */
    public void replacePred(int old, int replacement) {
        for (int i = 0; i < predCount; i++) {
            if (preds[i] == old) {
                preds[i] = replacement;
                return;
            }
        }
        throw new IllegalArgumentException("b" + old + " is no predecessor of b" + id);
    }

    /** Replaces the instructions by {@code values} (the same values, reordered: a pass that moves pure ones). */
    public void reorderInstructions(int[] values) {
        if (values.length != instructionCount) throw new IllegalArgumentException("a reordering keeps every instruction");
        instructions = values.clone();
    }

    /** Moves instruction {@code v} (of this block) to just before instruction {@code before}. */
    public void moveBefore(int v, int before) {
        int[] order = new int[instructionCount];
        for (int i = 0, k = 0; i < instructionCount; i++) {
            int w = instructions[i];
            if (w == v) continue;
            if (w == before) order[k++] = v;
            order[k++] = w;
        }
        instructions = order;
    }

    /** Keeps only the phis and instructions for which {@code keep} is true. */
    public void retain(java.util.function.IntPredicate keep) {
        int k = 0;
        for (int i = 0; i < phiCount; i++) if (keep.test(phis[i])) phis[k++] = phis[i];
        phiCount = k;
        k = 0;
        for (int i = 0; i < instructionCount; i++) if (keep.test(instructions[i])) instructions[k++] = instructions[i];
        instructionCount = k;
    }
}
