package dev.isthmus.runtime.code;

import static dev.isthmus.x64.Gpr.R10;
import static dev.isthmus.x64.Gpr.R11;
import static dev.isthmus.x64.Gpr.R8;
import static dev.isthmus.x64.Gpr.R9;
import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RCX;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RDX;
import static dev.isthmus.x64.Gpr.RSI;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.ShiftOp;

/**
 * Emits the machine-code reader of a {@link CodeRegistry}'s native range table ({@link
 * CodeRegistry#nativeTableAddress()}), for a fault handler that must decide "is this PC in our code?" without Java.
 *
 * <p>The routine is a SysV leaf function {@code long lookup(long header, long pc)}: it returns the start of the
 * registered range containing {@code pc}, or 0. It touches only rax, rcx, rdx, r8–r11 and no stack, takes no locks
 * and allocates nothing, so it is safe inside a signal handler.
 *
 * <pre>
 *   lookup(header = rdi, pc = rsi) -&gt; rax               table = r8, sequence = r9, lo = rax, hi = rcx
 *
 *   .retry:
 *        mov  r8, [rdi]                 ; the current table
 *        mov  r9, [r8 + SEQUENCE]
 *        test r9d, 1
 *        jne  .retry                    ; odd: a writer is rewriting it
 *        mov  rcx, [r8 + COUNT]
 *        mov  rdx, [r8 + CAPACITY]
 *        cmp  rcx, rdx
 *        cmova rcx, rdx                 ; clamp a torn count
 *        xor  eax, eax                  ; lo = 0, hi = count: find the first entry with start &gt; pc
 *   .search:
 *        cmp  rax, rcx
 *        jae  .searched
 *        lea  rdx, [rax + rcx]
 *        shr  rdx, 1                    ; mid
 *        mov  r10, rdx
 *        shl  r10, 4                    ; mid * 16
 *        cmp  [r8 + r10 + ENTRIES + START], rsi
 *        ja   .go_low                   ; start[mid] &gt; pc
 *        lea  rax, [rdx + 1]            ; lo = mid + 1
 *        jmp  .search
 *   .go_low:
 *        mov  rcx, rdx                  ; hi = mid
 *        jmp  .search
 *   .searched:                          ; candidate = lo - 1
 *        xor  r11d, r11d                ; result = 0
 *        test rax, rax
 *        je   .validate
 *        shl  rax, 4
 *        cmp  rsi, [r8 + rax + ENTRIES - 16 + END]
 *        jae  .validate                 ; pc at or past end[lo - 1]
 *        mov  r11, [r8 + rax + ENTRIES - 16 + START]
 *   .validate:
 *        cmp  r9, [r8 + SEQUENCE]
 *        jne  .retry                    ; the table changed while we searched
 *        mov  rax, r11
 *        ret
 * </pre>
 *
 * <p>On x86-64 loads are not reordered with other loads, so the sequence checks need no fences.
 */
public final class CodeRangeLookupStub {
    private CodeRangeLookupStub() {
    }

    /** Emits the routine at the assembler's current position (align it as the caller likes). */
    public static void emit(Assembler asm) {
        int sequence = (int) NativeCodeTable.SEQUENCE_OFFSET;
        int count = (int) NativeCodeTable.COUNT_OFFSET;
        int capacity = (int) NativeCodeTable.CAPACITY_OFFSET;
        int entries = (int) NativeCodeTable.ENTRIES_OFFSET;
        int entrySize = (int) NativeCodeTable.ENTRY_SIZE;
        int start = (int) NativeCodeTable.ENTRY_START_OFFSET;
        int end = (int) NativeCodeTable.ENTRY_END_OFFSET;
        int entryShift = Integer.numberOfTrailingZeros(entrySize);
        if (entrySize != 1 << entryShift) {
            throw new IllegalStateException("entry size must be a power of two: " + entrySize);
        }

        Label retry = new Label();
        Label search = new Label();
        Label goLow = new Label();
        Label searched = new Label();
        Label validate = new Label();

        asm.bind(retry);
        asm.mov(QWORD, R8, Mem.of(RDI));
        asm.mov(QWORD, R9, Mem.of(R8, sequence));
        asm.test(DWORD, R9, 1);
        asm.jcc(Cond.NE, retry);
        asm.mov(QWORD, RCX, Mem.of(R8, count));
        asm.mov(QWORD, RDX, Mem.of(R8, capacity));
        asm.cmp(QWORD, RCX, RDX);
        asm.cmov(Cond.A, QWORD, RCX, RDX);
        asm.xor(DWORD, RAX, RAX);

        asm.bind(search);
        asm.cmp(QWORD, RAX, RCX);
        asm.jccShort(Cond.AE, searched);
        asm.lea(QWORD, RDX, Mem.of(RAX, RCX, 1, 0));
        asm.shift(ShiftOp.SHR, QWORD, RDX, 1);
        asm.mov(QWORD, R10, RDX);
        asm.shift(ShiftOp.SHL, QWORD, R10, entryShift);
        asm.cmp(QWORD, Mem.of(R8, R10, 1, entries + start), RSI);
        asm.jccShort(Cond.A, goLow);
        asm.lea(QWORD, RAX, Mem.of(RDX, 1));
        asm.jmp(search);
        asm.bind(goLow);
        asm.mov(QWORD, RCX, RDX);
        asm.jmp(search);

        asm.bind(searched);
        asm.xor(DWORD, R11, R11);
        asm.test(QWORD, RAX, RAX);
        asm.jccShort(Cond.E, validate);
        asm.shift(ShiftOp.SHL, QWORD, RAX, entryShift);
        asm.cmp(QWORD, RSI, Mem.of(R8, RAX, 1, entries - entrySize + end));
        asm.jccShort(Cond.AE, validate);
        asm.mov(QWORD, R11, Mem.of(R8, RAX, 1, entries - entrySize + start));

        asm.bind(validate);
        asm.cmp(QWORD, R9, Mem.of(R8, sequence));
        asm.jcc(Cond.NE, retry);
        asm.mov(QWORD, RAX, R11);
        asm.ret();
    }

    /** The routine alone, as position-independent bytes. */
    public static byte[] assemble() {
        Assembler asm = new Assembler();
        emit(asm);
        return asm.finish();
    }
}
