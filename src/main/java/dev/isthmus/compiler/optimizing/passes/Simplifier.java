package dev.isthmus.compiler.optimizing.passes;

import dev.isthmus.compiler.optimizing.ir.IrBlock;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.compiler.optimizing.ir.IrType;

/**
 * The optimizing tier's passes, each linear in the size of the function: trivial phis and other copies are
 * replaced by their source (copy propagation), operations on constants are folded (and an increment's unsigned
 * overflow test becomes a test against zero), and instructions whose value is unused and that have no effect are
 * removed (dead code elimination).
 */
public final class Simplifier {
    private Simplifier() {}

    public static void run(IrFunction f) {
        int[] repl = new int[f.valueCount()];
        for (int v = 0; v < repl.length; v++) repl[v] = v;
        removeTrivialPhis(f, repl);
        foldConstants(f, repl);
        if (repl.length < f.valueCount()) {                    // zeros placed by overflowTest
            int old = repl.length;
            repl = java.util.Arrays.copyOf(repl, f.valueCount());
            for (int v = old; v < repl.length; v++) repl[v] = v;
        }
        compress(repl);
        f.replaceAll(repl);
        eliminateDeadCode(f, repl);
        Reassociation.run(f);
    }

    private static int find(int[] repl, int v) {
        while (repl[v] != v) {
            repl[v] = repl[repl[v]];
            v = repl[v];
        }
        return v;
    }

    private static void compress(int[] repl) {
        for (int v = 0; v < repl.length; v++) repl[v] = find(repl, v);
    }

    /**
     * A phi whose operands are all one value (or itself) is that value. Worklist: every phi is looked at once, and
     * again only when a phi among its operands became trivial (its users that are phis are queued then), so the
     * pass is linear in the phis and their operands — a round-robin "until nothing changes" took one round per
     * level of a chain of trivial phis, cubic on deeply nested loops.
     */
    private static void removeTrivialPhis(IrFunction f, int[] repl) {
        int n = f.valueCount();
        // phi users of each phi, as linked lists in arrays (edge e: from user[e], next[e])
        int[] head = new int[n];
        java.util.Arrays.fill(head, -1);
        int operands = 0, phiCount = 0;
        for (IrBlock b : f.blocks()) {
            phiCount += b.phiCount();
            for (int i = 0; i < b.phiCount(); i++) operands += f.args(b.phi(i)).length;
        }
        int[] user = new int[operands];
        int[] next = new int[operands];
        int edges = 0;
        // the worklist: a ring of every phi; a phi is in it at most once (queued), so it never holds more than them
        int[] ring = new int[Math.max(1, phiCount)];
        int first = 0, count = 0;
        boolean[] queued = new boolean[n];
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.phiCount(); i++) {
                int p = b.phi(i);
                for (int x : f.args(p)) {
                    if (f.op(x) != IrOp.PHI || x == p) continue;
                    user[edges] = p;
                    next[edges] = head[x];
                    head[x] = edges++;
                }
                ring[count++] = p;
                queued[p] = true;
            }
        }
        while (count > 0) {
            int p = ring[first];
            first = (first + 1) % ring.length;
            count--;
            queued[p] = false;
            if (repl[p] != p) continue;
            int same = -1;
            boolean trivial = true;
            for (int x : f.args(p)) {
                int o = find(repl, x);
                if (o == p || o == same) continue;
                if (same != -1) {
                    trivial = false;
                    break;
                }
                same = o;
            }
            if (!trivial || same == -1) continue;
            repl[p] = same;
            for (int e = head[p]; e >= 0; e = next[e]) {        // phis that used p may be trivial now
                int u = user[e];
                if (queued[u] || repl[u] != u) continue;
                ring[(first + count++) % ring.length] = u;
                queued[u] = true;
            }
        }
    }

    private static boolean isConst(IrFunction f, int v) {
        return f.op(v) == IrOp.CONST;
    }

    /** One pass in block order (definitions come before uses except through phis). */
    private static void foldConstants(IrFunction f, int[] repl) {
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                IrOp op = f.op(v);
                int[] a = f.args(v);
                for (int k = 0; k < a.length; k++) a[k] = find(repl, a[k]);
                if (op == IrOp.SELECT) {
                    if (isConst(f, a[2])) repl[v] = f.imm(a[2]) != 0 ? a[0] : a[1];
                    else if (a[0] == a[1]) repl[v] = a[0];
                    continue;
                }
                if (!foldable(op)) continue;
                if (a.length == 2 && !isConst(f, a[0]) && !isConst(f, a[1]) && overflowTest(f, b, v, op, a)) {
                    i++;                                       // the zero it placed before v
                    continue;
                }
                if (a.length == 2) {
                    IrType t = f.type(a[0]);
                    if (isConst(f, a[0]) && isConst(f, a[1])) {
                        long x = f.imm(a[0]);
                        long y = f.imm(a[1]);
                        if (!Folding.traps(op, t, x, y)) f.makeConst(v, Folding.binary(op, t, x, y));
                    } else if (isConst(f, a[1]) && isIdentity(op, f.imm(a[1]))) {
                        repl[v] = a[0];
                    }
                } else if (a.length == 1 && isConst(f, a[0])) {
                    f.makeConst(v, Folding.unary(op, f.type(a[0]), f.imm(a[0]), f.imm(v)));
                }
            }
        }
    }

    /**
     * The unsigned overflow test of an increment, {@code x + 1 >=u x} (LLVM's form of a loop that counts up to zero
     * through the wrap: wasi-libc-built loops running from -n to 0), is {@code x + 1 != 0}, and {@code x + 1 <u x} is
     * {@code x + 1 == 0} (likewise with the operands swapped): rewritten so, in place, with a zero placed before it
     * in block {@code b}, a loop exit test becomes one that {@link StripMining} counts.
     * Returns whether it rewrote {@code v}.
     */
    private static boolean overflowTest(IrFunction f, IrBlock b, int v, IrOp op, int[] a) {
        int sum, x;
        boolean notWrapped;                                   // the test is true when x + 1 did not wrap
        switch (op) {
            case GE_U -> { sum = a[0]; x = a[1]; notWrapped = true; }
            case LT_U -> { sum = a[0]; x = a[1]; notWrapped = false; }
            case LE_U -> { sum = a[1]; x = a[0]; notWrapped = true; }
            case GT_U -> { sum = a[1]; x = a[0]; notWrapped = false; }
            default -> { return false; }
        }
        if (f.op(sum) != IrOp.ADD) return false;
        int[] s = f.args(sum);
        boolean increment = s[0] == x && isConst(f, s[1]) && isOne(f, s[1])
                || s[1] == x && isConst(f, s[0]) && isOne(f, s[0]);
        if (!increment) return false;
        IrType t = f.type(x);
        int zero = f.append(b, IrOp.CONST, t, 0, f.wasmOffset(v));
        b.moveBefore(zero, v);
        f.rewrite(v, notWrapped ? IrOp.NE : IrOp.EQ, sum, zero);
        return true;
    }

    private static boolean isOne(IrFunction f, int c) {
        return f.type(c) == IrType.I32 ? (f.imm(c) & 0xFFFF_FFFFL) == 1 : f.imm(c) == 1;
    }

    /** Pure integer operations {@link Folding} evaluates. */
    private static boolean foldable(IrOp op) {
        return (op.ordinal() >= IrOp.ADD.ordinal() && op.ordinal() <= IrOp.SIGN_EXTEND.ordinal())
                || op == IrOp.CLZ || op == IrOp.CTZ || op == IrOp.POPCNT;
    }

    /** {@code x op c == x}. */
    private static boolean isIdentity(IrOp op, long c) {
        return switch (op) {
            case ADD, SUB, OR, XOR, SHL, SHR_S, SHR_U, ROTL, ROTR -> c == 0;
            case MUL -> c == 1;
            default -> false;
        };
    }

    private static void eliminateDeadCode(IrFunction f, int[] repl) {
        int n = f.valueCount();
        boolean[] live = new boolean[n];
        int[] work = new int[n];
        int top = 0;
        for (IrBlock b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                if (f.op(v).hasEffect() && !live[v]) {
                    live[v] = true;
                    work[top++] = v;
                }
            }
        }
        while (top > 0) {
            int v = work[--top];
            for (int x : f.args(v)) {
                if (!live[x]) {
                    live[x] = true;
                    work[top++] = x;
                }
            }
        }
        for (IrBlock b : f.blocks()) b.retain(v -> live[v] && repl[v] == v);
    }
}
