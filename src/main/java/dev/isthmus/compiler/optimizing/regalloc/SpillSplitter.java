package dev.isthmus.compiler.optimizing.regalloc;

import dev.isthmus.compiler.optimizing.isel.MDetail;
import dev.isthmus.compiler.optimizing.isel.MInstr;
import dev.isthmus.compiler.optimizing.isel.MOp;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Splits the live ranges of spilled registers around their uses: a spilled register keeps its stack slot for its
 * whole life, and each run of uses gets a short-lived register reloaded from the slot.
 *
 * <pre>
 *   v = ...              v = ...                   (v: stack slot, whole life)
 *   ...                  ...
 *   x = add v, 1         t1 = mov v                (t1: a register, from the reload ...
 *   y = mul v, x         x  = add t1, 1
 *   call f          =&gt;   y  = mul t1, x            ... to its last use before a call)
 *   z = sub v, y         call f
 *                        t2 = mov v                (a caller-saved register between calls,
 *                        z  = sub t2, y             the slot across them)
 * </pre>
 *
 * A run ends at a call, at a redefinition of the register and at the end of its block; moves (MOV, PMOV) read the
 * slot directly (a reload would only add a move). A spilled result of a SIMD instruction is computed into a new
 * register and stored to the slot by a move after it (the SIMD sequences need registers for all operands). Temporaries are new virtual registers of the same class, so the
 * next allocation round treats them like any other interval.
 */
final class SpillSplitter {
    private SpillSplitter() {}

    /**
     * Rewrites {@code m} so that the uses of the registers in {@code spilled} read reload temporaries.
     *
     * @return whether any instruction changed
     */
    static boolean split(MachineFunction m, BitSet spilled) {
        boolean changed = false;
        for (int b = 0; b < m.blocks.size(); b++) {
            List<MInstr> code = m.blocks.get(b);
            if (code.isEmpty()) continue;
            List<MInstr> out = new ArrayList<>(code.size() + 4);
            // the current reload temporary of each spilled register in this block (absent: none valid)
            java.util.Map<Integer, Integer> reload = new java.util.HashMap<>();
            boolean blockChanged = false;
            for (MInstr i : code) {
                if (i.op == MOp.CALL) reload.clear();
                boolean reads = i.op != MOp.MOV && i.op != MOp.PMOV && readsAny(i, spilled);
                if (reads) {
                    int[] uses = i.uses.clone();
                    for (int k = 0; k < uses.length; k++) {
                        int u = uses[k];
                        if (u < MachineFunction.FIRST_VIRTUAL || !spilled.get(u)) continue;
                        Integer t = reload.get(u);
                        if (t == null) {
                            t = m.newRegisterLike(u);
                            out.add(new MInstr(MOp.MOV, true, new int[] {t}, new int[] {u}, 0,
                                    m.isV128(u) ? MDetail.Move.V128 : MDetail.Move.COPY, i.wasmOffset));
                            reload.put(u, t);
                        }
                        uses[k] = t;
                    }
                    i = i.withUses(uses);
                    blockChanged = true;
                }
                if (i.op == MOp.SIMD && i.defs.length > 0 && ((MDetail.Simd) i.detail).hasResult()
                        && i.defs[0] >= MachineFunction.FIRST_VIRTUAL && spilled.get(i.defs[0])) {
                    // a SIMD result computed into a short-lived register of its own, then stored to the slot
                    int d = i.defs[0];
                    int t = m.newRegisterLike(d);
                    int[] defs = i.defs.clone();
                    defs[0] = t;
                    out.add(new MInstr(i.op, i.wide, defs, i.uses, i.imm, i.detail, i.wasmOffset));
                    out.add(new MInstr(MOp.MOV, true, new int[] {d}, new int[] {t}, 0,
                            m.isV128(d) ? MDetail.Move.V128 : MDetail.Move.COPY, i.wasmOffset));
                    reload.remove(d);
                    blockChanged = true;
                    continue;
                }
                out.add(i);
                for (int d : i.defs) reload.remove(d);
                if (i.op == MOp.CALL) reload.clear();
            }
            if (blockChanged) {
                code.clear();
                code.addAll(out);
                changed = true;
            }
        }
        return changed;
    }

    private static boolean readsAny(MInstr i, BitSet spilled) {
        for (int u : i.uses) if (u >= MachineFunction.FIRST_VIRTUAL && spilled.get(u)) return true;
        return false;
    }
}
