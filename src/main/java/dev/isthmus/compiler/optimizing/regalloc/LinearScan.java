package dev.isthmus.compiler.optimizing.regalloc;

import dev.isthmus.compiler.optimizing.isel.MDetail;
import dev.isthmus.compiler.optimizing.isel.MInstr;
import dev.isthmus.compiler.optimizing.isel.MOp;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;
import dev.isthmus.runtime.abi.WasmAbi;
import dev.isthmus.x64.Gpr;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Linear-scan register allocation (Poletto and Sarkar; live intervals with holes as in Wimmer and Mössenböck).
 *
 * <p>Positions: instruction k (in block order) reads its operands at {@code 2k} and writes its results at
 * {@code 2k+1}. Liveness is solved per block, then each virtual register gets an {@link Interval}. Physical
 * registers get fixed intervals where instructions need them (arguments, results, shift counts, division) and where
 * calls clobber them (every caller-saved register, one position at the call), so a value live across a call can only
 * get a callee-saved register — and only such values use those. Intervals are allocated in order of start: a
 * hinted register (the other side of a move) first, then the first register free for the whole interval; when none
 * is, the one with the lowest spill weight among the current one and the conflicting active ones is spilled to a
 * stack slot for its whole life. The spill weight is the interval's uses and definitions per position it covers,
 * both counted as the code runs: each weighted by 10^(loop depth of its block) ({@link LoopDepth}), so the values
 * an inner loop uses keep their registers there and those merely live across it go first. {@link #allocate} then splits the spilled ranges around their uses ({@link SpillSplitter})
 * and allocates again, so spilled values are read from reload registers. r10 and r11 are never allocated (the emitter's scratch registers for spilled operands and
 * move cycles); r15 holds the vmctx, rsp and rbp the frame.
 */
public final class LinearScan {
    /** Allocation order: caller-saved first (cheap), callee-saved last (saved by the prologue). */
    static final Gpr[] ORDER = {Gpr.RAX, Gpr.RCX, Gpr.RDX, Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9,
            Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R14};
    private static final Gpr[] CALLER_SAVED = {Gpr.RAX, Gpr.RCX, Gpr.RDX, Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9,
            Gpr.R10, Gpr.R11};
    /** Float registers in allocation order: xmm0–xmm14 (all caller-saved; xmm15 is the emitter's scratch). */
    private static final int[] XMM_ORDER = new int[15];
    private static final int[] GPR_ORDER = new int[ORDER.length];

    /** Per class, the scan's starting free-until row: unbounded for the class's registers, 0 for the others. */
    private static final int[] XMM_FREE = new int[MachineFunction.FIRST_VIRTUAL];
    private static final int[] GPR_FREE = new int[MachineFunction.FIRST_VIRTUAL];

    static {
        for (int k = 0; k < 15; k++) XMM_ORDER[k] = MachineFunction.XMM0 + k;
        for (int k = 0; k < ORDER.length; k++) GPR_ORDER[k] = ORDER[k].encoding();
        for (int r : XMM_ORDER) XMM_FREE[r] = Integer.MAX_VALUE;
        for (int r : GPR_ORDER) GPR_FREE[r] = Integer.MAX_VALUE;
    }

    private final MachineFunction m;
    private final Interval[] intervals;
    private final Interval[] fixed = new Interval[MachineFunction.FIRST_VIRTUAL];
    private final int[] blockFrom;
    private final int[] blockTo;
    /** Registers that are live across blocks, by dense index; and each register's dense index or -1. */
    private int[] globals;
    private int[] denseOf;

    /** Registers kept in their stack slot for their whole life (split around their uses by {@link SpillSplitter}). */
    private final BitSet forced;

    /** Per block, the weight of a use or definition there: 10^depth for loop depth up to 4, 10^4 deeper. */
    static final double[] DEPTH_WEIGHT = {1, 10, 100, 1000, 10000};

    private LinearScan(MachineFunction m, BitSet forced) {
        this.m = m;
        this.forced = forced;
        this.intervals = new Interval[m.registerCount()];
        int n = m.blocks.size();
        blockFrom = new int[n];
        blockTo = new int[n];
        int k = 0;
        for (int b = 0; b < n; b++) {
            blockFrom[b] = 2 * k;
            k += m.blocks.get(b).size();
            blockTo[b] = 2 * k;
        }
        for (int r = 0; r < MachineFunction.FIRST_VIRTUAL; r++) fixed[r] = new Interval(r);
    }

    /** Most allocation rounds: each splits the registers the previous one spilled, then allocates again. */
    private static final int ROUNDS = 3;

    /**
     * Allocates registers for {@code m}. When registers run out, the spilled registers' live ranges are split
     * ({@link SpillSplitter}: a stack slot for the whole life, short reload registers at the uses, rewriting
     * {@code m}) and allocation runs again, up to {@value #ROUNDS} times.
     */
    public static Allocation allocate(MachineFunction m) {
        int original = m.registerCount();
        BitSet forced = new BitSet();
        LinearScan scan = new LinearScan(m, forced);
        Allocation result = scan.run();
        for (int round = 1; round < ROUNDS; round++) {
            BitSet spilled = scan.spilledBelow(original);
            spilled.andNot(forced);
            if (spilled.isEmpty()) break;
            forced.or(spilled);
            if (!SpillSplitter.split(m, forced)) break;
            scan = new LinearScan(m, forced);
            result = scan.run();
        }
        return result;
    }

    /** Virtual registers below {@code limit} this allocation put in a stack slot. */
    private BitSet spilledBelow(int limit) {
        BitSet s = new BitSet();
        for (int r = MachineFunction.FIRST_VIRTUAL; r < Math.min(limit, intervals.length); r++) {
            Interval i = intervals[r];
            if (i != null && !i.isEmpty() && i.assigned < 0) s.set(r);
        }
        return s;
    }

    private Interval interval(int r) {
        Interval i = intervals[r];
        if (i == null) intervals[r] = i = new Interval(r);
        return i;
    }

    private Allocation run() {
        buildIntervals(liveIn());
        hints();
        return scan();
    }

    // ---------------------------------------------------------------- liveness

    /**
     * Live-in sets per block over the <em>global</em> registers only (used in a block other than the one defining
     * them, or defined in several blocks); block-local temporaries need no dataflow. A set holds dense indices k
     * (register {@link #globals}[k]), in no particular order.
     *
     * <p>Computed by backward exploration from each register's upward-exposed uses, one register at a time: a use
     * in block b not preceded by a definition in b makes it live into b; live into b makes it live out of each
     * predecessor p, and so live into p unless p defines it. That is the least solution of the usual dataflow
     * equations (in(b) = gen(b) ∪ (∪ in(succ) − kill(b))), reached in time and memory proportional to the sets
     * themselves, not to blocks × registers (dense bit sets took quadratic time and memory: 40,000 nested ifs, 13 s and
     * 2 GB). Empty blocks (left unreachable) keep empty sets and pass nothing on, as before.
     */
    private int[][] liveIn() {
        int n = m.blocks.size();
        int count = m.registerCount();
        int[] defBlock = new int[count];
        java.util.Arrays.fill(defBlock, -1);
        denseOf = new int[count];
        java.util.Arrays.fill(denseOf, -1);
        int globalCount = 0;
        int[] order = new int[16];
        for (int b = 0; b < n; b++) {
            for (MInstr i : m.blocks.get(b)) {
                for (int u : i.uses) {
                    if (u >= MachineFunction.FIRST_VIRTUAL && defBlock[u] != b && denseOf[u] < 0) {
                        if (globalCount == order.length) order = java.util.Arrays.copyOf(order, globalCount * 2);
                        order[globalCount] = u;
                        denseOf[u] = globalCount++;
                    }
                }
                for (int d : i.defs) {
                    if (d < MachineFunction.FIRST_VIRTUAL) continue;
                    if (defBlock[d] >= 0 && defBlock[d] != b && denseOf[d] < 0) {
                        if (globalCount == order.length) order = java.util.Arrays.copyOf(order, globalCount * 2);
                        order[globalCount] = d;
                        denseOf[d] = globalCount++;
                    }
                    defBlock[d] = b;
                }
            }
        }
        globals = java.util.Arrays.copyOf(order, globalCount);
        // per global: the blocks where it is upward-exposed (gen) and the blocks defining it (kill), as flat lists
        IntLists gen = new IntLists(globalCount);
        IntLists kill = new IntLists(globalCount);
        int[] seenIn = new int[globalCount];                  // b + 1 once the register was seen in block b
        int[] killedIn = new int[globalCount];
        for (int b = 0; b < n; b++) {
            for (MInstr i : m.blocks.get(b)) {
                for (int u : i.uses) {
                    if (u < MachineFunction.FIRST_VIRTUAL || denseOf[u] < 0) continue;
                    int k = denseOf[u];
                    if (killedIn[k] != b + 1 && seenIn[k] != b + 1) {
                        seenIn[k] = b + 1;
                        gen.add(k, b);
                    }
                }
                for (int d : i.defs) {
                    if (d < MachineFunction.FIRST_VIRTUAL || denseOf[d] < 0) continue;
                    int k = denseOf[d];
                    if (killedIn[k] != b + 1) {
                        killedIn[k] = b + 1;
                        kill.add(k, b);
                    }
                }
            }
        }
        int[][] predecessors = predecessors(n);
        IntLists in = new IntLists(n);
        int[] liveMark = new int[n];                          // k + 1 once global k is live into the block
        int[] killMark = new int[n];                          // k + 1 when the block defines global k
        int[] work = new int[16];
        for (int k = 0; k < globalCount; k++) {
            int stamp = k + 1;
            for (int j = kill.start(k); j < kill.end(k); j++) killMark[kill.at(j)] = stamp;
            int top = 0;
            for (int j = gen.start(k); j < gen.end(k); j++) {
                if (top == work.length) work = java.util.Arrays.copyOf(work, 2 * top);
                work[top++] = gen.at(j);
            }
            while (top > 0) {
                int b = work[--top];
                if (liveMark[b] == stamp || m.blocks.get(b).isEmpty()) continue;
                liveMark[b] = stamp;
                in.add(b, k);
                for (int p : predecessors[b]) {
                    if (liveMark[p] == stamp || killMark[p] == stamp) continue;   // defined there: live out only
                    if (top == work.length) work = java.util.Arrays.copyOf(work, 2 * top);
                    work[top++] = p;
                }
            }
        }
        return in.toArrays();
    }

    /** Each block's predecessors (a predecessor listed once per edge). */
    private int[][] predecessors(int n) {
        int[] counts = new int[n];
        for (int b = 0; b < n; b++) {
            for (int s : m.successors.get(b)) counts[s]++;
        }
        int[][] predecessors = new int[n][];
        for (int b = 0; b < n; b++) predecessors[b] = new int[counts[b]];
        java.util.Arrays.fill(counts, 0);
        for (int b = 0; b < n; b++) {
            for (int s : m.successors.get(b)) predecessors[s][counts[s]++] = b;
        }
        return predecessors;
    }

    /** Growable int lists, one per key, appended to in any order. */
    private static final class IntLists {
        private final int[][] lists;
        private final int[] sizes;
        private int[] flatStarts;
        private int[] flat;

        IntLists(int keys) {
            lists = new int[keys][];
            sizes = new int[keys];
        }

        void add(int key, int value) {
            int[] list = lists[key];
            if (list == null) lists[key] = list = new int[4];
            else if (sizes[key] == list.length) lists[key] = list = java.util.Arrays.copyOf(list, 2 * list.length);
            list[sizes[key]++] = value;
        }

        /** The lists as exact-length arrays (an empty one for a key never added to). */
        int[][] toArrays() {
            int[][] out = new int[lists.length][];
            for (int key = 0; key < lists.length; key++) {
                out[key] = lists[key] == null ? EMPTY : java.util.Arrays.copyOf(lists[key], sizes[key]);
            }
            return out;
        }

        // read access by flat index, for the per-key loops above
        int start(int key) {
            flatten();
            return flatStarts[key];
        }

        int end(int key) {
            flatten();
            return flatStarts[key + 1];
        }

        int at(int index) {
            return flat[index];
        }

        private void flatten() {
            if (flat != null) return;
            flatStarts = new int[lists.length + 1];
            for (int key = 0; key < lists.length; key++) flatStarts[key + 1] = flatStarts[key] + sizes[key];
            flat = new int[flatStarts[lists.length]];
            for (int key = 0; key < lists.length; key++) {
                if (lists[key] != null) System.arraycopy(lists[key], 0, flat, flatStarts[key], sizes[key]);
                lists[key] = null;
            }
        }

        private static final int[] EMPTY = new int[0];
    }

    // ---------------------------------------------------------------- intervals

    private void buildIntervals(int[][] in) {
        int[] fixedEnd = new int[MachineFunction.FIRST_VIRTUAL];
        int[] outMark = new int[globals.length];              // b + 1 once global k is live out of block b
        int[] depth = LoopDepth.of(m.successors);
        blockWeight = new double[depth.length];
        weightedFrom = new double[depth.length + 1];
        for (int b = 0; b < depth.length; b++) {
            blockWeight[b] = DEPTH_WEIGHT[Math.min(depth[b], DEPTH_WEIGHT.length - 1)];
            weightedFrom[b + 1] = weightedFrom[b] + blockWeight[b] * (blockTo[b] - blockFrom[b]);
        }
        for (int b = m.blocks.size() - 1; b >= 0; b--) {
            List<MInstr> code = m.blocks.get(b);
            if (code.isEmpty()) continue;
            double weight = blockWeight[b];
            int from = blockFrom[b];
            int[] successors = m.successors.get(b);
            for (int s : successors) {                        // live-out: the union of the successors' live-in sets
                for (int k : in[s]) {
                    if (outMark[k] == b + 1) continue;
                    outMark[k] = b + 1;
                    interval(globals[k]).addRange(from, blockTo[b]);
                }
            }
            java.util.Arrays.fill(fixedEnd, -1);
            for (int k = code.size() - 1; k >= 0; k--) {
                MInstr i = code.get(k);
                int pos = from + 2 * k;
                int firstTemp = i.op == MOp.SIMD ? ((MDetail.Simd) i.detail).firstTemp() : i.defs.length;
                for (int j = 0; j < i.defs.length; j++) {
                    int d = i.defs[j];
                    if (j >= firstTemp) {
                        // a SIMD temporary: live from the operands' read to the result's write, distinct from both
                        interval(d).addRange(pos, pos + 2);
                        intervals[d].useWeight += weight;
                    } else if (d < MachineFunction.FIRST_VIRTUAL) {
                        int end = fixedEnd[d] >= 0 ? fixedEnd[d] : pos + 2;
                        fixed[d].addRange(pos + 1, end);
                        fixedEnd[d] = -1;
                    } else {
                        interval(d).setFrom(pos + 1);
                        intervals[d].useWeight += weight;
                    }
                }
                if (i.op == MOp.CALL || i.op == MOp.THROW) {
                    for (Gpr r : CALLER_SAVED) if (!contains(i.defs, r.encoding())) fixed[r.encoding()].addRange(pos + 1, pos + 2);
                    for (int x = MachineFunction.XMM0; x < MachineFunction.XMM0 + 16; x++) {
                        if (!contains(i.defs, x)) fixed[x].addRange(pos + 1, pos + 2);
                    }
                }
                if (i.op == MOp.DIVREM) fixed[2].addRange(pos, pos + 1); // rdx is written before the divisor is read
                for (int u : i.uses) {
                    if (u < 0) continue;
                    if (u < MachineFunction.FIRST_VIRTUAL) {
                        if (fixedEnd[u] < 0) fixedEnd[u] = pos + 1;
                    } else {
                        interval(u).addRange(from, pos + 1);
                        intervals[u].useWeight += weight;
                    }
                }
            }
            for (int r = 0; r < MachineFunction.FIRST_VIRTUAL; r++) if (fixedEnd[r] >= 0) fixed[r].addRange(from, fixedEnd[r]);
        }
    }

    /** Per block, {@link #DEPTH_WEIGHT} of its loop depth; and the weighted positions before each block (one more). */
    private double[] blockWeight;
    private double[] weightedFrom;

    /**
     * The positions before {@code pos}, each weighted by its block's loop depth: an estimate of how often the code
     * up to there runs, so that a difference of two is how often a stretch of positions runs.
     */
    private double weightedPosition(int pos) {
        int lo = 0;
        int hi = blockFrom.length - 1;
        if (hi < 0 || pos >= blockTo[hi]) return weightedFrom[blockFrom.length];
        while (lo < hi) {                                 // the last block starting at or before pos
            int mid = (lo + hi + 1) >>> 1;
            if (blockFrom[mid] <= pos) lo = mid;
            else hi = mid - 1;
        }
        return weightedFrom[lo] + blockWeight[lo] * (pos - blockFrom[lo]);
    }

    /**
     * What keeping {@code i} in a register is worth per position it occupies, counted as the code runs: its uses and
     * definitions weighted by loop depth ({@link Interval#useWeight}) over its positions weighted the same way. A
     * value used in every iteration of a loop weighs about its uses per loop position there; a value merely live
     * across an inner loop weighs little, however often it is used outside. A reload register of
     * {@link SpillSplitter} (a use or two over a few positions) weighs much, like any short interval, but not
     * infinitely: making every reload register unspillable made straight-line code with many calls spill more
     * (field25519's fe_invert, 322 calls: 3,143 stack accesses before spill weights, 4,647 with unspillable reloads,
     * 1,760 without). Computed once per interval, after the intervals are built.
     */
    private double spillWeight(Interval i) {
        if (i.spillWeight < 0) {
            double length = 0;
            for (int k = i.first; k < i.ranges.length; k += 2) {
                length += weightedPosition(i.ranges[k + 1]) - weightedPosition(i.ranges[k]);
            }
            i.spillWeight = i.useWeight / Math.max(1, length);
        }
        return i.spillWeight;
    }

    private static boolean contains(int[] a, int x) {
        for (int y : a) if (y == x) return true;
        return false;
    }

    /** Each register defined by a move prefers its source's register, and the source the destination's. */
    private void hints() {
        for (List<MInstr> code : m.blocks) {
            for (MInstr i : code) {
                boolean move = switch (i.op) {
                    case MOV, PMOV, ALU, ALUI, IMUL, SHIFT, SHIFTI, MOVSX, CMOV, FBIN, FUN -> true;
                    default -> false;
                };
                if (!move) continue;
                boolean pmov = i.op == MOp.PMOV;
                int n = pmov ? i.defs.length : 1;
                for (int k = 0; k < n; k++) {
                    int d = i.defs[k];
                    if (pmov && i.parallelMove().isConstant(k)) continue;
                    int s = pmov ? i.parallelMove().register(k) : i.op == MOp.CMOV ? i.uses[1] : i.uses[k];
                    if (s < MachineFunction.FIRST_VIRTUAL && d >= MachineFunction.FIRST_VIRTUAL && intervals[d] != null
                            && intervals[d].physicalHint < 0) {
                        intervals[d].physicalHint = s;
                    }
                    if (d < MachineFunction.FIRST_VIRTUAL && s >= MachineFunction.FIRST_VIRTUAL && intervals[s] != null
                            && intervals[s].physicalHint < 0) {
                        intervals[s].physicalHint = d;
                    }
                    if (d >= MachineFunction.FIRST_VIRTUAL && intervals[d] != null && intervals[d].hint < 0) intervals[d].hint = s;
                    // a phi operand prefers the phi's register above all (phis of loop headers are allocated first;
                    // when they share it, the back edge needs no move)
                    boolean phiOperand = pmov && d >= MachineFunction.FIRST_VIRTUAL;
                    if (s >= MachineFunction.FIRST_VIRTUAL && intervals[s] != null
                            && (intervals[s].hint < 0 || phiOperand)) {
                        intervals[s].hint = d;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- allocation

    private Allocation scan() {
        // by start, then by register (a primitive sort of (start << 32 | register) keys)
        long[] unhandled = new long[intervals.length];
        int unhandledCount = 0;
        for (Interval i : intervals) {
            if (i != null && !i.isEmpty()) unhandled[unhandledCount++] = (long) i.start() << 32 | i.register;
        }
        java.util.Arrays.sort(unhandled, 0, unhandledCount);
        List<Interval> active = new ArrayList<>();
        InactiveList inactive = new InactiveList();
        int slots = 0;
        int usedMask = 0;
        int[] freeUntil = new int[MachineFunction.FIRST_VIRTUAL];
        // per physical register, the fixed interval's range at its cursor (valid while the scan is before its end)
        int[] fixedFrom = new int[MachineFunction.FIRST_VIRTUAL];
        int[] fixedTo = new int[MachineFunction.FIRST_VIRTUAL];
        java.util.Arrays.fill(fixedTo, Integer.MIN_VALUE);
        int activeBoundary = Integer.MAX_VALUE;
        int inactiveBoundary = Integer.MAX_VALUE;
        for (int u = 0; u < unhandledCount; u++) {
            Interval cur = intervals[(int) unhandled[u]];
            if (forced.get(cur.register)) {
                slots = spill(cur, slots);
                continue;
            }
            int pos = cur.start();
            // an interval's state can only change at its boundary: skip whole lists before their earliest one
            if (pos >= activeBoundary) {
                activeBoundary = Integer.MAX_VALUE;
                for (int j = active.size() - 1; j >= 0; j--) {
                    Interval a = active.get(j);
                    if (pos < a.boundary) {
                        activeBoundary = Math.min(activeBoundary, a.boundary);
                    } else if (a.end() <= pos) {
                        active.remove(j);
                    } else if (!a.update(pos)) {
                        active.remove(j);
                        inactive.add(a);
                        inactiveBoundary = Math.min(inactiveBoundary, a.boundary);
                    } else {
                        activeBoundary = Math.min(activeBoundary, a.boundary);
                    }
                }
            }
            if (pos >= inactiveBoundary) {
                inactiveBoundary = Integer.MAX_VALUE;
                for (int j = inactive.size - 1; j >= 0; j--) {
                    int boundary = inactive.boundary[j];
                    if (pos < boundary) {
                        inactiveBoundary = Math.min(inactiveBoundary, boundary);
                        continue;
                    }
                    Interval a = inactive.items[j];
                    if (a.end() <= pos) {
                        inactive.remove(j);
                    } else if (a.update(pos)) {
                        inactive.remove(j);
                        active.add(a);
                        activeBoundary = Math.min(activeBoundary, a.boundary);
                    } else {
                        inactive.boundary[j] = a.boundary;
                        inactiveBoundary = Math.min(inactiveBoundary, a.boundary);
                    }
                }
            }
            boolean isFloat = m.isFloat(cur.register);
            int[] order = isFloat ? XMM_ORDER : GPR_ORDER;
            System.arraycopy(isFloat ? XMM_FREE : GPR_FREE, 0, freeUntil, 0, freeUntil.length);
            for (Interval a : active) freeUntil[a.assigned] = 0;
            int end = cur.end();
            for (int j = 0, size = inactive.size; j < size; j++) {
                int r = inactive.register[j];
                if (freeUntil[r] == 0 || inactive.boundary[j] >= end) continue; // busy already, or next range after cur
                int x = inactive.items[j].intersection(cur);
                if (x >= 0) freeUntil[r] = Math.min(freeUntil[r], x);
            }
            for (int r : order) {
                if (freeUntil[r] == 0 || fixed[r].isEmpty()) continue;
                if (pos >= fixedTo[r]) {
                    fixed[r].advance(pos);
                    fixedFrom[r] = fixed[r].cursorFrom();
                    fixedTo[r] = fixed[r].cursorTo();
                }
                if (end <= fixedFrom[r]) continue; // the next fixed range starts after cur
                int x = fixed[r].intersection(cur);
                if (x >= 0) freeUntil[r] = Math.min(freeUntil[r], x);
            }
            int chosen = -1;
            int hint = hintRegister(cur);
            if (hint >= 0 && freeUntil[hint] >= end) chosen = hint;
            else if (cur.physicalHint >= 0 && freeUntil[cur.physicalHint] >= end) chosen = cur.physicalHint;
            if (chosen < 0) {
                for (int r : order) {
                    if (freeUntil[r] >= end) {
                        chosen = r;
                        break;
                    }
                }
            }
            if (chosen < 0) {
                // spill the cheapest of cur and the active intervals whose register would then be free for cur:
                // the lowest spill weight (loop-weighted uses per position), ties to the one ending last (cur when
                // it ends last)
                Interval victim = null;
                double victimWeight = spillWeight(cur);
                int victimEnd = end;
                for (Interval a : active) {
                    if (m.isFloat(a.register) != m.isFloat(cur.register)) continue;
                    double w = spillWeight(a);
                    if (w > victimWeight || (w == victimWeight && a.end() <= victimEnd)) continue;
                    if (!fixed[a.assigned].isEmpty() && fixed[a.assigned].intersection(cur) >= 0) continue;
                    boolean clash = false;
                    for (int j = 0; j < inactive.size && !clash; j++) {
                        clash = inactive.register[j] == a.assigned && inactive.items[j].intersection(cur) >= 0;
                    }
                    if (clash) continue;
                    victim = a;
                    victimWeight = w;
                    victimEnd = a.end();
                }
                if (victim == null) {
                    slots = spill(cur, slots);
                    continue;
                }
                active.remove(victim);
                chosen = victim.assigned;
                victim.assigned = -1;
                slots = spill(victim, slots);
            }
            cur.assigned = chosen;
            usedMask |= 1 << chosen;
            cur.update(pos);
            activeBoundary = Math.min(activeBoundary, cur.boundary);
            active.add(cur);
        }
        if (!"false".equals(System.getProperty(SHARED_SLOTS_PROPERTY))) shareSlots();
        int[] location = new int[intervals.length];
        for (int r = 0; r < location.length; r++) {
            Interval i = intervals[r];
            if (r < MachineFunction.FIRST_VIRTUAL) location[r] = r;
            else if (i == null || i.isEmpty()) location[r] = m.isFloat(r) ? MachineFunction.XMM0 + 15 : Gpr.R11.encoding();
            else location[r] = i.assigned >= 0 ? i.assigned : -1 - i.spillSlot;
        }
        List<Gpr> saved = new ArrayList<>();
        for (Gpr g : WasmAbi.CALLEE_SAVED) {
            if (g == Gpr.RBP || g == WasmAbi.VMCTX) continue;
            if ((usedMask & (1 << g.encoding())) != 0) saved.add(g);
        }
        return new Allocation(location, slots, saved);
    }

    /**
     * Gives {@code i} a spill slot after the {@code slots} in use and returns the new count: 8 bytes, or two slots
     * for a v128 (the value at the lower one, {@code spillSlot}, so that its 16 bytes start at that slot's address).
     */
    private int spill(Interval i, int slots) {
        if (m.isV128(i.register)) {
            i.spillSlot = slots + 1;
            return slots + 2;
        }
        i.spillSlot = slots;
        return slots + 1;
    }

    /**
     * The system property that, set to {@code false} while a module is compiled, gives every spilled interval a slot
     * of its own again (a measurement switch, {@code bench/.../PropertyCost}).
     */
    public static final String SHARED_SLOTS_PROPERTY = "isthmus.regalloc.sharedSlots";
    /** Members of one group of intervals sharing a slot ({@link #shareSlots}), at most. */
    static final int MAX_SLOT_GROUP = 32;

    /**
     * Gives spilled intervals joined by a move one slot when their lives do not overlap, so that the move is no move
     * (a phi and its back-edge value, both spilled, copied slot to slot through a scratch register on every
     * iteration: keccak's 25 state words, two instructions each per round). Groups are merged by union over the moves
     * (MOV copies, the registers of parallel moves) whose both ends are spilled, each merge checked member against
     * member; v128 values (two slots) keep theirs. The slots left unused stay in the frame.
     */
    private void shareSlots() {
        int[] group = new int[intervals.length];
        java.util.Arrays.fill(group, -1);
        java.util.Map<Integer, List<Interval>> members = new java.util.HashMap<>();
        for (List<MInstr> code : m.blocks) {
            for (MInstr i : code) {
                if (i.op == MOp.MOV && i.detail == MDetail.Move.COPY) {
                    join(i.defs[0], i.uses[0], group, members);
                } else if (i.op == MOp.PMOV) {
                    MDetail.ParallelMove pm = i.parallelMove();
                    for (int k = 0; k < i.defs.length; k++) {
                        if (!pm.isConstant(k)) join(i.defs[k], pm.register(k), group, members);
                    }
                }
            }
        }
    }

    /** Merges the slot groups of spilled intervals {@code a} and {@code b} when no two of their members overlap. */
    private void join(int a, int b, int[] group, java.util.Map<Integer, List<Interval>> members) {
        Interval x = spilledInterval(a);
        Interval y = spilledInterval(b);
        if (x == null || y == null || x == y) return;
        List<Interval> gx = groupOf(x, group, members);
        List<Interval> gy = groupOf(y, group, members);
        if (gx == gy || gx.size() + gy.size() > MAX_SLOT_GROUP) return;
        for (Interval i : gx) for (Interval j : gy) if (overlap(i, j)) return;
        int slot = gx.getFirst().spillSlot;
        int id = group[gx.getFirst().register];
        members.remove(group[gy.getFirst().register]);
        for (Interval j : gy) {
            j.spillSlot = slot;
            group[j.register] = id;
        }
        gx.addAll(gy);
    }

    private Interval spilledInterval(int r) {
        if (r < MachineFunction.FIRST_VIRTUAL || r >= intervals.length || m.isV128(r)) return null;
        Interval i = intervals[r];
        return i == null || i.isEmpty() || i.assigned >= 0 || i.spillSlot < 0 ? null : i;
    }

    private static List<Interval> groupOf(Interval i, int[] group, java.util.Map<Integer, List<Interval>> members) {
        if (group[i.register] < 0) {
            group[i.register] = i.register;
            List<Interval> list = new ArrayList<>();
            list.add(i);
            members.put(i.register, list);
        }
        return members.get(group[i.register]);
    }

    /** Whether two intervals cover a common position (their whole ranges, not from the scan's cursors). */
    private static boolean overlap(Interval a, Interval b) {
        int i = a.first;
        int j = b.first;
        while (i < a.ranges.length && j < b.ranges.length) {
            if (Math.max(a.ranges[i], b.ranges[j]) < Math.min(a.ranges[i + 1], b.ranges[j + 1])) return true;
            if (a.ranges[i + 1] < b.ranges[j + 1]) i += 2;
            else j += 2;
        }
        return false;
    }

    /** The register of the hinted interval, or of the interval it hints at when not allocated yet (two steps). */
    private int hintRegister(Interval cur) {
        int h = cur.hint;
        for (int step = 0; step < 2 && h >= 0; step++) {
            if (h < MachineFunction.FIRST_VIRTUAL) return h;
            Interval o = intervals[h];
            if (o == null) return -1;
            if (o.assigned >= 0) return o.assigned;
            h = o.hint;
        }
        return -1;
    }
}
