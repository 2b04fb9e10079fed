package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * The bounds check of an access to a memory64 memory, for both tiers. A 64-bit index cannot be caught by a guard
 * region (any index up to 2^64-1 is possible), so every access compares its end, {@code index + offset + size}, with
 * the memory's current byte size in the vmctx (it changes when the memory grows), and the sum may wrap: a carry out
 * of the addition traps as well. The constant part {@code offset + size} is folded into one immediate:
 * <pre>
 *   mov  r11, index                      ; offset + size &lt; 2^31: an imm32
 *   add  r11, offset + size              ; (else: movabs r11, offset + size; add r11, index)
 *   jc   trap(out of bounds memory access)  ; index + offset + size wrapped past 2^64
 *   cmp  r11, qword [r15 + memorySize]
 *   ja   trap(out of bounds memory access)
 *   ... [base + r11 - size]               ; the access itself reuses the sum: any 64-bit offset fits
 * </pre>
 * An {@code offset + size} that wraps by itself is out of bounds for every index: the access is a jump to the trap.
 * A constant index folds completely: one {@code cmp} of the constant end with the size.
 */
public final class Memory64Bounds {
    private Memory64Bounds() {}

    /**
     * Checks an access of {@code bytes} at {@code index + offset} against {@code [size]}, leaving
     * {@code index + offset + bytes} in {@code scratch}; the access's operand is then {@code [base + scratch - bytes]}.
     * Returns false when the access is out of bounds for every index (a {@code jmp trap} was emitted, and whatever
     * follows is unreachable).
     */
    public static boolean check(Assembler a, Label trap, Gpr index, long offset, int bytes, Mem size, Gpr scratch) {
        long end = offset + bytes;
        if (Long.compareUnsigned(end, offset) < 0) {           // offset + size wraps: never in bounds
            a.jmp(trap);
            return false;
        }
        if (end >= 0 && end <= Integer.MAX_VALUE) {
            a.mov(QWORD, scratch, index);
            a.add(QWORD, scratch, end);
        } else {
            a.movabs(scratch, end);
            a.add(QWORD, scratch, index);
        }
        a.jcc(Cond.B, trap);
        a.cmp(QWORD, scratch, size);
        a.jcc(Cond.A, trap);
        return true;
    }

    /**
     * The effective address {@code index + offset} of an access of {@code bytes} with a constant index, or -1 when
     * it is out of bounds for every memory ({@code index + offset + bytes} wraps past 2^64 or exceeds 2^63: no
     * memory is that large). Otherwise checks the end against {@code [size]} through {@code scratch}.
     */
    public static long checkConstant(Assembler a, Label trap, long index, long offset, int bytes, Mem size,
                                     Gpr scratch) {
        long ea = index + offset;
        long end = ea + bytes;
        if (Long.compareUnsigned(ea, index) < 0 || Long.compareUnsigned(end, ea) < 0 || end < 0) {
            a.jmp(trap);
            return -1;
        }
        if (end <= 0xFFFF_FFFFL) a.mov(DWORD, scratch, end);
        else a.movabs(scratch, end);
        a.cmp(QWORD, scratch, size);
        a.jcc(Cond.A, trap);
        return ea;
    }
}
