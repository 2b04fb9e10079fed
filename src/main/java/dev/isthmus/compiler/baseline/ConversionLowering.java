package dev.isthmus.compiler.baseline;

import dev.isthmus.compiler.machine.sequences.FloatToInt;
import dev.isthmus.compiler.machine.sequences.IntToFloat;
import dev.isthmus.model.ValType;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.SseOp;
import dev.isthmus.x64.Xmm;

/**
 * Conversions between integers and floats: trapping truncations (NaN → "invalid conversion to integer", out of range
 * → "integer overflow"), saturating truncations, unsigned conversions both ways (u64 → float rounded correctly by
 * halving with the lost bit kept sticky), demote/promote and reinterpretations.
 */
final class ConversionLowering {
    private final Codegen g;
    private final Assembler a;

    ConversionLowering(Codegen g) {
        this.g = g;
        this.a = g.a;
    }

    /**
     * Float → integer truncation ({@link FloatToInt}).
     *
     * @param to       I32 or I64
     * @param signed   signed or unsigned target
     * @param saturate saturating (no traps) or trapping
     */
    void truncate(ValType from, ValType to, boolean signed, boolean saturate) {
        Val v = g.pop();
        Xmm x = g.readXmm(v);
        Gpr d = g.allocGpr();
        FloatToInt.emit(a, g::trap, from == ValType.F64, to == ValType.I64, signed, saturate, d, x, Gpr.R11,
                Xmm.XMM15);
        g.release(x);
        g.pushReg(to, d);
    }

    /** Integer → float ({@link IntToFloat}); i32 registers are zero-extended. */
    void convert(ValType from, ValType to, boolean signed) {
        Val v = g.pop();
        Gpr src = g.readGpr(v);
        Xmm d = g.allocXmm();
        boolean u64 = from == ValType.I64 && !signed;
        Gpr low = u64 ? g.allocGpr() : null;
        IntToFloat.emit(a, from == ValType.I64, signed, to == ValType.F64, d, src, true, Gpr.R11, low);
        if (low != null) g.release(low);
        g.doneReading(v, src);
        g.pushReg(to, d);
    }

    void demote() {
        Val v = g.pop();
        Xmm d = g.ownXmm(v);
        a.sse(SseOp.CVTSD2SS, d, d);
        g.pushReg(ValType.F32, d);
    }

    void promote() {
        Val v = g.pop();
        Xmm d = g.ownXmm(v);
        a.sse(SseOp.CVTSS2SD, d, d);
        g.pushReg(ValType.F64, d);
    }

    /** Same bits, other register file. */
    void reinterpret(ValType to) {
        Val v = g.pop();
        if (v.isConst()) {
            g.pushConst(to, v.value());
            return;
        }
        if (Codegen.isFloat(to)) {
            Gpr src = g.readGpr(v);
            Xmm d = g.allocXmm();
            a.movGprToXmm(Codegen.sizeOf(to), d, src);
            g.doneReading(v, src);
            g.pushReg(to, d);
        } else {
            Xmm src = g.readXmm(v);
            Gpr d = g.allocGpr();
            a.movXmmToGpr(Codegen.sizeOf(to), d, src);
            g.release(src);
            g.pushReg(to, d);
        }
    }
}
