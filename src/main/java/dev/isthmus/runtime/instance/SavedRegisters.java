package dev.isthmus.runtime.instance;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

/**
 * The register save area of a runtime stub that calls Java from the middle of wasm code (the fuel stub, the tier-up
 * stub, the lazy-compilation handler) and must give the code its registers back:
 *
 * <pre>
 *   [rsp + 8k]             general-purpose register k of the list
 *   [rsp + xmmArea + 16k]  xmm k (all 128 bits: a v128 may live there), k &lt; xmms
 * </pre>
 */
public final class SavedRegisters {
    private SavedRegisters() {
    }

    /** Stores {@code gprs} and xmm0 .. xmm(xmms - 1) into the area at rsp. */
    public static void save(Assembler a, Gpr[] gprs, int xmmArea, int xmms) {
        for (int i = 0; i < gprs.length; i++) a.mov(OperandSize.QWORD, Mem.of(Gpr.RSP, 8 * i), gprs[i]);
        for (int i = 0; i < xmms; i++) a.simd(SimdOp.MOVDQU_ST, Mem.of(Gpr.RSP, xmmArea + 16 * i), Xmm.of(i));
    }

    /** Loads them back (the xmm registers first). */
    public static void restore(Assembler a, Gpr[] gprs, int xmmArea, int xmms) {
        for (int i = 0; i < xmms; i++) a.simd(SimdOp.MOVDQU, Xmm.of(i), Mem.of(Gpr.RSP, xmmArea + 16 * i));
        for (int i = 0; i < gprs.length; i++) a.mov(OperandSize.QWORD, gprs[i], Mem.of(Gpr.RSP, 8 * i));
    }
}
