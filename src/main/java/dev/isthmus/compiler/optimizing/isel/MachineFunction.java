package dev.isthmus.compiler.optimizing.isel;

import java.util.ArrayList;
import java.util.List;

/**
 * A function as machine instructions over virtual registers, in blocks numbered like the IR's (blocks that are
 * unreachable are empty). Registers 0–15 are the general-purpose registers by encoding, 16–31 xmm0–xmm15;
 * virtual registers follow, each of one class (integer or float).
 */
public final class MachineFunction {
    public static final int FIRST_VIRTUAL = 32;
    /** Register number of xmm0 (xmm k is {@code XMM0 + k}). */
    public static final int XMM0 = 16;

    public final List<List<MInstr>> blocks = new ArrayList<>();
    /** Successors per block (as in the IR). */
    public final List<int[]> successors = new ArrayList<>();
    private int registerCount = FIRST_VIRTUAL;
    /**
     * Exception handling: per block ending in a covered call or throw (its last CALL or THROW), the clauses in
     * handler order as {@code kind, tag, landing block} triples.
     */
    public final java.util.SortedMap<Integer, int[]> clauses = new java.util.TreeMap<>();
    /** Blocks that poll at their start although the layout may make them no loop head (IR's polling blocks). */
    public java.util.BitSet pollingBlocks = new java.util.BitSet();
    /** Blocks that never poll, though back edges land there (headers and strip heads of strip-mined loops, IR's unpolled). */
    public java.util.BitSet unpolled = new java.util.BitSet();
    private int outgoingSlots;
    private int stagedSlots;
    private boolean framePointer;

    /** A call or tail call needs {@code slots} outgoing stack slots at the bottom of the frame. */
    public void noteOutgoing(int slots) {
        outgoingSlots = Math.max(outgoingSlots, slots);
    }

    /** The most outgoing stack slots any call needs (stack arguments and results, staged tail-call arguments). */
    public int outgoingSlots() {
        return outgoingSlots;
    }

    /** A call returns {@code slots} stack-result slots, which the emitter copies to the staging area. */
    public void noteStaged(int slots) {
        stagedSlots = Math.max(stagedSlots, slots);
    }

    /** 8-byte slots of the frame's staging area for calls' stack results. */
    public int stagedSlots() {
        return stagedSlots;
    }

    /**
     * The function addresses its incoming stack slots, resizes them for a tail call, or calls a function that may
     * return with rsp moved or another vmctx: it needs rbp as frame pointer.
     */
    public void needsFramePointer() {
        framePointer = true;
    }

    public boolean framePointerNeeded() {
        return framePointer;
    }

    public int registerCount() {
        return registerCount;
    }

    private final java.util.BitSet floats = new java.util.BitSet();
    /** Virtual registers holding v128 values (a subset of the floats: xmm registers, 16-byte spill slots). */
    private final java.util.BitSet v128s = new java.util.BitSet();

    /** A new virtual integer register. */
    public int newRegister() {
        return registerCount++;
    }

    /** A new virtual register of the given class. */
    public int newRegister(boolean isFloat) {
        if (isFloat) floats.set(registerCount);
        return registerCount++;
    }

    /** True for xmm registers and virtual float registers. */
    public boolean isFloat(int register) {
        return register < FIRST_VIRTUAL ? register >= XMM0 : floats.get(register);
    }

    /** A new virtual register of the class and width of {@code like} (a v128 register for a v128 register). */
    public int newRegisterLike(int like) {
        int r = newRegister(isFloat(like));
        if (isV128(like)) v128s.set(r);
        return r;
    }

    /** A new virtual v128 register. */
    public int newV128Register() {
        v128s.set(registerCount);
        return newRegister(true);
    }

    /** True for virtual registers holding v128 values (physical xmm registers carry no width). */
    public boolean isV128(int register) {
        return register >= FIRST_VIRTUAL && v128s.get(register);
    }

    void markV128(int register) {
        floats.set(register);
        v128s.set(register);
    }

    void reserve(int count) {
        registerCount = Math.max(registerCount, count);
    }

    void markFloat(int register) {
        floats.set(register);
    }

    /**
     * The function as a listing: each reachable block as {@code blockN:} (with its successors) followed by its
     * instructions, one {@link MInstr#toString() line} each, indented; unreachable (empty) blocks are left out.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < blocks.size(); b++) {
            List<MInstr> code = blocks.get(b);
            if (code.isEmpty()) continue;
            sb.append("block").append(b).append(':');
            int[] succ = b < successors.size() ? successors.get(b) : new int[0];
            if (succ.length > 0) {
                sb.append(" ; successors");
                for (int s : succ) sb.append(" block").append(s);
            }
            sb.append('\n');
            for (MInstr i : code) sb.append("    ").append(i).append('\n');
        }
        return sb.toString();
    }
}
