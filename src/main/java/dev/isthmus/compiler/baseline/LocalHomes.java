package dev.isthmus.compiler.baseline;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.Immediate;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.ValueLocations;
import dev.isthmus.model.ValType;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Xmm;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Register allocation of locals, from a quick scan of the body: locals are ranked by uses weighted by loop depth
 * (8× per loop level) and the best get registers for the whole function.
 *
 * <ul>
 * <li>Every function: integer-class locals may get the callee-saved rbx, r12, r13 and r14 (r14 holds the memory base
 *     when the function touches memory), saved by the prologue only when used.</li>
 * <li>Leaf functions (no calls, no runtime builtins, no inline memory.copy/fill: those use rdi, rsi, rcx), whose
 *     caller-saved registers survive: integer parameters
 *     first keep the register they arrive in (rsi, rdi, r8, r9), other locals take those that are left before any
 *     callee-saved one; float locals get xmm8..xmm14. rax, rcx, rdx and r10 always stay for temporaries
 *     (division, shifts, block results).</li>
 * </ul>
 * The rest live in frame slots (v128 locals too, or xmm8..xmm14 in leaf functions). The scan also tells whether the
 * function handles v128 values at all ({@link #wide}): its frame then has 16-byte slots.
 */
final class LocalHomes {
    private static final Gpr[] CALLEE_SAVED_HOMES = {Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R14};
    private static final Gpr[] LEAF_HOMES = {Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9};
    private static final Set<Opcode> NOT_LEAF = EnumSet.of(Opcode.CALL, Opcode.CALL_INDIRECT, Opcode.RETURN_CALL,
            Opcode.RETURN_CALL_INDIRECT, Opcode.CALL_REF, Opcode.RETURN_CALL_REF, Opcode.MEMORY_GROW, Opcode.MEMORY_FILL, Opcode.MEMORY_COPY,
            Opcode.MEMORY_INIT, Opcode.DATA_DROP, Opcode.TABLE_GROW, Opcode.TABLE_FILL, Opcode.TABLE_COPY,
            Opcode.TABLE_INIT, Opcode.ELEM_DROP, Opcode.THROW, Opcode.THROW_REF, Opcode.RETHROW);

    final Gpr[] registers;
    final Xmm[] xmmRegisters;
    final int[] slots;
    final int slotCount;
    final boolean usesMemory;
    final List<Gpr> saved = new ArrayList<>();
    /**
     * Whether a v128 value can be on this function's operand stack or in its locals: a SIMD instruction, a v128
     * local or parameter, a global.get of a v128 global or a call with a v128 result (every other v128 on the
     * stack comes from one of these). Its local and operand slots are then 16 bytes.
     */
    final boolean wide;
    /** Whether the body has a legacy {@code rethrow} (its catches then keep the caught exnref). */
    final boolean rethrows;

    /**
     * @param localTypes        parameters then declared locals
     * @param paramCount        how many of them are parameters
     * @param importedFunctions calls below this function index go through func refs (like call_indirect), which
     *                          switch r15: such functions push r15 in the prologue to reload it after each call
     * @param irregularExit     defined functions whose direct calls may return with another r15 (reloaded too)
     */
    LocalHomes(dev.isthmus.model.WasmModule module, ValType[] localTypes, int paramCount, byte[] code,
               int importedFunctions, java.util.function.IntPredicate irregularExit) {
        int n = localTypes.length;
        long[] weight = new long[n];
        boolean memory = false;
        boolean foreignCalls = false;
        boolean leaf = true;
        boolean v128 = false;
        for (ValType t : localTypes) v128 |= t == ValType.V128;
        InstructionReader r = new InstructionReader(new ByteReader(code));
        int loopDepth = 0;
        boolean rethrowSeen = false;
        ArrayList<Boolean> blocks = new ArrayList<>();
        while (!r.atEnd()) {
            Opcode op = r.next();
            if (op.isSimd()) v128 = true;
            if (NOT_LEAF.contains(op)) leaf = false;
            if (op == Opcode.RETHROW) rethrowSeen = true;
            switch (op) {
                case BLOCK, IF, TRY_TABLE, TRY -> blocks.add(false);
                case DELEGATE -> {
                    if (!blocks.isEmpty() && blocks.removeLast()) loopDepth--;
                }
                case LOOP -> {
                    blocks.add(true);
                    loopDepth++;
                }
                case END -> {
                    if (!blocks.isEmpty() && blocks.removeLast()) loopDepth--;
                }
                case LOCAL_GET, LOCAL_SET, LOCAL_TEE -> weight[r.index()] += 1L << Math.min(3 * loopDepth, 30);
                case CALL_INDIRECT, RETURN_CALL_INDIRECT, CALL_REF, RETURN_CALL_REF -> {
                    foreignCalls = true;
                    v128 |= module.types().get(r.index()).results().contains(ValType.V128);
                }
                case CALL -> {
                    foreignCalls |= r.index() < importedFunctions || irregularExit.test(r.index());
                    v128 |= module.functionType(r.index()).results().contains(ValType.V128);
                }
                case RETURN_CALL -> foreignCalls |= r.index() < importedFunctions;
                case GLOBAL_GET -> v128 |= module.globalType(r.index()).type() == ValType.V128;
                default -> {
                    // r14 holds memory 0's base; the other memories are reached through the vmctx
                    if ((op.immediate() == Immediate.MEMARG || op.immediate() == Immediate.MEMARG_LANE)
                            && r.memory() == 0 || op == Opcode.MEMORY_SIZE) {
                        memory = true;
                    }
                }
            }
            if (op == Opcode.MEMORY_GROW || op == Opcode.MEMORY_FILL || op == Opcode.MEMORY_COPY
                    || op == Opcode.MEMORY_INIT) {
                memory = true;
            }
        }
        wide = v128;
        rethrows = rethrowSeen;
        usesMemory = memory;
        registers = new Gpr[n];
        xmmRegisters = new Xmm[n];
        boolean[] taken = new boolean[n];
        List<Gpr> available = new ArrayList<>();
        if (leaf) {
            ValueLocations params = ValueLocations.ofParams(List.of(localTypes).subList(0, paramCount));
            for (Gpr g : LEAF_HOMES) available.add(g);
            // parameters that arrive in a leaf home register and are used stay there
            for (int i = 0; i < paramCount; i++) {
                Gpr arrives = params.gpr(i);
                if (arrives != null && available.contains(arrives) && weight[i] > 0) {
                    registers[i] = arrives;
                    taken[i] = true;
                }
            }
            for (Gpr g : registers) available.remove(g);
        }
        for (Gpr g : CALLEE_SAVED_HOMES) if (g != Gpr.R14 || !memory) available.add(g);
        for (Gpr home : available) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (taken[i] || weight[i] == 0 || ValueLocations.isFloat(localTypes[i])) continue;
                if (best < 0 || weight[i] > weight[best]) best = i;
            }
            if (best < 0) break;
            taken[best] = true;
            registers[best] = home;
        }
        if (leaf) {
            for (int x = 8; x <= 14; x++) {
                int best = -1;
                for (int i = 0; i < n; i++) {
                    if (taken[i] || weight[i] == 0 || !ValueLocations.isFloat(localTypes[i])) continue;
                    if (best < 0 || weight[i] > weight[best]) best = i;
                }
                if (best < 0) break;
                taken[best] = true;
                xmmRegisters[best] = Xmm.of(x);
            }
        }
        for (Gpr h : CALLEE_SAVED_HOMES) {
            for (Gpr used : registers) {
                if (used == h) {
                    saved.add(h);
                    break;
                }
            }
        }
        if (memory) saved.add(Gpr.R14);
        if (foreignCalls) saved.add(Gpr.R15);
        slots = new int[n];
        int next = 0;
        for (int i = 0; i < n; i++) slots[i] = registers[i] == null && xmmRegisters[i] == null ? next++ : -1;
        slotCount = next;
    }

    /** Mask of the integer registers that hold locals (not available for temporaries). */
    int gprHomeMask() {
        int mask = 0;
        for (Gpr g : registers) if (g != null) mask |= 1 << g.encoding();
        return mask;
    }

    /** Mask of the xmm registers that hold locals. */
    int xmmHomeMask() {
        int mask = 0;
        for (Xmm x : xmmRegisters) if (x != null) mask |= 1 << x.encoding();
        return mask;
    }
}
