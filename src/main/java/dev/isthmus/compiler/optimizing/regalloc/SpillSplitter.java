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
 * slot directly (a reload would only add a move), a MOV the run's register when there is one. A spilled result (of anything but a move) is computed into a new
 * register, stored to the slot by a move after it, and that register serves the uses that follow in the same run
 * like a reload: a value spilled where it is defined and used right after is not stored and loaded again ({@code
 * mov r11, [x]; mov [slot], r11; mov rax, [slot]} was what a spilled load used at once cost). Temporaries are new
 * virtual registers of the same class, so the next allocation round treats them like any other interval.
 */
final class SpillSplitter {
    private SpillSplitter() {}

    /**
     * How many instructions after a spilled result its own register serves the uses: a register kept longer, under
     * the pressure that spilled the result, is spilled itself in the next round (a second slot and a copy).
     */
    static final int RESULT_REUSE = 4;

    /**
     * The system property that, set to {@code false} while a module is compiled, stores a spilled result from the
     * scratch register and reloads it for every use again (a measurement switch, {@code bench/.../PropertyCost}).
     */
    public static final String RESULT_REGISTERS_PROPERTY = "isthmus.regalloc.resultRegisters";

    /**
     * Rewrites {@code m} so that the uses of the registers in {@code spilled} read reload temporaries.
     *
     * @return whether any instruction changed
     */
    static boolean split(MachineFunction m, BitSet spilled) {
        boolean resultRegisters = !"false".equals(System.getProperty(RESULT_REGISTERS_PROPERTY));
        boolean changed = false;
        for (int b = 0; b < m.blocks.size(); b++) {
            List<MInstr> code = m.blocks.get(b);
            if (code.isEmpty()) continue;
            List<MInstr> out = new ArrayList<>(code.size() + 4);
            // the current reload temporary of each spilled register in this block (absent: none valid)
            java.util.Map<Integer, Integer> reload = new java.util.HashMap<>();
            // the position up to which a result's own register serves its uses (past it: reload from the slot)
            java.util.Map<Integer, Integer> until = new java.util.HashMap<>();
            boolean blockChanged = false;
            for (int at = 0; at < code.size(); at++) {
                MInstr i = code.get(at);
                if (i.op == MOp.CALL) {
                    reload.clear();
                    until.clear();
                }
                for (int u : i.uses) {
                    Integer end = until.get(u);
                    if (end != null && at > end) {
                        reload.remove(u);
                        until.remove(u);
                    }
                }
                if (resultRegisters && i.op == MOp.MOV && i.uses.length == 1 && reload.containsKey(i.uses[0])) {
                    i = i.withUses(new int[] {reload.get(i.uses[0])});   // a register in hand beats the slot
                    blockChanged = true;
                }
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
                boolean simd = i.op == MOp.SIMD && ((MDetail.Simd) i.detail).hasResult();
                if (i.op != MOp.MOV && i.op != MOp.PMOV && (resultRegisters || simd) && writesAny(i, spilled)) {
                    // a spilled result is computed into a short-lived register of its own, stored to the slot by a
                    // move after it, and read from that register by the uses that follow (as a reload would be)
                    int[] defs = i.defs.clone();
                    for (int k = 0; k < defs.length; k++) {
                        int d = defs[k];
                        if (d >= MachineFunction.FIRST_VIRTUAL && spilled.get(d)) defs[k] = m.newRegisterLike(d);
                    }
                    out.add(new MInstr(i.op, i.wide, defs, i.uses, i.imm, i.detail, i.wasmOffset));
                    for (int k = 0; k < defs.length; k++) {
                        int d = i.defs[k];
                        if (defs[k] == d) {
                            reload.remove(d);
                            continue;
                        }
                        out.add(new MInstr(MOp.MOV, true, new int[] {d}, new int[] {defs[k]}, 0,
                                m.isV128(d) ? MDetail.Move.V128 : MDetail.Move.COPY, i.wasmOffset));
                        if (!resultRegisters) continue;      // (the SIMD sequences need a register, nothing more)
                        reload.put(d, defs[k]);
                        until.put(d, at + RESULT_REUSE);
                    }
                    blockChanged = true;
                    continue;
                }
                out.add(i);
                for (int d : i.defs) {
                    reload.remove(d);
                    until.remove(d);
                }
                if (i.op == MOp.CALL) {
                    reload.clear();
                    until.clear();
                }
            }
            if (blockChanged) {
                code.clear();
                code.addAll(out);
                changed = true;
            }
        }
        return changed;
    }

    private static boolean writesAny(MInstr i, BitSet spilled) {
        for (int d : i.defs) if (d >= MachineFunction.FIRST_VIRTUAL && spilled.get(d)) return true;
        return false;
    }

    private static boolean readsAny(MInstr i, BitSet spilled) {
        for (int u : i.uses) if (u >= MachineFunction.FIRST_VIRTUAL && spilled.get(u)) return true;
        return false;
    }
}
