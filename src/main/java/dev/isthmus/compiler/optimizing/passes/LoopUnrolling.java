package dev.isthmus.compiler.optimizing.passes;

import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.compiler.optimizing.regalloc.LoopDepth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unrolling of small innermost loops that keeps every exit test: the loop's body is repeated k times in sequence,
 * each copy with its own exit branch (and its own trap exits), only the last copy branching back to the header. No
 * trip count is needed, so it applies to any {@link SimpleLoop}: the unrolled loop runs exactly the iterations, and
 * in each exactly the instructions, that the loop ran, in the same order; a loop that ran n iterations leaves from
 * copy n mod k of its last group.
 *
 * <pre>
 *           P ── jump ──▶ H (phis: P's inits, the last copy's back-edge values)
 *                         body ── exit? ──▶ E0 ──┐
 *                         H1 (no phis: the header's values are copy 0's back-edge values)
 *                         body ── exit? ──▶ E1 ──┤
 *                         …                       ├──▶ X0 (phis: loop values used after the loop) ── jump ──▶ X
 *                         H(k-1) body ── exit? ──▶ E(k-1)
 *                         latch(k-1) ── jump ──▶ H
 * </pre>
 *
 * A loop with several exits (a scanner: {@code while (n && *p == *q)}) keeps all of them in every copy: exit j of
 * copy c leads through its own block E[c][j] to a merge block X0_j per exit, which takes the exit's old target's place;
 * values of the loop used after it become phis of the X0_j, and where two exits meet again (a join) phis of those
 * ({@link LoopExitValues}).
 *
 * <p>Why: every loop header in the block order carries the safepoint poll ({@code compiler.machine.SafepointPoll}),
 * and only H is left one (the copies follow each other by forward edges), so a poll runs once per k iterations. With
 * fuel on, the copies keep their own charges and checks (a fuel check is an instruction of the body like any other),
 * so fuel stays exact: the same charges at the same wasm positions, checked where they were, running out at the same
 * instruction. Traps are unchanged for the same reason: the copies are the same instructions in the same order, so
 * the access that traps is the same one, after the same stores.
 *
 * <p>Which loops: a {@link SimpleLoop} (innermost, no call, memory.grow or runtime builtin) with one exit that lies
 * inside another loop (its header's loop depth is at least 2, {@link LoopDepth}: the loops that run most, a kernel's
 * inner loop; loops run once per call of their function are left alone, which keeps compile time: unrolling every
 * small loop made compiling a large module 34% slower, the nested ones 2-7%: docs/performance.md), or with two to
 * {@link #MAX_EXITS} exits anywhere, outside other loops only up to {@link #MAX_INSTRUCTIONS_TOP} phis and
 * instructions (a scanner or compare loop is often a function of its own, like wasi-libc's {@code memcmp}, and
 * would otherwise poll on every byte: there is no trip count to strip-mine it by; the size limit keeps compile time:
 * docs/performance.md), of at most
 * {@link #MAX_BLOCKS} blocks is unrolled {@link #FACTOR} times when it has at most {@link #MAX_INSTRUCTIONS}
 * phis and instructions, twice up to {@link #MAX_INSTRUCTIONS_TWICE}; at most {@link #MAX_LOOPS} loops per function
 * (each costing a pass over the function). Runs after {@link LoopVersioning}, so a versioned loop's unchecked copy
 * (and its checked original) are unrolled too.
 */
public final class LoopUnrolling {
    private LoopUnrolling() {}

    /** Copies of the body of a loop of at most {@link #MAX_INSTRUCTIONS} phis and instructions. */
    public static final int FACTOR = 4;
    /** The largest loop unrolled {@link #FACTOR} times. */
    public static final int MAX_INSTRUCTIONS = 40;
    /** The largest loop unrolled twice. */
    public static final int MAX_INSTRUCTIONS_TWICE = 80;
    /** Blocks in the cycle (many are jump-only blocks that cost no code, e.g. around an {@code if} that traps). */
    public static final int MAX_BLOCKS = 16;
    /** Loops unrolled per function. */
    public static final int MAX_LOOPS = 16;
    /** The largest loop with several exits unrolled outside any other loop (and then {@link #FACTOR} times). */
    public static final int MAX_INSTRUCTIONS_TOP = 24;
    /** The most exits of a loop unrolled (each copy keeps all of them). */
    public static final int MAX_EXITS = 4;

    /**
     * The system property that, set to {@code false} while a module is compiled, unrolls only loops with one exit
     * (a measurement switch, {@code bench/.../PropertyCost}).
     */
    public static final String SEVERAL_EXITS_PROPERTY = "isthmus.unroll.severalExits";

    /** Unrolls the loops of {@code f} that qualify; returns how many. */
    public static int run(IrFunction f) {
        int maxExits = "false".equals(System.getProperty(SEVERAL_EXITS_PROPERTY)) ? 1 : MAX_EXITS;
        int unrolled = 0;
        int n = f.blocks().size();                      // blocks added here are not visited again
        int[] depth = null;
        for (int h = 0; h < n && unrolled < MAX_LOOPS; h++) {
            IrBlock header = f.block(h);
            if (header.predCount() != 2) continue;
            SimpleLoop loop = SimpleLoop.find(f, header, MAX_INSTRUCTIONS_TWICE, MAX_BLOCKS, true, maxExits);
            if (loop == null) continue;
            if (depth == null) depth = LoopDepth.of(f.blocks().stream().map(b -> b.successors).toList());
            // a loop with one exit only inside another loop; a small loop with several exits anywhere (class doc)
            if (depth[h] < 2 && (loop.exitsAt().length == 1 || loop.size() > MAX_INSTRUCTIONS_TOP)) continue;
            unroll(f, loop, loop.size() <= MAX_INSTRUCTIONS ? FACTOR : 2);
            unrolled++;
        }
        return unrolled;
    }

    private static void unroll(IrFunction f, SimpleLoop loop, int k) {
        IrBlock header = f.block(loop.blocks()[0]);
        int entryIndex = header.pred(0) == loop.preheader() ? 0 : 1;
        int back = 1 - entryIndex;
        int length = loop.blocks().length;
        int[] exitsAt = loop.exitsAt(), targets = loop.exitTargets();
        int m = exitsAt.length;
        int[] offsets = new int[m];
        for (int j = 0; j < m; j++) offsets[j] = f.wasmOffset(f.block(loop.blocks()[exitsAt[j]]).terminator(f));
        int firstNew = f.blocks().size();
        // the blocks: version 0 is the loop itself, versions 1..k-1 new; each version's exit edge j gets its own
        // block to X0_j
        IrBlock[][] version = new IrBlock[k][length];
        for (int i = 0; i < length; i++) version[0][i] = f.block(loop.blocks()[i]);
        for (int c = 1; c < k; c++) {
            for (int i = 0; i < length; i++) version[c][i] = f.newBlock();
        }
        IrBlock[][] exits = new IrBlock[m][k];
        for (int j = 0; j < m; j++) for (int c = 0; c < k; c++) exits[j][c] = f.newBlock();
        IrBlock[] x0 = new IrBlock[m];
        for (int j = 0; j < m; j++) x0[j] = f.newBlock();
        // H keeps its predecessor's place for the last version's latch (whose copied edge is then not added again)
        IrBlock latch = f.block(loop.latch());
        IrBlock lastLatch = version[k - 1][length - 1];
        header.replacePred(latch.id, lastLatch.id);
        // versions 1..k-1: the header's phis stand for the previous version's back-edge values
        List<Map<Integer, Integer>> versions = new ArrayList<>();
        versions.add(null);
        Map<Integer, Integer> previous = Map.of();
        for (int c = 1; c < k; c++) {
            Map<Integer, Integer> map = new HashMap<>();
            for (int i = 0; i < header.phiCount(); i++) {
                int p = header.phi(i);
                int next = f.arg(p, back);
                map.put(p, previous.getOrDefault(next, next));
            }
            Map<Integer, Integer> blockMap = new HashMap<>();
            for (int i = 0; i < length; i++) blockMap.put(loop.blocks()[i], version[c][i].id);
            int nextHeader = c + 1 < k ? version[c + 1][0].id : header.id;
            int copy = c;
            loop.copyInto(f, version[c], map, (i, t) -> {
                if (t == header.id) return nextHeader;
                int j = exitIndex(exitsAt, targets, i, t);
                return j >= 0 ? exits[j][copy].id : blockMap.getOrDefault(t, t);
            }, Set.of());
            versions.add(map);
            previous = map;
        }
        // version 0 (copied above from its original successors): its back edge to H1, its exit edges to E0_j
        int[] ls = latch.successors;
        for (int x = 0; x < ls.length; x++) if (ls[x] == header.id) ls[x] = version[1][0].id;
        f.addEdge(latch, version[1][0]);
        for (int j = 0; j < m; j++) {
            IrBlock exitBlock = f.block(loop.blocks()[exitsAt[j]]);
            int[] es = exitBlock.successors;
            for (int x = 0; x < es.length; x++) if (es[x] == targets[j]) es[x] = exits[j][0].id;
            f.addEdge(exitBlock, exits[j][0]);
            f.block(targets[j]).replacePred(exitBlock.id, x0[j].id);
        }
        for (int i = 0; i < header.phiCount(); i++) {
            int p = header.phi(i);
            int[] a = f.args(p).clone();
            a[back] = previous.getOrDefault(a[back], a[back]);
            f.setPhiOperands(p, a);
        }
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < k; c++) {
                f.terminate(exits[j][c], IrOp.JUMP, 0, offsets[j], new int[] {x0[j].id});
                f.addEdge(exits[j][c], x0[j]);
            }
        }
        // values of the loop used after it: through phis of the X0_j
        boolean[] skip = new boolean[firstNew];
        for (int b : loop.blocks()) skip[b] = true;
        if (m == 1) loop.mergeUses(f, x0[0], versions, skip, firstNew);
        else LoopExitValues.merge(f, loop, x0, versions, skip, firstNew);
        for (int j = 0; j < m; j++) {                    // T_j lists X0_j already (replacePred)
            f.terminate(x0[j], IrOp.JUMP, 0, offsets[j], new int[] {targets[j]});
        }
    }

    /** Which exit the edge from position {@code i} of the loop to block {@code t} is, or -1. */
    private static int exitIndex(int[] exitsAt, int[] targets, int i, int t) {
        for (int j = 0; j < exitsAt.length; j++) if (exitsAt[j] == i && targets[j] == t) return j;
        return -1;
    }
}
