package dev.isthmus.compiler.optimizing.passes;

import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.compiler.optimizing.ir.IrType;
import dev.isthmus.compiler.optimizing.regalloc.LoopDepth;

/**
 * Loop strip mining (HotSpot C2's name for it): a counted loop is split into strips of at most {@link #ITERATIONS}
 * iterations, so that its safepoint poll runs once per strip instead of once per iteration. The iterations
 * themselves are unchanged: the loop's exit test compares its induction value with the strip's last value instead
 * of the limit (one compare and branch, as before), and the test against the limit runs once per strip.
 *
 * <pre>
 *          P ── jump ──▶ O (strip head, no poll; phis: P's inits, the back-edge values)
 *                          e0 = e in the strip's first iteration
 *                          D = ((L - e0)·sign(s) mod 2^w) >> log2|s|   iterations before the one that exits
 *                          end = e0 + s·min_u(D, N - 1)
 *                        ──▶ H (no poll; phis: O's values, the back-edge values)
 *                            body (inner loops poll as before)
 *                            T: e == end ? ──▶ OL: e == L ? ──▶ X (the loop's exit)
 *                               │                    └──▶ A (polls; the latch's instructions) ──▶ O
 *                               └──▶ (latch) ──▶ H
 * </pre>
 * T is the block whose branch is the exit test: the latch itself, or the latch's only predecessor when the latch
 * just continues (a jump-only block, or the increment after a test in the middle of the body). A splits the edge
 * from OL to O (the IR has no critical edges: phi moves sit in blocks with one successor); when the latch does more
 * than jump (the increment after a test in the middle), A repeats its instructions, since the back-edge values O
 * takes are computed there (at most {@link #MAX_LATCH}, no call or SIMD).
 *
 * <p>Rebased strips: when the exit test is an equality and the induction value feeds nothing but its step, the
 * test, adds of a constant in the loop and instructions after it ({@code Candidate.rebasable}), the strip counts
 * r = p - end instead of p, so T tests {@code r == 0} on the flags of r's own step ({@code add r, 1; jnz}) instead of
 * comparing p with end; each {@code p + c} becomes {@code (r + end) + c}, one {@code lea} as before, and OL and the
 * code after the loop take the values at the strip's end from end. Measured small (hex 0.991: the compare was not
 * what the polls cost there; docs/performance.md), kept because it removes an instruction per iteration.
 *
 * <p>Which loops: a natural loop with one back edge (header H with two predecessors: a preheader P outside that
 * ends in a jump, and the latch), whose exit test (at T) is {@code e == L} (exit on equal:
 * {@code eq}, {@code ne}, {@code eqz} or the value itself as condition, either branch direction) for a loop
 * invariant L and an induction value e that is a phi p of H or p's back-edge value, p stepping by s = +-2^j
 * ({@code p + s}, {@code p - s}, j <= {@value #MAX_STEP_SHIFT}). The test of iteration k compares e0 + s·k with L:
 * when |s| divides the distance (L - e0)·sign(s) mod 2^w, the loop leaves at iteration D (D = 0 exits at once, as
 * before); when it does not, e never equals L and the loop runs until something else ends it, and D (rounded down)
 * is just a count the strips reach without meeting L. The strip runs iterations 0 .. min(D, N - 1): at most N,
 * never one the loop would not run, and e meets end exactly; OL then leaves exactly when the original test would
 * have. Two kinds of loops are mined:
 * <ul>
 *   <li>{@link #run}, after {@link LoopUnrolling}: loops that contain another loop and can go round without running
 *       it (the hot outer loop of a kernel such as a sieve, whose body is short when the inner loop does not run).
 *       A loop whose every iteration runs an inner loop gains little (the inner loop's polls dominate) while end,
 *       live across the inner loop, adds to its register pressure (measured: 5% on a game-of-life kernel).</li>
 *   <li>{@link #runInnermost}, before {@link LoopUnrolling} (which then unrolls H's loop, every copy testing
 *       against end): innermost loops inside another loop whose counted exit is their only way out besides traps
 *       (a matrix row, a dot product: they run their whole count on each entry, so O and OL, paid per entry, are
 *       spread over it; a loop that also leaves on its data, such as a string compare, often runs once or twice
 *       per entry and is left to poll once per unrolled group). Their polls competed with the loop's own loads:
 *       2-3% on matmul and matmulf before. An innermost loop whose start and limit are constants, or the limit a
 *       constant away from the start (base + c), and that reaches it within N iterations is not mined at all:
 *       H is only marked unpolled (it cannot run more than N iterations per entry; what enters it again polls).</li>
 * </ul>
 * No function with exception handling (its landing blocks' edges are laid out specially).
 *
 * <p>Why polls stay sufficient: the emitter polls at every loop head of the layout except those marked
 * {@link IrFunction#markUnpolled unpolled} (H and O), and always at the blocks marked
 * {@link IrFunction#markPolling polling} (A, which the emitter keeps even when it only jumps). Any path back to H
 * comes through O or through T's continuing edge, taken only while e has not reached end: at most N - 1 times in a
 * row, since e advances by s each time (p's back-edge value is p + s on every path to the latch) and end is within
 * N - 1 steps. O is entered from A, which polls, or from P: a path that enters the loop again and again from P goes
 * round an enclosing cycle each time, which polls by the same rules (an enclosing loop's header, its own A, or a
 * function entry), so O's entry needs no poll of its own (it used to have one: with a loop that runs a few
 * iterations per entry, such as matmul's rows, that was one more poll per entry). So every endless execution passes
 * a poll at least once per N iterations of the mined loop (inner loops and calls poll as before). A bounded
 * innermost loop leaves within N iterations of every entry, and the code around it polls as before. Fuel and traps
 * are unaffected: the added instructions cannot trap and are no wasm instructions.
 */
public final class StripMining {
    private StripMining() {}

    /** How a loop with an ordered exit test goes on: while e < L ({@code rising}) or e > L, signed or not. */
    private record Relation(boolean rising, boolean signed) {
        /** Whether {@code op} is one of the ordered integer comparisons {@link #of} takes. */
        static boolean ordered(IrOp op) {
            return switch (op) {
                case LT_S, LT_U, LE_S, LE_U, GT_S, GT_U, GE_S, GE_U -> true;
                default -> false;
            };
        }

        /** The strict comparison of the loop's direction and signedness: {@code <} rising, {@code >} falling. */
        IrOp onward() {
            return rising ? (signed ? IrOp.LT_S : IrOp.LT_U) : (signed ? IrOp.GT_S : IrOp.GT_U);
        }

        /**
         * The relation under which the loop goes on, for exit test {@code op} with e on the right when {@code
         * swapped}, leaving when the test is true when {@code exitWhenTrue}; null for a non-strict relation.
         */
        static Relation of(IrOp op, boolean swapped, boolean exitWhenTrue) {
            boolean signed = op == IrOp.LT_S || op == IrOp.GT_S || op == IrOp.LE_S || op == IrOp.GE_S;
            // normalise to e REL L: flip for swapped operands, negate when the test being true leaves
            int rel = switch (op) {                       // 0 <, 1 <=, 2 >, 3 >=
                case LT_S, LT_U -> 0;
                case LE_S, LE_U -> 1;
                case GT_S, GT_U -> 2;
                default -> 3;
            };
            if (swapped) rel = (rel + 2) % 4;
            if (exitWhenTrue) rel = 3 - rel;
            if (rel == 1 || rel == 3) return null;
            return new Relation(rel == 0, signed);
        }

        /**
         * Whether the loop runs at most {@code iterations} iterations per entry: constant start and limit (with
         * L = base + c the order of the sums is not known), e0 at most s·(iterations - 1) short of L (iteration k
         * tests e0 + s·k; a start already past L runs once).
         */
        boolean bounded(IrFunction f, Candidate c, int iterations) {
            int p = c.header.phi(c.phi);
            int init = f.arg(p, c.header.pred(0) == c.preheader ? 0 : 1);
            if (f.op(init) != IrOp.CONST || f.op(c.limit) != IrOp.CONST) return false;
            long e0 = f.imm(init) + (c.after ? c.step : 0);
            long l = f.imm(c.limit);
            if (f.type(p) == IrType.I32) {
                e0 = signed ? (int) e0 : e0 & 0xFFFF_FFFFL;
                l = signed ? (int) l : l & 0xFFFF_FFFFL;
            }
            int order = signed ? Long.compare(e0, l) : Long.compareUnsigned(e0, l);
            if (rising ? order >= 0 : order <= 0) return true;          // runs once
            long d = rising ? l - e0 : e0 - l;                            // > 0 (unsigned when unsigned)
            return Long.compareUnsigned(d, (long) Math.abs(c.step) * (iterations - 1)) <= 0;
        }
    }

    /** Iterations per strip (HotSpot's LoopStripMiningIter is 1000 too); {@link #ITERATIONS_PROPERTY} for tests. */
    public static final int ITERATIONS = 1000;
    /** The system property that sets the iterations per strip while a module is compiled (tests: strip edges). */
    public static final String ITERATIONS_PROPERTY = "isthmus.stripMining.iterations";
    /**
     * The system property that, set to {@code false} while a module is compiled, leaves loops unmined: a measurement
     * switch ({@code bench/.../PollCost} run with and without it).
     */
    public static final String PROPERTY = "isthmus.stripMining";
    /**
     * The system property that, set to {@code false} while a module is compiled, leaves mined loops counting their
     * induction value up to the strip's end instead of a rebased one up to zero (a measurement switch,
     * {@code PropertyCost}; see {@code Candidate.rebasable}).
     */
    public static final String REBASE_PROPERTY = "isthmus.stripMining.rebase";
    /** Instructions of a latch after the exit test that a mined loop repeats on its way to the strip head. */
    static final int MAX_LATCH = 16;
    /** The largest step mined is 2^this (in either direction). */
    static final int MAX_STEP_SHIFT = 16;
    /** Loops mined per function. */
    public static final int MAX_LOOPS = 16;

    /**
     * The system property that, set to {@code false} while a module is compiled, leaves innermost loops unmined (a
     * measurement switch, {@code PropertyCost}).
     */
    public static final String INNERMOST_PROPERTY = "isthmus.stripMining.innermost";

    /** Which loops a run mines. */
    private enum Kind {
        /** Loops that contain another loop. */
        OUTER,
        /** Innermost loops inside another loop (the ones {@link LoopUnrolling} unrolls). */
        INNERMOST_NESTED,
        /** Innermost loops inside no other loop. */
        INNERMOST_TOP
    }

    /**
     * Mines the loops of {@code f} that qualify, after {@link LoopUnrolling}: loops that contain another loop, and
     * innermost loops inside no other loop (which the unrolling leaves alone); returns how many.
     */
    public static int run(IrFunction f) {
        return run(f, Kind.OUTER) + (innermostOn() ? run(f, Kind.INNERMOST_TOP) : 0);
    }

    /**
     * Mines the innermost loops of {@code f} that lie inside another loop and qualify, before {@link LoopUnrolling},
     * which then unrolls the mined loop (its exit tests compare with the strip's end); returns how many.
     */
    public static int runInnermost(IrFunction f) {
        return innermostOn() ? run(f, Kind.INNERMOST_NESTED) : 0;
    }

    private static boolean innermostOn() {
        return !"false".equals(System.getProperty(INNERMOST_PROPERTY));
    }

    private static int run(IrFunction f, Kind kind) {
        if (!f.clauses().isEmpty()) return 0;
        int iterations = Integer.getInteger(ITERATIONS_PROPERTY, ITERATIONS);
        if (iterations < 1) throw new IllegalArgumentException(ITERATIONS_PROPERTY + " must be at least 1");
        int n = f.blocks().size();                      // blocks added here are not visited again
        int[] depth = null;
        int[] uses = null;
        Walks walks = new Walks(n);
        int mined = 0;
        for (int h = 0; h < n && mined < MAX_LOOPS && walks.budget > 0; h++) {
            IrBlock header = f.block(h);
            if (header.predCount() != 2 || header.phiCount() == 0) continue;
            if (depth == null) {
                depth = LoopDepth.of(f.blocks().stream().map(b -> b.successors).toList());
            }
            if (depth[h] == 0 || f.isPolling(h) || f.isUnpolled(h)) continue;
            if (kind == Kind.INNERMOST_NESTED && depth[h] < 2 || kind == Kind.INNERMOST_TOP && depth[h] != 1) continue;
            boolean innermost = kind != Kind.OUTER;
            Candidate c = Candidate.find(f, header, depth, walks, innermost);
            if (c == null) continue;
            if (uses == null) uses = useCounts(f);
            if (innermost && c.bounded(f, iterations)) {
                f.markUnpolled(h);                      // at most a strip's iterations per entry: no poll needed
            } else {
                c.mine(f, iterations, uses, walks);
            }
            mined++;
        }
        return mined;
    }

    /**
     * The marks of the walks over loop bodies, shared by all candidates of a function (stamped, so nothing is cleared
     * between walks), and a budget of blocks visited: nested loops would otherwise walk their inner loops once per
     * enclosing loop, quadratic in the nesting; past {@value #WALK_BUDGET_PER_BLOCK} visits per block the pass stops.
     */
    private static final class Walks {
        int[] body;
        int[] seen;
        int[] stack;
        int bodyStamp, seenStamp;
        long budget;

        Walks(int blocks) {
            budget = (long) WALK_BUDGET_PER_BLOCK * blocks + 1024;
            grow(blocks);
        }

        void grow(int blocks) {
            if (body != null && body.length >= blocks) return;
            int size = Math.max(blocks, body == null ? 0 : 2 * body.length);
            body = body == null ? new int[size] : java.util.Arrays.copyOf(body, size);
            seen = seen == null ? new int[size] : java.util.Arrays.copyOf(seen, size);
            stack = new int[size];
        }

        boolean inBody(int b) {
            return b < body.length && body[b] == bodyStamp;
        }
    }

    /** Blocks visited by the body walks of one function, per block of the function. */
    static final int WALK_BUDGET_PER_BLOCK = 16;

    /** How many operands (of phis and instructions) name each value. */
    private static int[] useCounts(IrFunction f) {
        int[] uses = new int[f.valueCount()];
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.phiCount(); i++) for (int x : f.args(b.phi(i))) uses[x]++;
            for (int i = 0; i < b.instructionCount(); i++) for (int x : f.args(b.instruction(i))) uses[x]++;
        }
        return uses;
    }

    /**
     * A loop that qualifies: header, preheader, latch (H's predecessor on the back edge), the block ending in the
     * exit test (the latch, or the latch's only predecessor when the latch only jumps), the test's successor
     * towards H and its exit; the exit test's condition, induction phi p (index in
     * H's phis), whether e is p's back-edge value rather than p, the step s (+-2^k), the limit L (-1: zero, for
     * eqz and a bare condition), and how the loop goes on when its exit test is an ordered compare (null: eq/ne).
     */
    private record Candidate(IrBlock header, int preheader, int latch, int test, int cont, int exit, int cond,
                             int phi, boolean after, int step, int limit, Relation relation) {

        static Candidate find(IrFunction f, IrBlock header, int[] depth, Walks walks, boolean innermost) {
            int h = header.id;
            for (int li = 0; li < 2; li++) {
                int latch = header.pred(li), preheader = header.pred(1 - li);
                // the exit test ends the latch, or the block before it when the latch only continues (a jump-only
                // block, or the rest of the body after a test in the middle: "br_if $exit; i++; br $loop")
                int test = latch, cont = h;
                IrBlock lb = f.block(latch);
                int lt = lb.terminator(f);
                if (lt >= 0 && f.op(lt) == IrOp.JUMP && lb.phiCount() == 0 && lb.predCount() == 1) {
                    test = lb.pred(0);
                    cont = latch;
                }
                IrBlock l = f.block(test);
                int branch = l.terminator(f);
                if (branch < 0 || f.op(branch) != IrOp.BRANCH || l.successors.length != 2) continue;
                int s0 = l.successors[0], s1 = l.successors[1];
                if ((s0 == cont) == (s1 == cont)) continue;
                int exit = s0 == cont ? s1 : s0;
                IrBlock pre = f.block(preheader);
                int pt = pre.terminator(f);
                if (pt < 0 || f.op(pt) != IrOp.JUMP) continue;
                if (test != latch && !copyable(f, lb)) continue;
                boolean exitWhenTrue = s0 == exit;
                int cond = f.arg(branch, 0);
                int e, other;
                boolean exitOnEqual;
                if (Relation.ordered(f.op(cond))) {
                    Candidate c = relational(f, header, depth, walks, innermost, li, latch, preheader, test, cont,
                            exit, cond, exitWhenTrue);
                    if (c != null) return c;
                    continue;
                }
                switch (f.op(cond)) {
                    case EQ, NE -> {
                        e = f.arg(cond, 0);
                        other = f.arg(cond, 1);
                        exitOnEqual = (f.op(cond) == IrOp.EQ) == exitWhenTrue;
                    }
                    case EQZ -> {
                        e = f.arg(cond, 0);
                        other = -1;
                        exitOnEqual = exitWhenTrue;
                    }
                    default -> {
                        if (f.type(cond) != IrType.I32 || f.op(cond).isCompare()) continue;
                        e = cond;                                 // branch on e != 0
                        other = -1;
                        exitOnEqual = !exitWhenTrue;
                    }
                }
                if (!exitOnEqual) continue;
                // e: a phi p of H stepping by +-1, or p's back-edge value (either operand of eq/ne)
                int phi = -1, step = 0;
                boolean after = false;
                int limit = other;
                for (int i = 0; i < header.phiCount() && phi < 0; i++) {
                    int p = header.phi(i);
                    int next = f.arg(p, li);                      // the latch's operand
                    int s = step(f, p, next);
                    if (s == 0) continue;
                    for (int side = 0; side < (other < 0 ? 1 : 2) && phi < 0; side++) {
                        int x = side == 0 ? e : other;
                        if (x != p && x != next) continue;
                        phi = i;
                        step = s;
                        after = x == next;
                        limit = side == 0 ? other : e;
                    }
                }
                if (phi < 0) continue;
                IrType t = f.type(header.phi(phi));
                if (t != IrType.I32 && t != IrType.I64) continue;
                if (!qualifies(f, h, depth, walks, innermost, latch, preheader, test, exit, limit)) continue;
                return new Candidate(header, preheader, latch, test, cont, exit, cond, phi, after, step, limit, null);
            }
            return null;
        }

        /**
         * The candidate of an exit test that compares e with L by order ({@code lt}, {@code gt}, ... either operand
         * order, either branch direction), or null. The loop must go on while {@code e < L} with a rising step or
         * {@code e > L} with a falling one (signed or unsigned): the strip then goes on while e is below (above)
         * min(L, e0 + s·(N - 1)) (max for a falling step), compared the same way. {@code <=}/{@code >=} are left
         * alone: with L at the top of the range e would wrap and go round for ever inside one strip.
         */
        private static Candidate relational(IrFunction f, IrBlock header, int[] depth, Walks walks, boolean innermost,
                                            int li, int latch, int preheader, int test, int cont, int exit, int cond,
                                            boolean exitWhenTrue) {
            int h = header.id;
            int a0 = f.arg(cond, 0), a1 = f.arg(cond, 1);
            for (int i = 0; i < header.phiCount(); i++) {
                int p = header.phi(i);
                int next = f.arg(p, li);
                int s = step(f, p, next);
                if (s == 0) continue;
                for (int side = 0; side < 2; side++) {
                    int x = side == 0 ? a0 : a1;
                    if (x != p && x != next) continue;
                    Relation r = Relation.of(f.op(cond), side == 1, exitWhenTrue);
                    if (r == null || r.rising != s > 0) continue;
                    IrType t = f.type(p);
                    if (t != IrType.I32 && t != IrType.I64) continue;
                    int limit = side == 0 ? a1 : a0;
                    if (!qualifies(f, h, depth, walks, innermost, latch, preheader, test, exit, limit)) return null;
                    return new Candidate(header, preheader, latch, test, cont, exit, cond, i, x == next, s, limit, r);
                }
            }
            return null;
        }

        /**
         * What both exit-test forms ask of the loop around them: its body (walked from the back edge) holds neither
         * the preheader nor the exit, the limit (-1: none) is invariant, and the loop is of the kind being mined —
         * innermost with the counted exit as its only way out, or containing another loop it can go round without.
         */
        private static boolean qualifies(IrFunction f, int h, int[] depth, Walks walks, boolean innermost, int latch,
                                         int preheader, int test, int exit, int limit) {
            int blocks = body(f, h, latch, walks);
            if (blocks < 0 || walks.inBody(preheader) || walks.inBody(exit)) return false;
            if (limit >= 0 && !invariant(f, walks, limit)) return false;
            boolean nested = false;                               // contains another loop
            for (int k = 0; k < blocks && !nested; k++) {
                int b = walks.stack[k];
                nested = b < depth.length && depth[b] > depth[h];
            }
            return innermost ? !nested && onlyExit(f, walks, blocks, test, exit)
                    : nested && bypasses(f, walks, depth, h, test);
        }

        /**
         * The natural loop of back edge {@code latch → h}: the blocks that reach the latch without passing h, marked
         * in {@code walks} and listed in {@code walks.stack[0 .. count)} (h included); -1 when the walk reaches the
         * entry (no back edge) or the budget ran out.
         */
        private static int body(IrFunction f, int h, int latch, Walks walks) {
            walks.grow(f.blocks().size());
            int stamp = ++walks.bodyStamp;
            int[] mark = walks.body, list = walks.stack;
            int count = 0;
            mark[h] = stamp;
            list[count++] = h;
            if (mark[latch] != stamp) {
                mark[latch] = stamp;
                list[count++] = latch;
            }
            for (int k = 1; k < count; k++) {                     // the list is the work queue
                int b = list[k];
                if (b == 0 || --walks.budget < 0) return -1;
                IrBlock blk = f.block(b);
                for (int i = 0; i < blk.predCount(); i++) {
                    int p = blk.pred(i);
                    if (mark[p] != stamp) {
                        mark[p] = stamp;
                        list[count++] = p;
                    }
                }
            }
            return count;
        }

        /**
         * Whether an iteration can go from H to T without entering an inner loop (a sieve's outer loop for a
         * composite number): only then can the loop go round often per poll of its inner loops, and mining pays.
         * When every iteration runs an inner loop, that loop's polls dominate, and the strip's end value, live across
         * it, would only add to its register pressure.
         */
        private static boolean bypasses(IrFunction f, Walks walks, int[] depth, int h, int test) {
            int stamp = ++walks.seenStamp;
            int[] seen = walks.seen;
            java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
            work.push(h);
            seen[h] = stamp;
            while (!work.isEmpty()) {
                int b = work.pop();
                if (b == test) return true;
                if (--walks.budget < 0) return false;
                for (int s : f.block(b).successors) {
                    if (s < depth.length && walks.inBody(s) && seen[s] != stamp && depth[s] == depth[h]) {
                        seen[s] = stamp;
                        work.push(s);
                    }
                }
            }
            return false;
        }

        /**
         * Whether the exit test is the loop's only way out (besides traps) and nothing in it calls out of the
         * function: such a loop runs its whole count on every entry, so the strip head's cost per entry is spread
         * over its iterations. A loop that also leaves on its data (a string compare that stops at the first
         * difference) often runs an iteration or two per entry; a loop around a call gains nothing (the callee
         * polls at its entry) and would pay the strip head on every entry (ackermann's: 39% slower when mined).
         */
        private static boolean onlyExit(IrFunction f, Walks walks, int blocks, int test, int exit) {
            for (int k = 0; k < blocks; k++) {
                IrBlock blk = f.block(walks.stack[k]);
                for (int i = 0; i < blk.instructionCount(); i++) {   // a call polls at the callee's entry anyway
                    IrOp op = f.op(blk.instruction(i));
                    if (!SimpleLoop.allowed(op) && op != IrOp.FUEL && op != IrOp.TRAP) return false;
                }
            }
            return leavesOnlyAt(f, walks, blocks, test, exit);
        }

        /** Whether the loop's only way out, besides traps, is its exit test's edge to {@code exit}. */
        private static boolean leavesOnlyAt(IrFunction f, Walks walks, int blocks, int test, int exit) {
            for (int k = 0; k < blocks; k++) {
                int b = walks.stack[k];
                for (int s : f.block(b).successors) {
                    if (!walks.inBody(s) && !(b == test && s == exit) && !SimpleLoop.traps(f, s)) return false;
                }
            }
            return true;
        }

        /** A latch after the exit test that A can repeat: a few instructions, none a call or SIMD. */
        private static boolean copyable(IrFunction f, IrBlock latch) {
            if (latch.instructionCount() > MAX_LATCH + 1) return false;
            for (int i = 0; i < latch.instructionCount() - 1; i++) {
                switch (f.op(latch.instruction(i))) {
                    case CALL, CALL_INDIRECT, CALL_RESULT, SIMD, SIMD_LOAD, SIMD_STORE -> {
                        return false;
                    }
                    default -> { }
                }
            }
            return true;
        }

        private static boolean invariant(IrFunction f, Walks walks, int v) {
            return f.op(v) == IrOp.CONST || !walks.inBody(f.blockOf(v));
        }

        /**
         * The step s = +-2^j (j <= {@value #MAX_STEP_SHIFT}) when {@code next} is {@code p + s}, {@code p - (-s)} or
         * {@code p + s} written with a negative constant, in p's type; else 0.
         */
        private static int step(IrFunction f, int p, int next) {
            IrOp op = f.op(next);
            if (op != IrOp.ADD && op != IrOp.SUB) return 0;
            int[] a = f.args(next);
            for (int i = 0; i < 2; i++) {
                if (a[i] != p || f.op(a[1 - i]) != IrOp.CONST || (i == 1 && op == IrOp.SUB)) continue;
                long c = f.imm(a[1 - i]);
                if (f.type(p) == IrType.I32) c = (int) c;
                if (op == IrOp.SUB) c = -c;
                long magnitude = Math.abs(c);
                return Long.bitCount(magnitude) == 1 && magnitude <= 1L << MAX_STEP_SHIFT ? (int) c : 0;
            }
            return 0;
        }

        /**
         * Whether the loop runs at most {@code iterations} iterations per entry whatever the state: its start and
         * limit are constants and the limit is reached (the distance is a multiple of the step) within them.
         */
        boolean bounded(IrFunction f, int iterations) {
            if (relation != null) return relation.bounded(f, this, iterations);
            int p = header.phi(phi);
            int init = f.arg(p, header.pred(0) == preheader ? 0 : 1);
            // start and limit as base + constant: the same base (or none: constants) gives a constant distance
            int startBase = base(f, init), limitBase = limit < 0 ? -1 : base(f, limit);
            if (startBase != limitBase) return false;
            long e0 = offset(f, init) + (after ? step : 0);
            long l = limit < 0 ? 0 : offset(f, limit);
            long d = step > 0 ? l - e0 : e0 - l;
            if (f.type(p) == IrType.I32) d &= 0xFFFF_FFFFL;                 // the distance mod 2^w
            long magnitude = Math.abs(step);
            if (Long.remainderUnsigned(d, magnitude) != 0) return false;    // never equal: endless
            return Long.compareUnsigned(Long.divideUnsigned(d, magnitude), iterations - 1) <= 0;
        }

        /** The value {@code v} adds a constant to ({@code v} itself when it is no such add; -1 for a constant). */
        private static int base(IrFunction f, int v) {
            if (f.op(v) == IrOp.CONST) return -1;
            if (f.op(v) == IrOp.ADD) {
                int[] a = f.args(v);
                if (f.op(a[1]) == IrOp.CONST) return a[0];
                if (f.op(a[0]) == IrOp.CONST) return a[1];
            }
            return v;
        }

        /** The constant {@link #base} leaves: {@code v = base + offset} (mod 2^w). */
        private static long offset(IrFunction f, int v) {
            if (f.op(v) == IrOp.CONST) return f.imm(v);
            if (f.op(v) == IrOp.ADD) {
                int[] a = f.args(v);
                if (f.op(a[1]) == IrOp.CONST) return f.imm(a[1]);
                if (f.op(a[0]) == IrOp.CONST) return f.imm(a[0]);
            }
            return 0;
        }

        void mine(IrFunction f, int iterations, int[] uses, Walks walks) {
            IrBlock l = f.block(test);
            int branch = l.terminator(f);
            int offset = f.wasmOffset(branch);
            Rebase rebase = rebaseOn() ? rebasable(f, walks, uses) : null;
            IrBlock o = f.newBlock();
            IrBlock ol = f.newBlock();
            IrBlock again = f.newBlock();                    // OL -> O split (no critical edges: phi moves there)
            int entryIndex = header.pred(0) == preheader ? 0 : 1;
            int back = 1 - entryIndex;
            // A runs what the latch runs after T (when it is more than a jump), so that the back-edge values it
            // computes exist on the way to O too
            java.util.Map<Integer, Integer> copied = new java.util.HashMap<>();
            if (test != latch) {
                IrBlock lb = f.block(latch);
                for (int i = 0; i < lb.instructionCount() - 1; i++) {
                    int v = lb.instruction(i);
                    int[] a = f.args(v).clone();
                    for (int x = 0; x < a.length; x++) a[x] = copied.getOrDefault(a[x], a[x]);
                    copied.put(v, SimpleLoop.copyInstruction(f, again, v, a, false));
                }
            }
            // O: phis standing for H's on entry to each strip, from P (inits) and A (back-edge values)
            int[] q = new int[header.phiCount()];
            for (int i = 0; i < q.length; i++) {
                int p = header.phi(i);
                q[i] = f.newPhi(o, f.type(p));
                int next = f.arg(p, back);
                f.setPhiOperands(q[i], new int[] {f.arg(p, entryIndex), copied.getOrDefault(next, next)});
                f.args(p)[entryIndex] = q[i];
            }
            IrBlock pre = f.block(preheader);
            int[] ps = pre.successors;
            for (int x = 0; x < ps.length; x++) if (ps[x] == header.id) ps[x] = o.id;
            f.addEdge(pre, o);
            f.addEdge(again, o);
            header.replacePred(preheader, o.id);
            // O's computation of the strip's last value of e
            int p = header.phi(phi);
            int e = after ? f.args(p)[back] : p;
            IrType t = f.type(e);
            int e0 = after ? f.append(o, IrOp.ADD, t, 0, offset, q[phi], constant(f, o, t, step, offset)) : q[phi];
            if (relation != null) {
                // end = min(L, e0 + s·(N - 1)) (max when falling), in the comparison's signedness; T compares with
                // it as it compared with L, OL compares with L
                int cap = f.append(o, IrOp.ADD, t, 0, offset, e0, constant(f, o, t, (long) step * (iterations - 1),
                        offset));
                int capFirst = f.append(o, relation.onward(), IrType.I32, 0, offset, cap, limit);
                int end = f.append(o, IrOp.SELECT, t, 0, offset, cap, limit, capFirst);
                f.terminate(o, IrOp.JUMP, 0, offset, new int[] {header.id});
                int[] ca = f.args(cond);
                int limitAt = ca[0] == limit && ca[1] != limit ? 0 : 1;
                int[] stripArgs = ca.clone();
                stripArgs[limitAt] = end;
                int strip = f.append(l, f.op(cond), IrType.I32, 0, offset, stripArgs);
                branchOn(f, l, branch, strip);
                int[] ls = l.successors;
                for (int x = 0; x < ls.length; x++) if (ls[x] == exit) ls[x] = ol.id;
                f.addEdge(l, ol);
                if (uses[cond] == 1 && f.blockOf(cond) == test) l.retain(v -> v != cond);
                int[] olArgs = ca.clone();
                int done = f.append(ol, f.op(cond), IrType.I32, 0, offset, olArgs);
                boolean exitWhenTrue = ls[0] == ol.id;
                f.terminate(ol, IrOp.BRANCH, 0, offset, exitWhenTrue ? new int[] {exit, again.id}
                        : new int[] {again.id, exit}, done);
                closeStrip(f, o, ol, again, offset);
                return;
            }
            int l0 = limit(f, o, t, offset);
            int d = step > 0 ? f.append(o, IrOp.SUB, t, 0, offset, l0, e0)
                    : f.append(o, IrOp.SUB, t, 0, offset, e0, l0);
            int shift = Integer.numberOfTrailingZeros(Math.abs(step));
            if (shift > 0) d = f.append(o, IrOp.SHR_U, t, 0, offset, d, constant(f, o, t, shift, offset));
            int most = constant(f, o, t, iterations - 1, offset);
            int below = f.append(o, IrOp.LT_U, IrType.I32, 0, offset, d, most);
            int m = f.append(o, IrOp.SELECT, t, 0, offset, d, most, below);
            if (shift > 0) m = f.append(o, IrOp.SHL, t, 0, offset, m, constant(f, o, t, shift, offset));
            int end = f.append(o, step > 0 ? IrOp.ADD : IrOp.SUB, t, 0, offset, e0, m);
            int exitValue = e;                               // e's value when the strip ends (OL, A)
            int next = f.args(p)[back];
            if (rebase != null) {
                exitValue = end;
                rebase(f, o, end, next, rebase.offsetUses, offset);
            }
            f.terminate(o, IrOp.JUMP, 0, offset, new int[] {header.id});   // H lists O already (replacePred)
            // the latch: leaves the strip at end (to OL), else back to H; its old condition goes when unused
            int strip = rebase != null ? f.append(l, IrOp.EQZ, IrType.I32, 0, offset, e)
                    : f.append(l, IrOp.EQ, IrType.I32, 0, offset, e, end);
            branchOn(f, l, branch, strip);
            l.successors = new int[] {ol.id, cont};
            f.addEdge(l, ol);
            if (f.op(cond).isCompare() && uses[cond] == 1 && f.blockOf(cond) == test) l.retain(v -> v != cond);
            if (rebase != null) valuesAtStripEnd(f, ol, q[phi], end, next, rebase.exitUses, offset);
            // OL: the loop's own exit test, once per strip
            int done = f.append(ol, IrOp.EQ, IrType.I32, 0, offset, exitValue, limit(f, ol, t, offset));
            f.terminate(ol, IrOp.BRANCH, 0, offset, new int[] {exit, again.id}, done);
            closeStrip(f, o, ol, again, offset);
        }

        /**
         * How the strip can count a rebased induction value r = p - end up to zero instead of p up to end, or null
         * when it cannot. The strip's exit test is then the step itself ({@code add r, s; jnz}: the flags of the add)
         * instead of a compare of p with end, one instruction less per iteration, as in the unmined loop when it
         * counted to zero (LLVM's form of many loops: hex's and memcmp's). It pays only when p has no use the rebase
         * would make dearer: p and its back-edge value may feed nothing but each other, the exit test, adds of a
         * constant in the loop, which become {@code (r + end) + c}: one {@code lea} each, as {@code p + c} was
         * ({@link MOp#ADD3} of the instruction selector), and, when the loop leaves only through its exit test
         * (besides traps), instructions after the loop, which take the values at the strip's end from OL. The
         * equality form only, with the exit test ending the latch or the latch only jumping (A repeats nothing).
         *
         * @param offsetUses the adds of a constant in the loop
         * @param exitUses the instructions after the loop that use p or its back-edge value
         */
        private record Rebase(int[] offsetUses, int[] exitUses) {}

        private Rebase rebasable(IrFunction f, Walks walks, int[] uses) {
            if (relation != null || test != latch && f.block(latch).instructionCount() != 1) return null;
            int p = header.phi(phi);
            int back = header.pred(0) == preheader ? 1 : 0;
            int next = f.arg(p, back);
            int e = after ? next : p;
            IrType t = f.type(p);
            int branch = f.block(test).terminator(f);
            int blocks = body(f, header.id, latch, walks);
            if (blocks < 0) return null;
            java.util.stream.IntStream.Builder offsetUses = java.util.stream.IntStream.builder();
            java.util.stream.IntStream.Builder exitUses = java.util.stream.IntStream.builder();
            for (IrBlock b : f.blocks()) {
                for (int i = 0; i < b.phiCount(); i++) {
                    int v = b.phi(i);
                    for (int x : f.args(v)) {
                        if ((x == p || x == next) && !(v == p && x == next)) return null;
                    }
                }
                for (int i = 0; i < b.instructionCount(); i++) {
                    int v = b.instruction(i);
                    int[] a = f.args(v);
                    boolean usesP = false;
                    for (int x : a) usesP |= x == p || x == next;
                    if (!usesP || v == next || v == cond || v == branch && cond == e) continue;
                    if (!walks.inBody(b.id)) {
                        exitUses.add(v);
                        continue;
                    }
                    if (f.op(v) != IrOp.ADD || f.type(v) != t) return null;
                    int c = a[0] == p || a[0] == next ? a[1] : a[0];
                    if (f.op(c) != IrOp.CONST || t == IrType.I64 && f.imm(c) != (int) f.imm(c)) return null;
                    offsetUses.add(v);
                }
            }
            if (cond != e && uses[cond] != 1) return null;    // the condition feeds the branch alone
            int[] outside = exitUses.build().toArray();
            if (outside.length > 0 && !leavesOnlyAt(f, walks, blocks, test, exit)) return null;
            return new Rebase(offsetUses.build().toArray(), outside);
        }

        /**
         * Rebases p on the strip's end (see {@link #rebasable}): p becomes r (from O: its start less end; back edge:
         * r + s, p's step value turned into the rebased one), each add of a constant to p or to the step value
         * becomes {@code (r + end) + c} with the sum just before it.
         */
        private void rebase(IrFunction f, IrBlock o, int end, int next, int[] offsetUses, int offset) {
            int p = header.phi(phi);
            int entryIndex = header.pred(0) == o.id ? 0 : 1;
            IrType t = f.type(p);
            int start = f.arg(p, entryIndex);                 // O's phi: p's value when the strip starts
            f.args(p)[entryIndex] = f.append(o, IrOp.SUB, t, 0, offset, start, end);
            for (int u : offsetUses) {
                int[] a = f.args(u);
                int at = a[0] == p || a[0] == next ? 0 : 1;
                IrBlock b = f.block(f.blockOf(u));
                int sum = f.append(b, IrOp.ADD, t, 0, f.wasmOffset(u), a[at], end);
                b.moveBefore(sum, u);
                a[at] = sum;
            }
        }

        /**
         * After {@link #rebase}: the real values of p and of its back-edge value when a strip ends (e = end), in OL,
         * for O's phi (from A) and the uses after the loop.
         */
        private void valuesAtStripEnd(IrFunction f, IrBlock ol, int oPhi, int end, int next, int[] exitUses,
                                      int offset) {
            int p = header.phi(phi);
            IrType t = f.type(p);
            int[] at = new int[2];                            // p, next at the strip's end (0: not made yet)
            java.util.function.IntUnaryOperator valueOf = which -> {
                if (at[which] == 0) {
                    boolean plain = (which == 1) == after;    // e itself: end
                    at[which] = plain ? end : f.append(ol, (which == 1) == step > 0 ? IrOp.ADD : IrOp.SUB, t, 0,
                            offset, end, constant(f, ol, t, Math.abs(step), offset));
                }
                return at[which];
            };
            f.args(oPhi)[1] = valueOf.applyAsInt(1);
            for (int u : exitUses) {
                int[] a = f.args(u);
                for (int x = 0; x < a.length; x++) {
                    if (a[x] == p) a[x] = valueOf.applyAsInt(0);
                    else if (a[x] == next) a[x] = valueOf.applyAsInt(1);
                }
            }
        }

        private static boolean rebaseOn() {
            return !"false".equals(System.getProperty(REBASE_PROPERTY));
        }

        /** Makes {@code strip} (just appended to {@code l}) the condition of {@code l}'s branch, placed before it. */
        private static void branchOn(IrFunction f, IrBlock l, int branch, int strip) {
            l.moveBefore(strip, branch);
            f.args(branch)[0] = strip;
        }

        /**
         * The edges and marks both forms end with: OL to A, A to O, X entered from OL; A polls (between strips), O
         * and H do not (the way in from P needs none: see the class doc).
         */
        private void closeStrip(IrFunction f, IrBlock o, IrBlock ol, IrBlock again, int offset) {
            f.addEdge(ol, again);
            f.terminate(again, IrOp.JUMP, 0, offset, new int[] {o.id});   // O lists it already
            f.block(exit).replacePred(test, ol.id);
            f.markPolling(again.id);
            f.markUnpolled(o.id);
            f.markUnpolled(header.id);
        }

        /** L for use in block {@code b}: a constant is made again there (zero for eqz and a bare condition). */
        private int limit(IrFunction f, IrBlock b, IrType t, int offset) {
            if (limit < 0) return constant(f, b, t, 0, offset);
            if (f.op(limit) == IrOp.CONST) return constant(f, b, t, f.imm(limit), offset);
            return limit;
        }

        private static int constant(IrFunction f, IrBlock b, IrType t, long value, int offset) {
            return f.append(b, IrOp.CONST, t, t == IrType.I32 ? value & 0xFFFF_FFFFL : value, offset);
        }
    }
}
