package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.OperandSize;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Wasm integer division and remainder on {@code rdx:rax}: the dividend is in rax, the divisor in a register other
 * than rax and rdx; the quotient ends in rax, the remainder in rdx. Traps on a zero divisor; {@code div_s}
 * traps on {@code MIN / -1} (the quotient overflows); {@code rem_s} by -1 is 0 without dividing (idiv would fault
 * for {@code MIN % -1}). Shown for 32 bits (64: {@code cqo}, 64-bit registers):
 * <pre>
 *   test  divisor, divisor
 *   je    trap(integer divide by zero)
 * ; unsigned
 *   xor   edx, edx
 *   div   divisor
 * ; signed
 *   cmp   divisor, -1
 *   jne   normal
 *   cmp   eax, 1            ; div_s: overflows (OF=1) only for eax = MIN
 *   jo    trap(integer overflow)
 * ;  or   xor edx, edx ; jmp done      (rem_s: x % -1 = 0)
 * normal:
 *   cdq
 *   idiv  divisor
 * done:
 * </pre>
 */
public final class IntegerDivision {
    private IntegerDivision() {}

    /**
     * Emits the division of {@code rax} by {@code divisor} ({@code wide}: 64 bits).
     *
     * @param remainder rem (result in rdx) rather than div (result in rax)
     */
    public static void emit(Assembler a, TrapTargets traps, boolean wide, boolean signed, boolean remainder,
                            Gpr divisor) {
        if (divisor == Gpr.RAX || divisor == Gpr.RDX) throw new IllegalArgumentException("divisor in " + divisor);
        OperandSize s = wide ? QWORD : DWORD;
        a.test(s, divisor, divisor);
        a.jcc(Cond.E, traps.trap(TrapCode.INTEGER_DIVIDE_BY_ZERO));
        if (!signed) {
            a.alu(AluOp.XOR, DWORD, Gpr.RDX, Gpr.RDX);
            a.div(s, divisor);
            traps.instructionEmitted();
            return;
        }
        Label normal = a.newLabel();
        Label done = null;
        a.cmp(s, divisor, -1);
        a.jcc(Cond.NE, normal);
        if (remainder) {
            a.alu(AluOp.XOR, DWORD, Gpr.RDX, Gpr.RDX);
            done = a.newLabel();
            a.jmp(done);
        } else {
            a.cmp(s, Gpr.RAX, 1);
            a.jcc(Cond.O, traps.trap(TrapCode.INTEGER_OVERFLOW));
        }
        a.bind(normal);
        if (wide) a.cqo();
        else a.cdq();
        a.idiv(s, divisor);
        traps.instructionEmitted();
        if (done != null) a.bind(done);
    }
}
