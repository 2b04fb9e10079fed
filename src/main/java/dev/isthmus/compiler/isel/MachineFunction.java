package dev.isthmus.compiler.isel;

import java.util.ArrayList;
import java.util.List;

/**
 * A function as machine instructions over virtual registers, in blocks numbered like the IR's (blocks that are
 * unreachable are empty). Registers 0–15 are the physical registers by encoding; virtual registers follow.
 */
public final class MachineFunction {
    public static final int FIRST_VIRTUAL = 16;

    public final List<List<MInstr>> blocks = new ArrayList<>();
    /** Successors per block (as in the IR). */
    public final List<int[]> successors = new ArrayList<>();
    private int registerCount = FIRST_VIRTUAL;

    public int registerCount() {
        return registerCount;
    }

    /** A new virtual register. */
    public int newRegister() {
        return registerCount++;
    }

    void reserve(int count) {
        registerCount = Math.max(registerCount, count);
    }
}
