package dev.isthmus.compiler.baseline;

import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Moves several values into several registers at once (call arguments, block results): register-to-register moves
 * first, ordered so that no source is overwritten before it is read, cycles broken through the scratch register
 * (r11 / xmm15); then loads of constants, locals and slots, which no register move can disturb. Only mov
 * instructions: the flags survive.
 */
final class ParallelMove {
    private ParallelMove() {}

    /** Moves {@code values[i]} into {@code targets[i]} (a {@link Gpr} or an {@link Xmm} matching the type). */
    static void run(Codegen g, Val[] values, Register[] targets) {
        int n = values.length;
        int[] from = new int[n];
        int[] to = new int[n];
        boolean[] isXmm = new boolean[n];
        boolean[] pending = new boolean[n];
        int left = 0;
        for (int i = 0; i < n; i++) {
            if (values[i].kind() != Codegen.REG) continue;
            from[i] = (int) values[i].value();
            to[i] = targets[i] instanceof Gpr r ? r.encoding() : ((Xmm) targets[i]).encoding();
            isXmm[i] = targets[i] instanceof Xmm;
            if (from[i] != to[i]) {
                pending[i] = true;
                left++;
            }
        }
        while (left > 0) {
            boolean progress = false;
            for (int i = 0; i < n; i++) {
                if (!pending[i] || isSourceOfPending(i, from, to, isXmm, pending)) continue;
                move(g, isXmm[i], to[i], from[i]);
                pending[i] = false;
                left--;
                progress = true;
            }
            if (!progress) {
                // a cycle: park one source in the scratch register
                for (int i = 0; i < n; i++) {
                    if (!pending[i]) continue;
                    int scratch = isXmm[i] ? Xmm.XMM15.encoding() : Gpr.R11.encoding();
                    int parked = from[i];
                    move(g, isXmm[i], scratch, parked);
                    for (int j = 0; j < n; j++) {
                        if (pending[j] && isXmm[j] == isXmm[i] && from[j] == parked) from[j] = scratch;
                    }
                    break;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (values[i].kind() == Codegen.REG) continue;
            if (targets[i] instanceof Gpr r) g.emitLoad(r, values[i]);
            else g.emitLoadXmm((Xmm) targets[i], values[i]);
        }
    }

    private static boolean isSourceOfPending(int i, int[] from, int[] to, boolean[] isXmm, boolean[] pending) {
        for (int j = 0; j < from.length; j++) {
            if (j != i && pending[j] && isXmm[j] == isXmm[i] && from[j] == to[i]) return true;
        }
        return false;
    }

    private static void move(Codegen g, boolean xmm, int to, int from) {
        if (xmm) g.a.sse(SseOp.MOVAPS, Xmm.of(to), Xmm.of(from));
        else g.a.mov(QWORD, Gpr.of(to), Gpr.of(from));
    }
}
