package dev.isthmus.compiler.optimizing.regalloc;

import java.util.Arrays;

/**
 * The loop nesting depth of each block of a control-flow graph (0 outside every loop), from its natural loops: a
 * back edge goes from a block to one of its ancestors in a depth-first search from the entry (the loop header),
 * and the loop's body is what reaches the back edge's source backwards without passing the header.
 *
 * <p>Loops are found innermost first (headers in decreasing depth-first preorder); a finished loop is collapsed
 * into its header (union-find), so an enclosing loop's backward walk visits each inner loop once, through its
 * header, instead of all its blocks again. Each block is thus walked once, in its innermost loop: time about
 * proportional to blocks plus edges, whatever the nesting. Wasm's structured control flow only makes reducible
 * graphs; an edge entering a loop body from outside the header's depth-first subtree (irreducible flow) is
 * ignored rather than followed. Used by the register allocator (spill weights) and by
 * {@code passes.LoopUnrolling} (which loops lie inside another).
 */
public final class LoopDepth {
    private LoopDepth() {}

    /** Per block of {@code successors} (entry block 0), its loop depth; unreachable blocks get 0. */
    public static int[] of(java.util.List<int[]> successors) {
        int n = successors.size();
        int[] depth = new int[n];
        if (n == 0) return depth;
        // depth-first search: preorder numbers, the last preorder number in each subtree (ancestor tests)
        int[] pre = new int[n];
        Arrays.fill(pre, -1);
        int[] last = new int[n];
        int[] node = new int[n];
        int count = 0;
        int[] stack = new int[n];
        int[] next = new int[n];
        int sp = 0;
        stack[sp] = 0;
        next[sp++] = 0;
        pre[0] = count;
        node[count++] = 0;
        while (sp > 0) {
            int b = stack[sp - 1];
            int[] succ = successors.get(b);
            if (next[sp - 1] < succ.length) {
                int s = succ[next[sp - 1]++];
                if (pre[s] < 0) {
                    pre[s] = count;
                    node[count++] = s;
                    stack[sp] = s;
                    next[sp++] = 0;
                }
            } else {
                last[b] = count - 1;
                sp--;
            }
        }
        // predecessors among the reachable blocks (one entry per edge)
        int[] predCount = new int[n + 1];
        for (int k = 0; k < count; k++) {
            for (int s : successors.get(node[k])) predCount[s + 1]++;
        }
        for (int b = 0; b < n; b++) predCount[b + 1] += predCount[b];
        int[] preds = new int[predCount[n]];
        int[] fill = Arrays.copyOf(predCount, n);
        for (int k = 0; k < count; k++) {
            int b = node[k];
            for (int s : successors.get(b)) preds[fill[s]++] = b;
        }
        int[] parent = new int[n];                  // the innermost loop header strictly containing the block, or -1
        Arrays.fill(parent, -1);
        boolean[] header = new boolean[n];
        int[] set = new int[n];                     // union-find: a collapsed loop's blocks point towards its header
        for (int b = 0; b < n; b++) set[b] = b;
        int[] mark = new int[n];                    // w + 1 once the block is in the body of the loop headed by w
        int[] work = new int[n];
        int[] body = new int[n];
        for (int k = count - 1; k >= 0; k--) {
            int w = node[k];
            int top = 0;
            int size = 0;
            for (int j = predCount[w]; j < predCount[w + 1]; j++) {
                int u = preds[j];
                if (pre[w] > pre[u] || pre[u] > last[w]) continue;  // not a back edge: u is no descendant of w
                header[w] = true;
                int x = find(set, u);
                if (x != w && mark[x] != w + 1) {
                    mark[x] = w + 1;
                    work[top++] = x;
                    body[size++] = x;
                }
            }
            while (top > 0) {
                int x = work[--top];
                for (int j = predCount[x]; j < predCount[x + 1]; j++) {
                    int y = find(set, preds[j]);
                    if (y == w || y == x || mark[y] == w + 1) continue;
                    if (pre[y] < pre[w] || pre[y] > last[w]) continue;      // entry from outside: irreducible
                    mark[y] = w + 1;
                    work[top++] = y;
                    body[size++] = y;
                }
            }
            for (int j = 0; j < size; j++) {
                parent[body[j]] = w;
                set[body[j]] = w;
            }
        }
        // outer headers come before inner ones in preorder
        for (int k = 0; k < count; k++) {
            int b = node[k];
            int p = parent[b];
            depth[b] = (p >= 0 ? depth[p] : 0) + (header[b] ? 1 : 0);
        }
        return depth;
    }

    private static int find(int[] set, int x) {
        int root = x;
        while (set[root] != root) root = set[root];
        while (set[x] != root) {
            int nx = set[x];
            set[x] = root;
            x = nx;
        }
        return root;
    }
}
