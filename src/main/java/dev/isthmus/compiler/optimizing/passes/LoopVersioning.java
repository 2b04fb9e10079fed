package dev.isthmus.compiler.optimizing.passes;

import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.compiler.optimizing.ir.IrType;
import dev.isthmus.runtime.abi.Memory64Guard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Range-check elimination by loop versioning: a simple counted loop whose explicitly checked loads and stores
 * (memory64, or a 32-bit memory in explicit bounds-check mode) walk memory with induction variables gets a copy
 * without those checks, entered only when a test before the loop proves every access of every iteration the loop
 * can run in bounds; otherwise the original, checked loop runs.
 *
 * <pre>
 *          P (preheader) ── jump ──▶ G: K = the last iteration the loop can run (from its exit test)
 *                                       ok = for each induction index v of a checked access:
 *                                            v over iterations 0..K does not wrap, and its largest value is in bounds
 *                                       branch ok
 *                              ┌────────────┴─────────────┐
 *                              ▼ F: jump                  ▼ C: jump
 *            ┌──▶ H' (phis: F's inits)          ┌──▶ H (the original loop, unchanged: every access checked)
 *            │    body copy, accesses "inbounds" │    body
 *            │    (no check emitted)             │
 *            └── latch' ◀── branch ──▶ E2        └── latch ◀── branch ──▶ E1
 *                                       │                                  │
 *                                       └───────────▶ X0 ◀─────────────────┘
 *                                                      phis: the loop's values used after it (E1: original, E2: copy)
 *                                                      jump ▶ X (the loop's exit)
 * </pre>
 *
 * <p>Why the result is exact: the checked loop runs whenever any access of an iteration that may run could be out of
 * bounds, so an out-of-bounds access still traps where it did, after every effect of the earlier iterations. The
 * unchecked copy runs only when every access it can make is in bounds; it is otherwise the same instructions (the
 * same stores, globals, other traps in the same order). For memory64 "in bounds" means index &lt;= size, as the
 * check itself decides (the guard behind the memory catches offset + access size, and an access that ends beyond
 * the size faults at that same instruction in both copies); for a 32-bit memory with explicit checks it means
 * index + offset + size &lt;= memory size. The memory size read in G is the size for the whole loop: it only ever
 * grows, and the loop contains no call, no memory.grow, no fuel check and no runtime builtin (whose embedder code
 * could grow it), so a range proven in bounds at G stays so.
 *
 * <p>Conditions for a loop (anything else is left alone):
 * <ul>
 *   <li>Shape: a simple cycle H → … → latch → H of at most {@link #MAX_BLOCKS} blocks and {@link #MAX_INSTRUCTIONS}
 *       instructions (the copy doubles the loop's code), entered only at H from one preheader ending in a jump;
 *       exactly one conditional branch leaves the loop for a block X (others may only lead to a block that traps);
 *       no call, memory.grow, fuel check or runtime builtin inside. At most {@link #MAX_LOOPS} loops per function.</li>
 *   <li>Induction values: a phi of H whose back-edge operand is itself plus a constant step, and sums, differences,
 *       constant multiples and constant left shifts of such values and loop invariants, in wrapping i32 or i64
 *       arithmetic: each is {@code v(k) = v(0) + k * t mod 2^w} at iteration k, with v(0) computed in G from the
 *       phis' initial values.</li>
 *   <li>Exit test: the loop leaves when an induction value e equals a loop invariant L ({@code eq}, {@code ne} or
 *       {@code eqz}, either branch direction) and e's step is ±2^j. The loop then leaves at the first k with
 *       {@code e(0) + k*t ≡ L}: with D = (L - e(0)) · sign(t) mod 2^w, that is K = D / 2^j when D is a multiple of
 *       2^j (a smaller k would make (K - k)·2^j a multiple of 2^w below 2^w), and never otherwise (the loop then runs
 *       until it traps or forever: G sends it to the checked loop). K must be below 2^32 (G tests it for an i64 e).
 *       An access up to the exit test runs in iterations 0..K, one after it in 0..K-1 (for K = 0, in none: iteration
 *       0 is checked anyway, which is merely conservative: a superset of what runs is safe, at worst the checked
 *       loop runs).</li>
 *   <li>Accesses: a load or store of an explicitly checked memory whose index is an induction value with |t| &lt; 2^31
 *       (so K·|t| &lt; 2^63 cannot overflow). For t ≥ 0 the largest index is v(K) = v(0) + K·t, which must not wrap
 *       (i64: v(K) ≥ v(0) unsigned; i32: v(K) &lt; 2^32, computed in 64 bits); for t &lt; 0 it is v(0), and v(0) ≥ K·|t|
 *       (unsigned) must hold. The comparison with the size is unsigned ({@code v <= size} for memory64,
 *       {@code v + offset + bytes <= size} for a 32-bit memory). Other accesses keep their check in both
 *       copies.</li>
 * </ul>
 */
public final class LoopVersioning {
    private LoopVersioning() {}

    /** Loops larger than this (instructions and phis) are not versioned: the copy doubles their code. */
    public static final int MAX_INSTRUCTIONS = 120;
    /** Blocks in the cycle. */
    public static final int MAX_BLOCKS = 8;
    /** Loops versioned per function. */
    public static final int MAX_LOOPS = 8;

    /**
     * Versions the loops of {@code f} that qualify. {@code checked[k]} is true for memory k when its accesses are
     * checked explicitly (memory64, or every memory in explicit bounds-check mode); {@code address64[k]} when it is
     * a memory64 memory.
     */
    public static void run(IrFunction f, boolean[] checked, boolean[] address64) {
        boolean any = false;
        for (boolean c : checked) any |= c;
        if (!any) return;
        int versioned = 0;
        int n = f.blocks().size();                      // blocks added by versioning are not visited again
        for (int h = 0; h < n && versioned < MAX_LOOPS; h++) {
            IrBlock header = f.block(h);
            if (header.phiCount() == 0 || header.predCount() != 2) continue;
            SimpleLoop loop = SimpleLoop.find(f, header, MAX_INSTRUCTIONS, MAX_BLOCKS, false);
            if (loop == null) continue;
            if (new Versioner(f, loop, checked, address64).run()) versioned++;
        }
    }

    /** One loop's analysis and, when it pays, its versioning. */
    private static final class Versioner {
        private final IrFunction f;
        private final SimpleLoop loop;
        private final boolean[] checked;
        private final boolean[] address64;
        private final IrBlock header;
        private final int entryIndex;                   // the preheader's position among the header's preds
        private final Map<Integer, Long> steps = new HashMap<>();
        private final Map<Integer, Integer> initial = new HashMap<>();
        private IrBlock guard;
        private int offset;

        Versioner(IrFunction f, SimpleLoop loop, boolean[] checked, boolean[] address64) {
            this.f = f;
            this.loop = loop;
            this.checked = checked;
            this.address64 = address64;
            this.header = f.block(loop.blocks()[0]);
            this.entryIndex = header.pred(0) == loop.preheader() ? 0 : 1;
        }

        private boolean inLoop(int v) {
            return loop.contains(f, v);
        }

        /** Loop-invariant: defined outside the loop, or a constant. */
        private boolean invariant(int v) {
            return !inLoop(v) || f.op(v) == IrOp.CONST;
        }

        /** Invariant {@code v} usable in the guard block: a constant of the loop is made again there. */
        private int outside(int v) {
            return inLoop(v) ? constant(f.type(v), f.imm(v)) : v;
        }

        private static long wrap(long x, IrType t) {
            return t == IrType.I32 ? (long) (int) x : x;
        }

        /** The step of induction value {@code v} (sign-extended to 64 bits), or null when it is none. */
        private Long step(int v) {
            if (steps.containsKey(v)) return steps.get(v);
            steps.put(v, null);                         // cycles through phis are no induction values
            Long s = computeStep(v);
            steps.put(v, s);
            return s;
        }

        private Long computeStep(int v) {
            IrType t = f.type(v);
            if (t != IrType.I32 && t != IrType.I64) return null;
            if (!inLoop(v) || f.op(v) == IrOp.CONST) return 0L;
            int[] a = f.args(v);
            switch (f.op(v)) {
                case PHI -> {
                    if (f.blockOf(v) != header.id) return null;
                    int next = a[1 - entryIndex];
                    if (f.op(next) != IrOp.ADD && f.op(next) != IrOp.SUB) return null;
                    int[] n = f.args(next);
                    for (int i = 0; i < 2; i++) {
                        if (n[i] == v && f.op(n[1 - i]) == IrOp.CONST && (i == 0 || f.op(next) == IrOp.ADD)) {
                            long c = f.imm(n[1 - i]);
                            return wrap(f.op(next) == IrOp.ADD ? c : -c, t);
                        }
                    }
                    return null;
                }
                case ADD, SUB -> {
                    Long x = step(a[0]), y = step(a[1]);
                    if (x == null || y == null) return null;
                    return wrap(f.op(v) == IrOp.ADD ? x + y : x - y, t);
                }
                case MUL -> {
                    for (int i = 0; i < 2; i++) {
                        if (f.op(a[i]) != IrOp.CONST) continue;
                        Long x = step(a[1 - i]);
                        return x == null ? null : wrap(x * f.imm(a[i]), t);
                    }
                    return null;
                }
                case SHL -> {
                    if (f.op(a[1]) != IrOp.CONST) return null;
                    Long x = step(a[0]);
                    int bits = t == IrType.I32 ? 31 : 63;
                    return x == null ? null : wrap(x << (f.imm(a[1]) & bits), t);
                }
                default -> {
                    return null;
                }
            }
        }

        /** v(0), the value of induction value {@code v} at iteration 0, computed in the guard block. */
        private int initial(int v) {
            Integer known = initial.get(v);
            if (known != null) return known;
            int r;
            if (invariant(v)) {
                r = outside(v);
            } else if (f.op(v) == IrOp.PHI) {
                r = f.arg(v, entryIndex);
            } else {
                int[] a = f.args(v);
                int x = initial(a[0]), y = initial(a[1]);
                r = op(f.op(v), f.type(v), x, y);
            }
            initial.put(v, r);
            return r;
        }

        /** Whether the guard branched to the checked loop yet. */
        private boolean branched;

        /**
         * Adds condition {@code cond} (an i32) to the guard: it ends the current guard block with a branch to a new
         * guard block when true, else to {@code slow} (the checked loop), so each test is a fused compare and branch.
         * A condition known true is dropped.
         */
        private void check(int cond, IrBlock slow) {
            if (f.op(cond) == IrOp.CONST && f.imm(cond) != 0) return;
            IrBlock next = f.newBlock();
            f.terminate(guard, IrOp.BRANCH, 0, offset, new int[] {next.id, slow.id}, cond);
            f.addEdge(guard, next);
            f.addEdge(guard, slow);
            guard = next;
            branched = true;
        }

        private int constant(IrType t, long bits) {
            return f.append(guard, IrOp.CONST, t, t == IrType.I32 ? bits & 0xFFFF_FFFFL : bits, offset);
        }

        /** An operation in the guard; on constants, its value (the guard is built after simplification). */
        private int op(IrOp op, IrType t, int... args) {
            boolean constants = true;
            for (int a : args) constants &= f.op(a) == IrOp.CONST;
            boolean foldable = op.ordinal() >= IrOp.ADD.ordinal() && op.ordinal() <= IrOp.SIGN_EXTEND.ordinal();
            if (constants && foldable && args.length == 2) {
                IrType operands = f.type(args[0]);
                long x = f.imm(args[0]), y = f.imm(args[1]);
                if (!Folding.traps(op, operands, x, y)) return constant(t, Folding.binary(op, operands, x, y));
            } else if (constants && foldable && args.length == 1) {
                return constant(t, Folding.unary(op, f.type(args[0]), f.imm(args[0]), 0));
            }
            if (args.length == 2 && f.op(args[1]) == IrOp.CONST && f.imm(args[1]) == 0
                    && (op == IrOp.ADD || op == IrOp.SUB || op == IrOp.SHL || op == IrOp.SHR_U)) {
                return args[0];
            }
            if (args.length == 2 && f.op(args[1]) == IrOp.CONST && f.imm(args[1]) == 1 && op == IrOp.MUL) {
                return args[0];
            }
            return f.append(guard, op, t, 0, offset, args);
        }

        boolean run() {
            // the exit test: e == L (exit) for an induction value e with step ±2^j and a loop invariant L
            IrBlock exitBlock = f.block(loop.blocks()[loop.exitAt()]);
            int branch = exitBlock.terminator(f);
            int cond = f.arg(branch, 0);
            int e, limit = -1;
            boolean exitOnEqual;
            switch (f.op(cond)) {
                case EQ, NE -> {
                    int[] a = f.args(cond);
                    Long s0 = invariant(a[0]) ? null : step(a[0]), s1 = invariant(a[1]) ? null : step(a[1]);
                    if (s0 != null && invariant(a[1])) {
                        e = a[0];
                        limit = a[1];
                    } else if (s1 != null && invariant(a[0])) {
                        e = a[1];
                        limit = a[0];
                    } else {
                        return false;
                    }
                    exitOnEqual = (f.op(cond) == IrOp.EQ) == loop.exitWhenTrue();
                }
                case EQZ -> {
                    e = f.arg(cond, 0);
                    if (invariant(e)) return false;
                    exitOnEqual = loop.exitWhenTrue();
                }
                default -> {
                    return false;
                }
            }
            if (!exitOnEqual) return false;
            Long es = step(e);
            if (es == null || es == 0) return false;
            IrType et = f.type(e);
            long mag = Math.abs(es);
            if (es == Long.MIN_VALUE || (et == IrType.I32 && es == Integer.MIN_VALUE) || Long.bitCount(mag) != 1) {
                return false;
            }
            // the accesses to prove
            List<Integer> accesses = new ArrayList<>();
            for (int b : loop.blocks()) {
                IrBlock blk = f.block(b);
                for (int i = 0; i < blk.instructionCount(); i++) {
                    int v = blk.instruction(i);
                    if (f.op(v) != IrOp.LOAD && f.op(v) != IrOp.STORE) continue;
                    int k = IrOp.memoryIndex(f.imm(v));
                    if (!checked[k]) continue;
                    // a 32-bit memory's access with a large offset has an i64 address: it keeps its check
                    if (!address64[k] && f.type(f.arg(v, 0)) != IrType.I32) continue;
                    Long t = step(f.arg(v, 0));
                    if (t == null || t <= -(1L << 31) || t >= 1L << 31) continue;
                    accesses.add(v);
                }
            }
            if (accesses.isEmpty()) return false;
            version(e, es, limit, accesses);
            return true;
        }

        private void version(int e, long es, int limit, List<Integer> accesses) {
            IrBlock pre = f.block(loop.preheader());
            int exitBranch = f.block(loop.blocks()[loop.exitAt()]).terminator(f);
            offset = f.wasmOffset(exitBranch);
            guard = f.newBlock();
            int firstNew = guard.id;
            pre.successors = new int[] {guard.id};
            f.addEdge(pre, guard);
            IrBlock slow = f.newBlock();
            IrType i64 = IrType.I64, i32 = IrType.I32;
            // K: D = (L - e(0)) * sign(step) mod 2^w, a multiple of |step| = 2^j; K = D >> j (below 2^32)
            IrType et = f.type(e);
            int e0 = initial(e);
            int l = limit >= 0 ? outside(limit) : constant(et, 0);
            int d = es > 0 ? op(IrOp.SUB, et, l, e0) : op(IrOp.SUB, et, e0, l);
            long mag = Math.abs(es);
            int kk = d;
            if (mag > 1) {
                check(op(IrOp.EQZ, i32, op(IrOp.AND, et, d, constant(et, mag - 1))), slow);
                kk = op(IrOp.SHR_U, et, d, constant(et, Long.numberOfTrailingZeros(mag)));
            }
            if (et == IrType.I32) {
                kk = op(IrOp.EXTEND_U, i64, kk);
            } else {
                check(op(IrOp.LT_U, i32, kk, constant(i64, 1L << 32)), slow);
            }
            // per access: the largest index over iterations 0..K, without wrapping, within the memory's size
            Map<Integer, Integer> sizes = new HashMap<>();
            Map<List<Long>, Integer> spans = new HashMap<>();
            int kBefore = kk;
            int kAfter = -1;                            // K - 1, or 0 when K = 0 (made when needed)
            java.util.Set<List<Long>> seen = new java.util.HashSet<>();
            for (int v : accesses) {
                int index = f.arg(v, 0);
                int k = IrOp.memoryIndex(f.imm(v));
                boolean wide = address64[k];
                long end = IrOp.memoryOffset(f.imm(v)) + bytes(v);
                if (wide) index = covering(index, end);
                // an access after the exit test runs in iterations 0..K-1 only (none when K = 0: then checking
                // iteration 0 is merely conservative)
                boolean after = after(v);
                if (!seen.add(List.of((long) index, (long) k, wide ? 0 : end, after ? 1L : 0L))) continue;
                if (after && kAfter < 0) {
                    kAfter = op(IrOp.SUB, i64, kBefore,
                            op(IrOp.EXTEND_U, i64, op(IrOp.NE, i32, kBefore, constant(i64, 0))));
                }
                int iterations = after ? kAfter : kBefore;
                long t = step(index);
                int v0 = initial(index);
                if (!wide) v0 = op(IrOp.EXTEND_U, i64, v0);
                int hi;
                if (t == 0) {
                    hi = v0;
                } else {
                    int span = spans.computeIfAbsent(List.of(Math.abs(t), (long) iterations),
                            m -> op(IrOp.MUL, i64, iterations, constant(i64, m.get(0))));
                    if (t > 0) {
                        hi = op(IrOp.ADD, i64, v0, span);
                        check(wide ? op(IrOp.GE_U, i32, hi, v0)
                                : op(IrOp.LE_U, i32, hi, constant(i64, 0xFFFF_FFFFL)), slow);
                    } else {
                        hi = v0;
                        check(op(IrOp.GE_U, i32, v0, span), slow);
                    }
                }
                Integer size = sizes.get(k);
                if (size == null) {
                    size = f.append(guard, IrOp.MEMORY_BYTES, i64, k, offset);
                    sizes.put(k, size);
                }
                int last = wide ? hi : op(IrOp.ADD, i64, hi, constant(i64, end));
                check(op(IrOp.LE_U, i32, last, size), slow);
            }
            // the blocks: G branches to F (copy) or C (original); the copy's exit and the original's meet in X0
            IrBlock fast = f.newBlock();
            if (branched) {
                f.terminate(guard, IrOp.JUMP, 0, offset, new int[] {fast.id});
                f.addEdge(guard, fast);
            } else {
                // every condition held at compile time: a branch on a true constant keeps the checked loop a
                // (never taken) successor, so that no block is left without predecessors
                f.terminate(guard, IrOp.BRANCH, 0, offset, new int[] {fast.id, slow.id}, constant(i32, 1));
                f.addEdge(guard, fast);
                f.addEdge(guard, slow);
            }
            header.replacePred(loop.preheader(), slow.id);     // C takes the preheader's place (phi operands)
            f.terminate(slow, IrOp.JUMP, 0, offset, new int[] {header.id});
            // the copy
            int[] copyOf = new int[loop.blocks().length];
            Map<Integer, Integer> map = new HashMap<>();
            IrBlock[] copies = new IrBlock[loop.blocks().length];
            for (int i = 0; i < copies.length; i++) {
                copies[i] = f.newBlock();
                copyOf[i] = copies[i].id;
            }
            Map<Integer, Integer> blockMap = new HashMap<>();
            for (int i = 0; i < copies.length; i++) blockMap.put(loop.blocks()[i], copyOf[i]);
            for (int i = 0; i < header.phiCount(); i++) {
                int p = header.phi(i);
                map.put(p, f.newPhi(copies[0], f.type(p)));
            }
            java.util.Set<Integer> proven = new java.util.HashSet<>(accesses);
            IrBlock e1 = f.newBlock(), e2 = f.newBlock(), x0 = f.newBlock();
            int e2id = e2.id;
            loop.copyInto(f, copies, map, t -> t == loop.exit() ? e2id : blockMap.getOrDefault(t, t), proven);
            f.terminate(fast, IrOp.JUMP, 0, offset, new int[] {copyOf[0]});
            // the copy's header: its preds in the original's order (F for the preheader, the copied latch)
            int copiedLatch = blockMap.get(loop.latch());
            IrBlock ch = copies[0];
            // addEdge appended the copied latch already (its terminator above); rebuild the order when needed
            if (entryIndex == 0) {
                ch.replacePred(copiedLatch, fast.id);
                f.addEdge(f.block(copiedLatch), ch);
            } else {
                f.addEdge(fast, ch);
            }
            for (int i = 0; i < header.phiCount(); i++) {
                int p = header.phi(i);
                int[] a = f.args(p).clone();
                for (int x = 0; x < a.length; x++) a[x] = map.getOrDefault(a[x], a[x]);
                f.setPhiOperands(map.get(p), a);
            }
            // the exits: the original's exit edge through E1, the copy's through E2, both to X0, then X
            IrBlock exitBlock = f.block(loop.blocks()[loop.exitAt()]);
            int[] succ = exitBlock.successors;
            for (int x = 0; x < succ.length; x++) if (succ[x] == loop.exit()) succ[x] = e1.id;
            f.addEdge(exitBlock, e1);
            f.terminate(e1, IrOp.JUMP, 0, offset, new int[] {x0.id});
            f.addEdge(e1, x0);
            f.terminate(e2, IrOp.JUMP, 0, offset, new int[] {x0.id});
            f.addEdge(e2, x0);
            IrBlock x = f.block(loop.exit());
            x.replacePred(exitBlock.id, x0.id);
            // values of the loop used outside it: through phis of X0
            boolean[] loopOrCopy = new boolean[f.blocks().size()];
            for (int b : loop.blocks()) loopOrCopy[b] = true;
            for (int b : copyOf) loopOrCopy[b] = true;
            List<Map<Integer, Integer>> versions = new ArrayList<>();
            versions.add(null);
            versions.add(map);
            loop.mergeUses(f, x0, versions, loopOrCopy, firstNew);
            f.terminate(x0, IrOp.JUMP, 0, offset, new int[] {x.id});   // X lists X0 already (replacePred)
        }

        /**
         * For a memory64 access at {@code index + offset} ending {@code end} bytes after its index: the induction
         * value whose range the guard checks. An {@code index = u + c} with a constant {@code c >= 0} and
         * {@code c + end} within the guard behind the memory ({@link Memory64Guard}) is covered by {@code u <= size}:
         * the access then lies in the memory or faults in the guard, as it would after its own check (the same
         * argument as the per-block check of the instruction selector), and {@code u + c} cannot wrap.
         */
        private int covering(int index, long end) {
            if (f.op(index) != IrOp.ADD || !inLoop(index)) return index;
            int[] a = f.args(index);
            for (int i = 0; i < 2; i++) {
                int c = a[i], u = a[1 - i];
                if (f.op(c) == IrOp.CONST && f.imm(c) >= 0 && f.imm(c) + end <= Memory64Guard.GUARD_BYTES
                        && !invariant(u) && step(u) != null) {
                    return u;
                }
            }
            return index;
        }

        /** Whether instruction {@code v} comes after the exit test in the loop's cycle. */
        private boolean after(int v) {
            int b = f.blockOf(v);
            for (int i = 0; i < loop.blocks().length; i++) if (loop.blocks()[i] == b) return i > loop.exitAt();
            return false;
        }

        /** The access size of load or store {@code v}. */
        private int bytes(int v) {
            if (f.op(v) == IrOp.STORE) return IrOp.memoryKind(f.imm(v));
            return switch (IrOp.LOAD_KINDS[IrOp.memoryKind(f.imm(v))]) {
                case "32", "32s", "32u", "f32" -> 4;
                case "64", "f64" -> 8;
                case "8s", "8u" -> 1;
                default -> 2;
            };
        }
    }
}
