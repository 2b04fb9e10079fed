package dev.isthmus.compiler.baseline;

import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.simd.SimdOperands;
import dev.isthmus.compiler.machine.simd.SimdShape;
import dev.isthmus.model.ValType;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.Xmm;

import java.util.ArrayList;
import java.util.List;

/**
 * The SIMD instructions: operands off the value stack into registers (v128, f32, f64 in xmm registers, i32 and i64
 * in general-purpose ones; a local's register home is read in place), the temporaries {@link SimdShape} asks for,
 * the destination (the first operand's register when this instruction owns it, else a new one), and for memory
 * instructions the address as the scalar loads compute it ({@link MemoryLowering#address}, with the access width of
 * the instruction); then {@link dev.isthmus.compiler.machine.simd.SimdLowering#emit}, told which i32/i64 operands
 * are constants ({@link SimdOperands#constants()}: immediate shift counts). v128 values are never constants on the
 * value stack: {@code v128.const} is materialized into a register at once (so no v128 operand is known).
 */
final class VectorLowering {
    private final Codegen g;
    private final MemoryLowering memory;

    VectorLowering(Codegen g, MemoryLowering memory) {
        this.g = g;
        this.memory = memory;
    }

    void emit(Opcode op, InstructionReader r) {
        SimdShape shape = SimdShape.of(op, g.cpu.avx());
        List<ValType> params = shape.params();
        int first = shape.memory() ? 1 : 0;
        int n = params.size() - first;
        Val[] values = new Val[n];
        for (int i = n - 1; i >= 0; i--) values[i] = g.pop();
        List<Register> sources = new ArrayList<>(n);
        boolean[] owned = new boolean[n];
        Object[] constants = new Object[n];
        for (int i = 0; i < n; i++) {
            Val v = values[i];
            if (v.kind() == Codegen.CONST && !Codegen.isFloat(params.get(first + i))) constants[i] = v.value();
            if (Codegen.isFloat(params.get(first + i))) {
                Xmm home = v.kind() == Codegen.LOCAL ? g.localXmm[(int) v.value()] : null;
                if (home != null) {
                    sources.add(home);
                } else {
                    sources.add(g.readXmm(v));
                    owned[i] = true;
                }
            } else {
                Gpr reg = g.readGpr(v);
                sources.add(reg);
                owned[i] = !(v.kind() == Codegen.LOCAL && g.localReg[(int) v.value()] == reg);
            }
        }
        ValType result = shape.result();
        Register dst = null;
        int dstSource = -1;
        if (result != null) {
            boolean xmm = Codegen.isFloat(result);
            for (int i = 0; i < n && dstSource < 0; i++) {
                if (owned[i] && (sources.get(i) instanceof Xmm) == xmm) dstSource = i;
            }
            if (dstSource >= 0) dst = sources.get(dstSource);
            else dst = xmm ? g.allocXmm() : g.allocGpr();
        }
        List<Xmm> xmmTemps = new ArrayList<>();
        for (int i = 0; i < shape.xmmTemps(); i++) xmmTemps.add(g.allocXmm());
        List<Gpr> gprTemps = new ArrayList<>();
        for (int i = 0; i < shape.gprTemps(); i++) gprTemps.add(g.allocGpr());
        Mem address = shape.memory() ? memory.address(r.memory(), r.memOffset(), shape.accessBytes()) : null;
        byte[] bytes = op == Opcode.V128_CONST || op == Opcode.I8X16_SHUFFLE ? r.v128() : null;
        g.simd().emit(op, new SimdOperands(dst, sources, xmmTemps, gprTemps, r.lane(), bytes, address, constants));
        for (Xmm x : xmmTemps) g.release(x);
        for (Gpr x : gprTemps) g.release(x);
        for (int i = 0; i < n; i++) {
            if (!owned[i] || i == dstSource) continue;
            if (sources.get(i) instanceof Xmm x) g.release(x);
            else g.release((Gpr) sources.get(i));
        }
        if (dst instanceof Xmm x) g.pushReg(result, x);
        else if (dst instanceof Gpr x) g.pushReg(result, x);
    }
}
