package dev.isthmus.compiler.x64;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.UnsupportedFeatureException;
import dev.isthmus.model.ValType;
import dev.isthmus.x64.Gpr;

import java.util.ArrayList;
import java.util.List;

/**
 * A quick scan of a function body that decides where locals live: integer-class locals with the most (loop-weighted)
 * uses get the callee-saved registers rbx, r12, r13 (and r14 when memory is not used; otherwise r14 holds the memory
 * base); the rest get frame slots. Also rejects SIMD.
 */
final class LocalHomes {
    private static final Gpr[] HOMES = {Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R14};

    final Gpr[] registers;
    final int[] slots;
    final int slotCount;
    final boolean usesMemory;
    final List<Gpr> saved = new ArrayList<>();

    /**
     * @param importedFunctions calls below this function index go through func refs (like call_indirect), which
     *                          switch r15: such functions push r15 in the prologue to reload it after each call
     */
    LocalHomes(ValType[] localTypes, byte[] code, int importedFunctions) {
        int n = localTypes.length;
        long[] weight = new long[n];
        boolean memory = false;
        boolean foreignCalls = false;
        InstructionReader r = new InstructionReader(new ByteReader(code));
        int loopDepth = 0;
        ArrayList<Boolean> blocks = new ArrayList<>();
        while (!r.atEnd()) {
            Opcode op = r.next();
            if (op.isSimd()) throw new UnsupportedFeatureException("SIMD instruction " + op.text());
            switch (op) {
                case BLOCK, IF -> blocks.add(false);
                case LOOP -> {
                    blocks.add(true);
                    loopDepth++;
                }
                case END -> {
                    if (!blocks.isEmpty() && blocks.removeLast()) loopDepth--;
                }
                case LOCAL_GET, LOCAL_SET, LOCAL_TEE -> weight[r.index()] += 1L << Math.min(3 * loopDepth, 30);
                case CALL_INDIRECT, RETURN_CALL_INDIRECT -> foreignCalls = true;
                case CALL, RETURN_CALL -> foreignCalls |= r.index() < importedFunctions;
                default -> {
                    if (op.immediate() == dev.isthmus.binary.Immediate.MEMARG || op == Opcode.MEMORY_SIZE
                            || op == Opcode.MEMORY_GROW || op == Opcode.MEMORY_FILL || op == Opcode.MEMORY_COPY
                            || op == Opcode.MEMORY_INIT) {
                        memory = true;
                    }
                }
            }
        }
        usesMemory = memory;
        registers = new Gpr[n];
        slots = new int[n];
        int available = memory ? 3 : 4;
        boolean[] taken = new boolean[n];
        for (int k = 0; k < available; k++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (taken[i] || weight[i] == 0 || Codegen.isFloat(localTypes[i]) || localTypes[i] == ValType.V128) continue;
                if (best < 0 || weight[i] > weight[best]) best = i;
            }
            if (best < 0) break;
            taken[best] = true;
            registers[best] = HOMES[k];
        }
        for (Gpr h : HOMES) {
            for (Gpr used : registers) {
                if (used == h) {
                    saved.add(h);
                    break;
                }
            }
        }
        if (memory) saved.add(Gpr.R14);
        if (foreignCalls) saved.add(Gpr.R15);
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (localTypes[i] == ValType.V128) throw new UnsupportedFeatureException("v128 local");
            slots[i] = registers[i] == null ? next++ : -1;
        }
        slotCount = next;
    }
}
