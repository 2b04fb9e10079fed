package dev.isthmus.compiler.machine;

import dev.isthmus.runtime.abi.LazyTable;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * The tier-up budget of baseline code compiled for {@code Compilation.TIERED}: at the function's entry and at every
 * loop header it takes one unit of the function's budget (its {@link LazyTable} row); when the budget goes below
 * zero, an out-of-line slow path calls the tier-up stub, which queues the function for the optimizing tier and
 * returns with every register as it was:
 *
 * <pre>
 *   mov r11, [r15 + lazyTable]
 *   sub dword [r11 + 16 f + 8], 1
 *   js  slow                           slow: mov r11d, f
 *  resume:                                   call [r15 + tierUpStub]
 *                                            jmp resume
 * </pre>
 * Only r11 (scratch in both tiers) and the flags are written.
 */
public final class TierUpBudget {
    private TierUpBudget() {
    }

    /** Takes one unit of function {@code function}'s budget; branches to {@code slow} when it is used up. */
    public static void emitCount(Assembler a, VmContextLayout vm, int function, Label slow) {
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R15, Math.toIntExact(vm.lazyTable())));
        a.sub(DWORD, Mem.of(Gpr.R11, Math.toIntExact(LazyTable.budget(function))), 1);
        a.jcc(Cond.S, slow);
    }

    /** The slow path of a count, out of line: the stub returns, and the code goes on at {@code resume}. */
    public static void emitSlowPath(Assembler a, VmContextLayout vm, int function, Label slow, Label resume) {
        a.bind(slow);
        a.mov(DWORD, Gpr.R11, function);
        a.call(Mem.of(Gpr.R15, Math.toIntExact(vm.tierUpStub())));
        a.jmp(resume);
    }
}
