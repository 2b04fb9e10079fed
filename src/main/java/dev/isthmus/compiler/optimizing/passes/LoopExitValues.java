package dev.isthmus.compiler.optimizing.passes;

import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a loop with several exits used after it, once {@link LoopUnrolling} has made k versions of the loop
 * and led exit j of every version through a merge block X0_j:
 *
 * <pre>
 *   version c ── exit j ──▶ E[c][j] ──▶ X0_j (phi: value a of each version c) ──▶ T_j (the exit's old target)
 *
 *   T_1 ──▶ … ──┐
 *               ├──▶ J (a join after two exits: a phi of a, if a is used at or below J)
 *   T_2 ──▶ … ──┘
 * </pre>
 *
 * Each use of a loop value a outside the loop is rewritten to the value a has there: walking up from the use (for a
 * phi operand: from the end of its predecessor) through blocks with one predecessor leads either to some X0_j, whose
 * phi of a it takes, or to a join, which gets a phi of a whose operands are found the same way from its
 * predecessors (the on-demand SSA construction of Braun et al., with the X0_j phis as the definitions). Since a
 * dominated its uses before, every such walk meets an X0_j before it could reach the loop or the entry. A join phi
 * whose operands are one value (or itself) is replaced by that value.
 */
final class LoopExitValues {
    /**
     * Rewrites the uses of {@code loop}'s values in blocks below {@code firstNew} not marked in {@code skip}:
     * {@code x0[j]} merges exit j, its predecessor c coming from version c (values {@code versions.get(c)}, null for
     * the loop itself).
     */
    static void merge(IrFunction f, SimpleLoop loop, IrBlock[] x0, List<Map<Integer, Integer>> versions,
                      boolean[] skip, int firstNew) {
        new LoopExitValues(f, loop, x0, versions, skip, firstNew).run();
    }

    private final IrFunction f;
    private final SimpleLoop loop;
    private final IrBlock[] x0;
    private final List<Map<Integer, Integer>> versions;
    private final boolean[] skip;
    private final int firstNew;
    private final int valuesBefore;
    private final int[] exitOf;
    /** (block, value) → the phi standing for the value there: an exit's merge phi, or a join's phi. */
    private final Map<Long, Integer> phis = new HashMap<>();
    /** Join phis whose operands are still to be found: {phi, block, value}. */
    private final ArrayDeque<int[]> pending = new ArrayDeque<>();
    private final List<int[]> joins = new ArrayList<>();

    private LoopExitValues(IrFunction f, SimpleLoop loop, IrBlock[] x0, List<Map<Integer, Integer>> versions,
                           boolean[] skip, int firstNew) {
        this.f = f;
        this.loop = loop;
        this.x0 = x0;
        this.versions = versions;
        this.skip = skip;
        this.firstNew = firstNew;
        this.valuesBefore = f.valueCount();
        this.exitOf = new int[f.blocks().size()];
        Arrays.fill(exitOf, -1);
        for (int j = 0; j < x0.length; j++) exitOf[x0[j].id] = j;
    }

    private void run() {
        Map<Integer, Integer> last = versions.get(versions.size() - 1);
        for (int b = 0; b < firstNew; b++) {
            if (skip[b]) continue;
            IrBlock blk = f.block(b);
            for (int i = 0; i < blk.phiCount(); i++) {
                int u = blk.phi(i);
                if (u >= valuesBefore) continue;                 // a join phi made here
                int[] a = f.args(u);
                for (int j = 0; j < a.length; j++) {
                    if (isLoopValue(a[j], last)) a[j] = atEnd(blk.pred(j), a[j]);
                }
            }
            for (int i = 0; i < blk.instructionCount(); i++) {
                int[] a = f.args(blk.instruction(i));
                for (int j = 0; j < a.length; j++) {
                    if (isLoopValue(a[j], last)) a[j] = atStart(b, a[j]);
                }
            }
        }
        while (!pending.isEmpty()) {
            int[] p = pending.poll();
            IrBlock blk = f.block(p[1]);
            int[] operands = new int[blk.predCount()];
            for (int i = 0; i < operands.length; i++) operands[i] = atEnd(blk.pred(i), p[2]);
            f.setPhiOperands(p[0], operands);
        }
        removeTrivialJoins();
    }

    private boolean isLoopValue(int v, Map<Integer, Integer> last) {
        return v < valuesBefore && loop.contains(f, v) && last.containsKey(v);
    }

    /** The value {@code a} stands for at the end of block {@code b}. */
    private int atEnd(int b, int a) {
        if (exitOf[b] >= 0) return exitPhi(exitOf[b], a);
        return atStart(b, a);
    }

    /** The value {@code a} stands for at the start of block {@code b}. */
    private int atStart(int b, int a) {
        while (true) {
            if (b >= firstNew || skip[b]) {
                throw new IllegalStateException("loop value v" + a + " reaches b" + b + " without an exit");
            }
            Integer known = phis.get(key(b, a));
            if (known != null) return known;
            IrBlock blk = f.block(b);
            if (blk.predCount() == 1) {
                int p = blk.pred(0);
                if (exitOf[p] >= 0) return exitPhi(exitOf[p], a);
                b = p;
                continue;
            }
            if (blk.predCount() == 0) {
                throw new IllegalStateException("loop value v" + a + " reaches the entry without an exit");
            }
            int phi = f.newPhi(blk, f.type(a));
            phis.put(key(b, a), phi);
            pending.add(new int[] {phi, b, a});
            joins.add(new int[] {phi, b});
            return phi;
        }
    }

    /** The phi of X0_j over the versions of {@code a}. */
    private int exitPhi(int j, int a) {
        long key = key(x0[j].id, a);
        Integer known = phis.get(key);
        if (known != null) return known;
        int phi = f.newPhi(x0[j], f.type(a));
        int[] operands = new int[versions.size()];
        for (int c = 0; c < operands.length; c++) {
            Map<Integer, Integer> m = versions.get(c);
            operands[c] = m == null ? a : m.get(a);
        }
        f.setPhiOperands(phi, operands);
        phis.put(key, phi);
        return phi;
    }

    /** Join phis of one value (besides themselves) are replaced by it, until none is left. */
    private void removeTrivialJoins() {
        if (joins.isEmpty()) return;
        int[] replacement = new int[f.valueCount()];
        for (int v = 0; v < replacement.length; v++) replacement[v] = v;
        boolean[] removed = new boolean[f.valueCount()];
        boolean changed = true;
        boolean any = false;
        while (changed) {
            changed = false;
            for (int[] j : joins) {
                int phi = j[0];
                if (removed[phi]) continue;
                int same = -1;
                boolean trivial = true;
                for (int x : f.args(phi)) {
                    int r = resolve(replacement, x);
                    if (r == phi || r == same) continue;
                    if (same >= 0) {
                        trivial = false;
                        break;
                    }
                    same = r;
                }
                if (!trivial || same < 0) continue;
                replacement[phi] = same;
                removed[phi] = true;
                changed = true;
                any = true;
            }
        }
        if (!any) return;
        for (int v = 0; v < replacement.length; v++) replacement[v] = resolve(replacement, v);
        f.replaceAll(replacement);
        for (int[] j : joins) if (removed[j[0]]) f.block(j[1]).retain(v -> !removed[v]);
    }

    private static int resolve(int[] replacement, int v) {
        while (replacement[v] != v) v = replacement[v];
        return v;
    }

    private static long key(int block, int value) {
        return (long) block << 32 | value;
    }
}
