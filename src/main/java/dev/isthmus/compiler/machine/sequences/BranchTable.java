package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Wasm {@code br_table}: jump to {@code targets[index]}, or to {@code otherwise} for any index (an i32 read as
 * unsigned, so negative indexes go there too) of {@code targets.length} or more. Above {@link #CHAIN_MAX} entries,
 * a bounds check and an indirect jump through a position-independent table of 32-bit offsets, placed after the
 * code by the assembler ({@link Assembler#jumpTable}, aligned to 4):
 * <pre>
 *   cmp    index32, n                  ; left out when the index is known to be below n
 *   jae    otherwise
 *   lea    base, [rip + table]
 *   movsxd offset, dword [base + index*4]
 *   add    offset, base
 *   jmp    offset
 *   ...
 * table:                               ; after the function's code and constants
 *   dd     target0 - table, target1 - table, ...
 * </pre>
 * The index register must hold the i32 zero-extended to 64 bits (both tiers keep i32 values that way, or extend
 * first); {@code offset} may be the index register, {@code base} must be another.
 *
 * <p>Up to {@link #CHAIN_MAX} entries it is a chain of compares instead (the 32-bit compare reads only the i32):
 * <pre>
 *   cmp    index32, 0
 *   je     target0
 *   ...                                ; one pair per entry
 *   jmp    otherwise                   ; left out when otherwise follows
 * </pre>
 * Why 3: each compare-and-branch pair macro-fuses into one µop predicted by its own branch history, so three pairs
 * cost at most three cheap (well-predicted) branches; the table form always costs a load, two ALU operations and
 * an indirect jump, whose target prediction is worse than conditional branches' when the index varies, and the
 * chain's cost grows linearly from there (an 8,000-entry chain is 8,000 compares).
 */
public final class BranchTable {
    /** The largest number of entries (default excluded) still dispatched by a compare chain. */
    public static final int CHAIN_MAX = 3;

    private BranchTable() {}

    /** Whether a table of {@code entries} (default excluded) is dispatched through a jump table. */
    public static boolean usesTable(int entries) {
        return entries > CHAIN_MAX;
    }

    /**
     * Emits the dispatch on {@code index}.
     *
     * @param targets     the label per index
     * @param otherwise   the default's label
     * @param next        the label of the code that follows (no jump needed there), or null
     * @param inRange     the index is known to be below {@code targets.length}: no bounds check
     * @param base        scratch for the table's address (not the index register)
     * @param offset      scratch for the entry (may be the index register)
     */
    public static void emit(Assembler a, Gpr index, Label[] targets, Label otherwise, Label next, boolean inRange,
                            Gpr base, Gpr offset) {
        int n = targets.length;
        if (!usesTable(n)) {
            for (int k = 0; k < n; k++) {
                if (inRange && k == n - 1 && targets[k] == next) return;
                if (inRange && k == n - 1) {
                    a.jmp(targets[k]);
                    return;
                }
                a.cmp(DWORD, index, k);
                a.jcc(Cond.E, targets[k]);
            }
            if (otherwise != next) a.jmp(otherwise);
            return;
        }
        if (base == index || base == offset) throw new IllegalArgumentException("base register " + base + " in use");
        if (!inRange) {
            a.cmp(DWORD, index, n);
            a.jcc(Cond.AE, otherwise);
        }
        a.lea(QWORD, base, Mem.rip(a.jumpTable(targets)));
        a.movsxd(offset, Mem.of(base, index, 4, 0));
        a.add(QWORD, offset, base);
        a.jmp(offset);
    }
}
