package dev.isthmus.compiler.optimizing.layout;

import dev.isthmus.compiler.optimizing.isel.MInstr;
import dev.isthmus.compiler.optimizing.isel.MOp;

import java.util.Arrays;
import java.util.List;

/**
 * Loop rotation in the block order: a loop whose latch (the block that jumps back to the header) follows the
 * conditional exit test is laid out with the latch moved up in front of the header, so that each iteration ends in
 * one backward conditional branch instead of a not-taken exit branch and a taken jump.
 * <pre>
 *   before                          after
 *   ...                             ...
 *   H:  body                        jmp H          (once, on entry)
 *       cmp; jbe EXIT               L:  moves      (the back edge's parallel move, unchanged)
 *   L:  moves                       H:  body
 *       jmp H                           cmp; ja L  (backward: taken while the loop runs)
 *   EXIT:                           EXIT:
 * </pre>
 * Only the order changes: every block keeps its code, and the emitter adds the jumps a block needs where it no longer
 * falls through to its successor, so the back edge's parallel moves stay on the back edge and run exactly as before.
 * A latch is moved only when the block before it ends in a conditional jump to it whose other successor follows the
 * latch (so that block's exit becomes its fall-through), and never in front of the entry block.
 */
public final class LoopRotation {
    private LoopRotation() {
    }

    /** {@code order} with every rotatable latch moved in front of its header (one latch per header). */
    public static int[] rotate(int[] order, List<List<MInstr>> blocks, int[][] successors) {
        int n = blocks.size();
        int[] position = new int[n];
        Arrays.fill(position, -1);
        for (int k = 0; k < order.length; k++) position[order[k]] = k;
        int[] latchOf = new int[n]; // header -> the latch placed in front of it, or -1
        Arrays.fill(latchOf, -1);
        boolean[] moved = new boolean[n];
        boolean any = false;
        for (int k = 1; k + 1 < order.length; k++) {
            int latch = order[k];
            List<MInstr> code = blocks.get(latch);
            if (code.isEmpty() || code.get(code.size() - 1).op != MOp.JMP) continue;
            int header = successors[latch][0];
            if (position[header] <= 0 || position[header] >= k || latchOf[header] >= 0) continue;
            int test = order[k - 1];
            List<MInstr> testCode = blocks.get(test);
            if (testCode.get(testCode.size() - 1).op != MOp.JCC || moved[test]) continue;
            int[] s = successors[test];
            int exit = s[0] == latch ? s[1] : s[1] == latch ? s[0] : -1;
            if (exit < 0 || exit == latch || order[k + 1] != exit) continue;
            latchOf[header] = latch;
            moved[latch] = true;
            any = true;
        }
        if (!any) return order;
        int[] rotated = new int[order.length];
        int j = 0;
        for (int b : order) {
            if (moved[b]) continue;
            if (latchOf[b] >= 0) rotated[j++] = latchOf[b];
            rotated[j++] = b;
        }
        return rotated;
    }
}
