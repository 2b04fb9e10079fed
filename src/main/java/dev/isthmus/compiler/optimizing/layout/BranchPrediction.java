package dev.isthmus.compiler.optimizing.layout;

import dev.isthmus.compiler.optimizing.isel.MInstr;
import dev.isthmus.compiler.optimizing.isel.MOp;
import dev.isthmus.compiler.optimizing.regalloc.LoopDepth;
import dev.isthmus.x64.Cond;

import java.util.Arrays;
import java.util.List;

/**
 * Static branch prediction for the block layout: for every block ending in a two-way conditional jump, the
 * successor predicted taken, which the layout places directly after it (the fall-through), so the likely path runs
 * without a taken branch. Three rules, after LLVM's static heuristics, in this order:
 * <ol>
 *   <li><b>cold return</b>: a short block that returns (no calls) is unlikely when the other successor is hot
 *       (calls, heads a loop, or jumps straight into such a block); the recursion's base case of
 *       {@code if (n == 0) return 0; ...} or the early exit before a loop.</li>
 *   <li><b>loop exit</b>: a branch inside a loop whose one successor leaves the loop (its loop depth is lower,
 *       {@link LoopDepth}) and whose other stays in it is predicted to stay: a scanner's
 *       {@code if (*p != *q) break;} then jumps out of line and the iteration runs straight through. The leaving
 *       successor is visited first, so it lands after the loop's blocks.</li>
 *   <li><b>zero test</b>: {@code x == 0} (a {@code test} followed by {@code je}) is predicted false, {@code x != 0}
 *       true.</li>
 * </ol>
 * Where neither applies the block has no preference ({@code -1}) and the layout keeps its rule (the first successor,
 * the then-block of an {@code if}, falls through).
 */
public final class BranchPrediction {
    /**
     * The system property that, set to {@code false} while a module is compiled, turns the loop-exit rule off (a
     * measurement switch, {@code bench/.../PropertyCost}).
     */
    public static final String LOOP_EXIT_PROPERTY = "isthmus.layout.loopExits";

    /** A returning block with at most this many instructions counts as a cheap early exit. */
    private static final int SHORT_BLOCK = 8;
    /** How many unconditional jumps the hotness test follows from a successor. */
    private static final int JUMP_CHAIN = 3;

    private final List<List<MInstr>> blocks;
    private final int[][] successors;
    private final boolean[] loopHead;
    private final int[] depth;

    private BranchPrediction(List<List<MInstr>> blocks, int[][] successors, int entry) {
        this.blocks = blocks;
        this.successors = successors;
        this.loopHead = loopHeads(successors, entry);
        boolean loops = false;
        for (boolean h : loopHead) loops |= h;
        this.depth = !loops || "false".equals(System.getProperty(LOOP_EXIT_PROPERTY)) ? new int[successors.length]
                : LoopDepth.of(Arrays.asList(successors));
    }

    /**
     * The predicted fall-through successor of every block ({@code -1}: no preference), given the blocks' code and
     * their successors (jump-only blocks already resolved to their targets) reachable from {@code entry}.
     */
    public static int[] fallThroughs(List<List<MInstr>> blocks, int[][] successors, int entry) {
        BranchPrediction p = new BranchPrediction(blocks, successors, entry);
        int[] preferred = new int[blocks.size()];
        for (int b = 0; b < preferred.length; b++) preferred[b] = p.predict(b);
        return preferred;
    }

    private int predict(int b) {
        List<MInstr> code = blocks.get(b);
        if (code.isEmpty() || successors[b] == null || successors[b].length != 2) return -1;
        MInstr jcc = code.get(code.size() - 1);
        if (jcc.op != MOp.JCC) return -1;
        int taken = successors[b][0];
        int notTaken = successors[b][1];
        if (taken == notTaken) return -1;
        if (coldReturn(taken) && hot(notTaken)) return notTaken;
        if (coldReturn(notTaken) && hot(taken)) return taken;
        int d = depth[b];
        if (d > 0 && depth[taken] < d && depth[notTaken] >= d) return notTaken;
        if (d > 0 && depth[notTaken] < d && depth[taken] >= d) return taken;
        if (code.size() >= 2 && code.get(code.size() - 2).op == MOp.TEST) {
            Cond c = jcc.cond();
            if (c == Cond.E) return notTaken;
            if (c == Cond.NE) return taken;
        }
        return -1;
    }

    /** A short block that ends in a return and makes no call. */
    private boolean coldReturn(int b) {
        List<MInstr> code = blocks.get(b);
        if (code.isEmpty() || code.size() > SHORT_BLOCK || code.get(code.size() - 1).op != MOp.RET) return false;
        return !calls(code);
    }

    /** The block calls or heads a loop, or reaches such a block through a few unconditional jumps. */
    private boolean hot(int b) {
        for (int steps = 0; steps <= JUMP_CHAIN; steps++) {
            List<MInstr> code = blocks.get(b);
            if (loopHead[b] || calls(code)) return true;
            if (code.isEmpty() || code.get(code.size() - 1).op != MOp.JMP) return false;
            b = successors[b][0];
        }
        return false;
    }

    private static boolean calls(List<MInstr> code) {
        for (MInstr i : code) {
            if (i.op == MOp.CALL) return true;
        }
        return false;
    }

    /** Targets of retreating edges of a depth-first search from {@code entry} (edges to a block still on the path). */
    private static boolean[] loopHeads(int[][] successors, int entry) {
        int n = successors.length;
        boolean[] heads = new boolean[n];
        byte[] state = new byte[n]; // 0 unseen, 1 on the path, 2 done
        int[] stack = new int[n + 1];
        int[] next = new int[n + 1];
        int sp = 0;
        stack[sp] = entry;
        next[sp++] = 0;
        state[entry] = 1;
        while (sp > 0) {
            int b = stack[sp - 1];
            int[] succ = successors[b];
            if (succ != null && next[sp - 1] < succ.length) {
                int s = succ[next[sp - 1]++];
                if (state[s] == 1) heads[s] = true;
                else if (state[s] == 0) {
                    state[s] = 1;
                    stack[sp] = s;
                    next[sp++] = 0;
                }
            } else {
                state[b] = 2;
                sp--;
            }
        }
        return heads;
    }
}
