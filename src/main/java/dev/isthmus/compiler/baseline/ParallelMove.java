package dev.isthmus.compiler.baseline;

import dev.isthmus.compiler.machine.sequences.ParallelMoves;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Moves several values into several registers at once (call arguments, block results) through
 * {@link ParallelMoves}: a value in a register has a location (the encoding of a general-purpose register, 16 plus
 * the encoding of an xmm register); constants, locals, slots and flags are loaded by {@link Codegen} and are given
 * after the register values, so they are loaded once the register moves no longer wait for their destinations.
 * Cycles go through r11 / xmm15. Only mov instructions (and the loads' own forms): the flags survive.
 */
final class ParallelMove {
    private static final int XMM = 16;

    private ParallelMove() {}

    /** Moves {@code values[i]} into {@code targets[i]} (a {@link Gpr} or an {@link Xmm} matching the type). */
    static void run(Codegen g, Val[] values, Register[] targets) {
        int n = values.length;
        int[] index = new int[n]; // register values first, then the loaded ones, each in the given order
        int k = 0;
        for (int i = 0; i < n; i++) if (values[i].kind() == Codegen.REG) index[k++] = i;
        for (int i = 0; i < n; i++) if (values[i].kind() != Codegen.REG) index[k++] = i;
        int[] dst = new int[n];
        int[] src = new int[n];
        for (int m = 0; m < n; m++) {
            int i = index[m];
            boolean xmm = targets[i] instanceof Xmm;
            dst[m] = xmm ? XMM + ((Xmm) targets[i]).encoding() : ((Gpr) targets[i]).encoding();
            src[m] = values[i].kind() != Codegen.REG ? ParallelMoves.NOT_A_LOCATION
                    : (xmm ? XMM : 0) + (int) values[i].value();
        }
        ParallelMoves.emit(dst, src, new ParallelMoves.Mover() {
            @Override
            public void move(int to, int from) {
                if (to >= XMM) g.a.sse(SseOp.MOVAPS, Xmm.of(to - XMM), Xmm.of(from - XMM));
                else g.a.mov(QWORD, Gpr.of(to), Gpr.of(from));
            }

            @Override
            public void materialise(int m, int to) {
                Val v = values[index[m]];
                if (to >= XMM) g.emitLoadXmm(Xmm.of(to - XMM), v);
                else g.emitLoad(Gpr.of(to), v);
            }

            @Override
            public int scratch(int m) {
                return dst[m] >= XMM ? XMM + Xmm.XMM15.encoding() : Gpr.R11.encoding();
            }
        });
    }
}
