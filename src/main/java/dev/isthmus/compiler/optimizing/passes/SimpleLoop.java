package dev.isthmus.compiler.optimizing.passes;

import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * A simple cycle H → … → latch → H of the IR, the loop shape that {@link LoopVersioning} and {@link LoopUnrolling}
 * transform, and the pieces both use to copy such a loop: its blocks (blocks[0] = header, blocks[last] = latch),
 * entered only at H from one preheader ending in a jump, each block after H with a single predecessor and no phis;
 * conditional branches at blocks[exitsAt[j]] leave the loop for blocks {@code exitTargets[j]} (other branches may
 * only lead to a block that traps, which copies share). Such a cycle contains no other loop: it is an innermost
 * loop. {@link #exitAt()}, {@link #exit()} and {@code exitWhenTrue} describe the first exit (the only one, for the loops
 * {@link #find(IrFunction, IrBlock, int, int, boolean)} returns). {@code size} counts the header's phis and every
 * instruction of the blocks.
 */
record SimpleLoop(int[] blocks, int preheader, int latch, boolean exitWhenTrue, int size, int[] exitsAt,
                  int[] exitTargets) {

    /** The position in {@link #blocks} of the first exit's branch. */
    int exitAt() {
        return exitsAt[0];
    }

    /** The first exit's target. */
    int exit() {
        return exitTargets[0];
    }

    /**
     * The simple cycle with one exit headed by {@code header}, or null when it is none, has more than
     * {@code maxBlocks} blocks or {@code maxSize} phis and instructions, or contains an operation that may call out
     * of the function (a call, memory.grow, a runtime builtin; also a fuel check unless {@code fuel} allows it).
     */
    static SimpleLoop find(IrFunction f, IrBlock header, int maxSize, int maxBlocks, boolean fuel) {
        return find(f, header, maxSize, maxBlocks, fuel, 1);
    }

    /** As {@link #find(IrFunction, IrBlock, int, int, boolean)}, with up to {@code maxExits} exits. */
    static SimpleLoop find(IrFunction f, IrBlock header, int maxSize, int maxBlocks, boolean fuel, int maxExits) {
        int preheader = -1, latch = -1;
        int h = header.id;
        List<Integer> chain = new ArrayList<>();
        chain.add(h);
        boolean exitWhenTrue = false;
        List<Integer> exitsAt = new ArrayList<>(), exitTargets = new ArrayList<>();
        int cur = h;
        int size = header.phiCount();
        while (true) {
            IrBlock b = f.block(cur);
            size += b.instructionCount();
            if (size > maxSize) return null;
            int t = b.terminator(f);
            if (t < 0) return null;
            int next;
            if (f.op(t) == IrOp.JUMP) {
                next = b.successors[0];
            } else if (f.op(t) == IrOp.BRANCH) {
                int s0 = b.successors[0], s1 = b.successors[1];
                if (traps(f, s1) && s0 != s1) {
                    next = s0;
                } else if (traps(f, s0)) {
                    next = s1;
                } else {
                    if (exitsAt.size() == maxExits) return null;
                    // the successor that continues the loop leads back to the header through this chain
                    boolean c0 = leadsTo(f, s0, h, maxBlocks), c1 = leadsTo(f, s1, h, maxBlocks);
                    if (c0 == c1) return null;
                    next = c0 ? s0 : s1;
                    exitsAt.add(chain.size() - 1);
                    exitTargets.add(c0 ? s1 : s0);
                    if (exitsAt.size() == 1) exitWhenTrue = c1;
                }
            } else {
                return null;
            }
            if (next == h) {
                latch = cur;
                break;
            }
            IrBlock nb = f.block(next);
            if (nb.predCount() != 1 || nb.phiCount() != 0 || chain.contains(next)) return null;
            if (chain.size() == maxBlocks) return null;
            chain.add(next);
            cur = next;
        }
        if (exitsAt.isEmpty()) return null;
        for (int i = 0; i < 2; i++) {
            if (header.pred(i) != latch) preheader = header.pred(i);
        }
        if (preheader < 0 || preheader == latch || chain.contains(preheader)) return null;
        IrBlock p = f.block(preheader);
        int pt = p.terminator(f);
        if (pt < 0 || f.op(pt) != IrOp.JUMP) return null;
        int[] blocks = chain.stream().mapToInt(Integer::intValue).toArray();
        for (int b : blocks) {
            IrBlock blk = f.block(b);
            for (int i = 0; i < blk.instructionCount(); i++) {
                IrOp op = f.op(blk.instruction(i));
                if (!allowed(op) && !(fuel && op == IrOp.FUEL)) return null;
            }
        }
        return new SimpleLoop(blocks, preheader, latch, exitWhenTrue, size,
                exitsAt.stream().mapToInt(Integer::intValue).toArray(),
                exitTargets.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Whether following single-predecessor jump/branch blocks from {@code from} reaches {@code header} within
     * {@code maxBlocks} steps (at a branch with no trapping side, through either successor: a later exit).
     */
    private static boolean leadsTo(IrFunction f, int from, int header, int maxBlocks) {
        int cur = from;
        for (int steps = 0; steps <= maxBlocks; steps++) {
            if (cur == header) return true;
            IrBlock b = f.block(cur);
            if (b.predCount() != 1) return false;
            int t = b.terminator(f);
            if (t < 0) return false;
            if (f.op(t) == IrOp.JUMP) {
                cur = b.successors[0];
            } else if (f.op(t) == IrOp.BRANCH) {
                int s0 = b.successors[0], s1 = b.successors[1];
                if (traps(f, s1)) cur = s0;
                else if (traps(f, s0)) cur = s1;
                else return leadsTo(f, s0, header, maxBlocks - steps - 1)
                        || leadsTo(f, s1, header, maxBlocks - steps - 1);
            } else {
                return false;
            }
        }
        return false;
    }

    /** A block that only traps (no phis): a side exit that copies of a loop may share. */
    static boolean traps(IrFunction f, int b) {
        IrBlock blk = f.block(b);
        return blk.phiCount() == 0 && blk.instructionCount() == 1 && f.op(blk.instruction(0)) == IrOp.TRAP;
    }

    /** Operations a transformed loop may contain: nothing that calls out (which could grow a memory). */
    static boolean allowed(IrOp op) {
        return switch (op) {
            case CALL, CALL_INDIRECT, CALL_RESULT, MEMORY_GROW, MEMORY_INIT, DATA_DROP, TABLE_GROW, TABLE_FILL,
                 TABLE_COPY, TABLE_INIT, ELEM_DROP, FUEL, SWITCH, RETURN, TRAP, RETURN_CALL,
                 RETURN_CALL_INDIRECT -> false;
            default -> true;
        };
    }

    /** Whether value {@code v} is defined in one of the loop's blocks (a phi of the header included). */
    boolean contains(IrFunction f, int v) {
        int b = f.blockOf(v);
        for (int x : blocks) if (x == b) return true;
        return false;
    }

    /**
     * Copies the instructions of the loop's blocks, in order, into {@code copies} (new blocks, one per loop block):
     * operands through {@code map}, to which each copied value is added (the caller puts what the header's phis
     * stand for in the copy there first); successors through {@code successor}, each edge recorded unless the
     * target lists the copy already (the caller may have put it in a predecessor's place). SIMD instructions keep
     * their immediates; a load or store in {@code inBounds}, or already marked in bounds, is marked in its copy.
     */
    void copyInto(IrFunction f, IrBlock[] copies, Map<Integer, Integer> map, IntUnaryOperator successor,
                  Set<Integer> inBounds) {
        copyInto(f, copies, map, (i, t) -> successor.applyAsInt(t), inBounds);
    }

    /**
     * As {@link #copyInto(IrFunction, IrBlock[], Map, IntUnaryOperator, Set)}, the successors mapped by position
     * in the loop and target: {@code successor.applyAsInt(i, t)} for an edge of blocks[i] to t (two exits may lead
     * to one block).
     */
    void copyInto(IrFunction f, IrBlock[] copies, Map<Integer, Integer> map, IntBinaryOperator successor,
                  Set<Integer> inBounds) {
        for (int i = 0; i < copies.length; i++) {
            IrBlock orig = f.block(blocks[i]);
            IrBlock copy = copies[i];
            for (int j = 0; j < orig.instructionCount(); j++) {
                int v = orig.instruction(j);
                int[] a = f.args(v).clone();
                for (int x = 0; x < a.length; x++) a[x] = map.getOrDefault(a[x], a[x]);
                int c;
                if (f.op(v).isTerminator()) {
                    int[] succ = orig.successors.clone();
                    for (int x = 0; x < succ.length; x++) succ[x] = successor.applyAsInt(i, succ[x]);
                    c = f.terminate(copy, f.op(v), f.imm(v), f.wasmOffset(v), succ, a);
                    for (int s : succ) {
                        IrBlock target = f.block(s);
                        boolean listed = false;
                        for (int p = 0; p < target.predCount(); p++) listed |= target.pred(p) == copy.id;
                        if (!listed) f.addEdge(copy, target);
                    }
                } else {
                    c = copyInstruction(f, copy, v, a, inBounds.contains(v));
                }
                map.put(v, c);
            }
        }
    }

    /**
     * Appends to {@code into} a copy of instruction {@code v} (not a terminator) with operands {@code args}: SIMD
     * instructions keep their immediates; a load or store already marked in bounds, or {@code inBounds}, is marked
     * in its copy. Returns the copy.
     */
    static int copyInstruction(IrFunction f, IrBlock into, int v, int[] args, boolean inBounds) {
        IrOp op = f.op(v);
        if (op == IrOp.SIMD || op == IrOp.SIMD_LOAD || op == IrOp.SIMD_STORE) {
            return f.appendSimd(into, op, f.type(v), f.imm(v), f.wasmOffset(v), f.simd(v), args);
        }
        int c = f.append(into, op, f.type(v), f.imm(v), f.wasmOffset(v), args);
        if (inBounds || ((op == IrOp.LOAD || op == IrOp.STORE) && f.inBounds(v))) f.markInBounds(c);
        return c;
    }

    /**
     * After the loop's exit edges were made to meet in block {@code x0} (its predecessor k coming from version k of
     * the loop, whose values are {@code versions.get(k)}; null for the loop itself): every value of the loop used
     * outside it — in a block below {@code firstNew} and not marked in {@code skip} — is replaced by a phi of
     * {@code x0} over its versions. Returns whether there was any.
     */
    boolean mergeUses(IrFunction f, IrBlock x0, List<Map<Integer, Integer>> versions, boolean[] skip, int firstNew) {
        Map<Integer, Integer> last = null;
        for (Map<Integer, Integer> m : versions) if (m != null) last = m;
        int[] replacement = new int[f.valueCount()];
        for (int v = 0; v < replacement.length; v++) replacement[v] = v;
        boolean anyOut = false;
        for (int b = 0; b < f.blocks().size(); b++) {
            if (b >= firstNew || skip[b]) continue;
            IrBlock blk = f.block(b);
            for (int i = 0; i < blk.phiCount() + blk.instructionCount(); i++) {
                int u = i < blk.phiCount() ? blk.phi(i) : blk.instruction(i - blk.phiCount());
                for (int a : f.args(u)) {
                    if (a < replacement.length && replacement[a] == a && contains(f, a) && last.containsKey(a)) {
                        int phi = f.newPhi(x0, f.type(a));
                        int[] operands = new int[versions.size()];
                        for (int k = 0; k < operands.length; k++) {
                            Map<Integer, Integer> m = versions.get(k);
                            operands[k] = m == null ? a : m.get(a);
                        }
                        f.setPhiOperands(phi, operands);
                        replacement[a] = phi;
                        anyOut = true;
                    }
                }
            }
        }
        if (anyOut) {
            for (int b = 0; b < skip.length; b++) {
                if (b >= firstNew || skip[b]) continue;
                IrBlock blk = f.block(b);
                for (int i = 0; i < blk.phiCount() + blk.instructionCount(); i++) {
                    int u = i < blk.phiCount() ? blk.phi(i) : blk.instruction(i - blk.phiCount());
                    int[] a = f.args(u);
                    for (int j = 0; j < a.length; j++) if (a[j] < replacement.length) a[j] = replacement[a[j]];
                }
            }
        }
        return anyOut;
    }
}
