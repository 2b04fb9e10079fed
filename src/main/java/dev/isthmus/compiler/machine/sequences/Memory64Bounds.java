package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.runtime.abi.Memory64Guard;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * The bounds check of an access to a memory64 memory, for both tiers. A 64-bit index can be anything up to 2^64-1,
 * so no guard region alone catches it: the index is compared with the memory's current byte size in the vmctx
 * (which grows at run time). Behind the memory's maximum lie {@link Memory64Guard#GUARD_BYTES} of guard, so when the
 * constant offset plus the access size is at most that, the index alone is checked and the offset is folded into
 * the access (wasmtime does the same with its guard region); an access that starts in bounds and ends beyond the
 * size faults in the reservation:
 * <pre>
 *   cmp  index, qword [r15 + memorySize]
 *   ja   trap(out of bounds memory access)
 *   ... [base + index + offset]
 * </pre>
 * A larger offset gets the complete check, in which {@code index + offset + size} may wrap past 2^64 (the carry
 * traps too):
 * <pre>
 *   movabs r11, offset + size
 *   add  r11, index
 *   jc   trap(out of bounds memory access)
 *   cmp  r11, qword [r15 + memorySize]
 *   ja   trap(out of bounds memory access)
 *   ... [base + r11 - size]               ; the access reuses the sum
 * </pre>
 * An {@code offset + size} that wraps by itself is out of bounds for every index: the access is a jump to the trap.
 * A constant index folds completely: one {@code cmp} of the constant end with the size. The size only ever grows, so
 * a check that passed stays true for the rest of the function (the optimizing tier checks an index once per block).
 */
public final class Memory64Bounds {
    private Memory64Bounds() {}

    /** What the access's operand is after {@link #check}. */
    public enum Operand {
        /** {@code [base + index + offset]}: the index was checked, the guard catches the offset. */
        INDEX_PLUS_OFFSET,
        /** {@code [base + scratch - size]}: scratch holds the checked {@code index + offset + size}. */
        SCRATCH_MINUS_SIZE,
        /** Out of bounds for every index: a {@code jmp trap} was emitted and what follows is unreachable. */
        NEVER
    }

    /** True when an access of {@code bytes} at constant offset {@code offset} needs only its index checked. */
    public static boolean guarded(long offset, int bytes) {
        return offset >= 0 && offset + bytes <= Memory64Guard.GUARD_BYTES;
    }

    /** Checks an access of {@code bytes} at {@code index + offset} against {@code [size]}; see {@link Operand}. */
    public static Operand check(Assembler a, Label trap, Gpr index, long offset, int bytes, Mem size, Gpr scratch) {
        if (guarded(offset, bytes)) {
            a.cmp(QWORD, index, size);
            a.jcc(Cond.A, trap);
            return Operand.INDEX_PLUS_OFFSET;
        }
        long end = offset + bytes;
        if (Long.compareUnsigned(end, offset) < 0) {           // offset + size wraps: never in bounds
            a.jmp(trap);
            return Operand.NEVER;
        }
        a.movabs(scratch, end);
        a.add(QWORD, scratch, index);
        a.jcc(Cond.B, trap);
        a.cmp(QWORD, scratch, size);
        a.jcc(Cond.A, trap);
        return Operand.SCRATCH_MINUS_SIZE;
    }

    /**
     * The effective address {@code index + offset} of an access of {@code bytes} with a constant index, or -1 when
     * it is out of bounds for every memory ({@code index + offset + bytes} wraps past 2^64 or exceeds 2^63: no
     * memory is that large; a {@code jmp trap} was emitted). Otherwise checks the end against {@code [size]} through
     * {@code scratch}.
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
