package dev.isthmus.compiler.optimizing.layout;

import dev.isthmus.compiler.optimizing.isel.MInstr;

import java.util.Arrays;
import java.util.List;

/**
 * The order in which {@link MachineEmitter} places blocks, and which of them head loops in that order. Successors
 * are given per block (jump-only blocks already replaced by their targets).
 */
public final class BlockOrder {
    private BlockOrder() {}

    /**
     * Reverse postorder of the blocks reachable from block 0. A block's successors are visited last to first,
     * except that the one {@link BranchPrediction} predicts taken is visited last: the successor visited last
     * directly follows the block, so the predicted path falls through. Without a prediction that is the first
     * successor (the then-block of an if). Then {@link LoopRotation} moves latches up in front of their loop
     * headers.
     */
    public static int[] order(List<List<MInstr>> blocks, int[][] succ) {
        int n = blocks.size();
        int[] preferred = BranchPrediction.fallThroughs(blocks, succ, 0);
        int[][] visit = new int[n][];
        for (int b = 0; b < n; b++) visit[b] = visitOrder(succ[b], preferred[b]);
        int[] post = new int[n];
        int count = 0;
        boolean[] seen = new boolean[n];
        int[] stack = new int[n + 1];
        int[] next = new int[n + 1];
        int sp = 0;
        stack[sp] = 0;
        next[sp++] = 0;
        seen[0] = true;
        while (sp > 0) {
            int b = stack[sp - 1];
            if (next[sp - 1] < visit[b].length) {
                int s = visit[b][next[sp - 1]++];
                if (!seen[s]) {
                    seen[s] = true;
                    stack[sp] = s;
                    next[sp++] = 0;
                }
            } else {
                post[count++] = b;
                sp--;
            }
        }
        int[] order = new int[count];
        for (int k = 0; k < count; k++) order[k] = post[count - 1 - k];
        return LoopRotation.rotate(order, blocks, succ);
    }

    /** Blocks that are the target of a back edge in {@code order} (a jump to a block at or before the jump's). */
    public static boolean[] loopHeads(int[] order, int[][] succ) {
        int[] position = new int[succ.length];
        Arrays.fill(position, -1);
        for (int k = 0; k < order.length; k++) position[order[k]] = k;
        boolean[] heads = new boolean[succ.length];
        for (int k = 0; k < order.length; k++) {
            for (int s : succ[order[k]]) {
                if (position[s] >= 0 && position[s] <= k) heads[s] = true;
            }
        }
        return heads;
    }

    /** {@code succ} last to first, with {@code preferred} (when one of them) moved to the end. */
    private static int[] visitOrder(int[] succ, int preferred) {
        int[] visit = new int[succ.length];
        int k = 0;
        for (int j = succ.length - 1; j >= 0; j--) {
            if (succ[j] != preferred) visit[k++] = succ[j];
        }
        while (k < visit.length) visit[k++] = preferred; // present (once or more) or k already at the end
        return visit;
    }
}
