package dev.isthmus.compiler.optimizing.passes;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reassociates integer sums so that a phi (typically a loop's accumulator) is added last. A reduction unrolled by
 * the producer often reaches us as {@code acc' = p1 + (p2 + (p3 + (p4 + acc)))}: every iteration then waits for four
 * dependent additions on {@code acc}. Rebuilt as {@code acc' = ((p1 + p2) + (p3 + p4)) + acc}, the loop-carried chain
 * is one addition and the others run in parallel. Wrapping integer addition is associative and commutative, so the
 * sum is the same; float additions are never touched.
 *
 * <pre>
 *   before                          after
 *   n1 = p4 + acc                   n1 = p1 + p2
 *   n2 = p3 + n1                    n2 = p3 + p4
 *   n3 = p2 + n2                    n3 = n1 + n2
 *   n4 = p1 + n3   (root)           n4 = n3 + acc   (root: its users unchanged)
 * </pre>
 *
 * A tree is the root and the additions of the same kind (i32/i64 {@code add}, or one of the SIMD integer adds)
 * that feed it, each used once, in the root's block. It is rebuilt only when a phi is at depth two or more, at
 * least two other leaves remain and none is a constant (constants are folding's business: an address
 * {@code (i + 16) + 8} keeps its shape). The rebuilt nodes move to just before the root (every leaf is defined
 * before the root, and additions neither trap nor touch memory). Linear in the function's size.
 */
public final class Reassociation {
    private Reassociation() {
    }

    public static void run(IrFunction f) {
        int n = f.valueCount();
        int[] uses = new int[n];
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.phiCount(); i++) for (int x : f.args(b.phi(i))) uses[x]++;
            for (int i = 0; i < b.instructionCount(); i++) for (int x : f.args(b.instruction(i))) uses[x]++;
        }
        boolean[] seen = new boolean[n];
        boolean[] moved = new boolean[n];
        for (IrBlock b : f.blocks()) {
            java.util.Map<Integer, List<Integer>> before = null;      // root -> the nodes to put just before it
            for (int i = b.instructionCount() - 1; i >= 0; i--) {
                int root = b.instruction(i);
                if (seen[root] || !isSum(f, root)) continue;
                List<Integer> nodes = rebuild(f, b, root, uses, seen);
                if (nodes != null) {
                    if (before == null) before = new java.util.HashMap<>();
                    before.put(root, nodes);
                    for (int v : nodes) moved[v] = true;
                }
            }
            if (before == null) continue;
            int[] order = new int[b.instructionCount()];
            int k = 0;
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                if (moved[v]) continue;
                List<Integer> nodes = before.get(v);
                if (nodes != null) for (int x : nodes) order[k++] = x;
                order[k++] = v;
            }
            b.reorderInstructions(order);
        }
    }

    /**
     * Collects the tree under {@code root} (marking its nodes seen) and, if a phi's chain is to shorten, rewrites the
     * nodes' operands; returns the nodes other than the root in the order they must precede it, or null.
     */
    private static List<Integer> rebuild(IrFunction f, IrBlock b, int root, int[] uses, boolean[] seen) {
        // a phi at depth two needs an inner node under the root: most sums (addresses, counters) have none
        if (!isInner(f, f.arg(root, 0), root, b, uses) && !isInner(f, f.arg(root, 1), root, b, uses)) return null;
        List<Integer> nodes = new ArrayList<>();
        List<Integer> leaves = new ArrayList<>();
        List<Integer> phis = new ArrayList<>();
        boolean deepPhi = false;
        ArrayDeque<int[]> work = new ArrayDeque<>();               // {value, depth}
        work.push(new int[] {root, 0});
        while (!work.isEmpty()) {
            int[] top = work.pop();
            int v = top[0];
            if (v == root || isInner(f, v, root, b, uses)) {
                seen[v] = true;
                if (v != root) nodes.add(v);
                for (int x : f.args(v)) work.push(new int[] {x, top[1] + 1});
            } else if (f.op(v) == IrOp.PHI) {
                phis.add(v);
                deepPhi |= top[1] >= 2;
            } else {
                leaves.add(v);
            }
        }
        if (!deepPhi || leaves.size() < 2) return null;
        for (int leaf : leaves) if (f.op(leaf) == IrOp.CONST) return null;   // the folding's business, not ours
        nodes.add(root);                                          // the last node assigned is the root
        ArrayDeque<Integer> sums = new ArrayDeque<>(leaves);
        int next = 0;
        while (sums.size() > 1) {
            int node = nodes.get(next++);
            set(f, node, sums.poll(), sums.poll());
            sums.add(node);
        }
        int total = sums.poll();
        for (int phi : phis) {
            int node = nodes.get(next++);
            set(f, node, total, phi);
            total = node;
        }
        return nodes.subList(0, nodes.size() - 1);
    }

    private static void set(IrFunction f, int node, int x, int y) {
        int[] a = f.args(node);
        a[0] = x;
        a[1] = y;
    }

    /** Whether {@code v} is a node of {@code root}'s tree: a sum of the same kind used only there, in its block. */
    private static boolean isInner(IrFunction f, int v, int root, IrBlock b, int[] uses) {
        return uses[v] == 1 && f.blockOf(v) == b.id && f.op(v) == f.op(root) && f.type(v) == f.type(root)
                && isSum(f, v) && (f.op(v) != IrOp.SIMD || f.simd(v).op() == f.simd(root).op());
    }

    /** An integer addition: i32/i64 {@code add} or a SIMD integer add. */
    private static boolean isSum(IrFunction f, int v) {
        if (f.op(v) == IrOp.ADD) return f.args(v).length == 2;
        if (f.op(v) != IrOp.SIMD) return false;
        Opcode op = f.simd(v).op();
        return op == Opcode.I8X16_ADD || op == Opcode.I16X8_ADD || op == Opcode.I32X4_ADD || op == Opcode.I64X2_ADD;
    }
}
