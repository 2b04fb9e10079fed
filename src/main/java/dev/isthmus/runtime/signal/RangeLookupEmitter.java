package dev.isthmus.runtime.signal;

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
 * Emits the machine-code reader of a {@link NativeRangeTable}: a leaf routine, safe in a signal handler (no calls,
 * no locks, no waiting), that binary-searches the active snapshot.
 *
 * <pre>
 *   lookup:  in   rdi = key (an address), rsi = table address
 *            out  rdx = 1 and rax = data of the range containing the key, or rdx = 0 and rax = 0
 *            uses rax, rcx, rdx, r8-r11 (caller-saved); rdi, rsi preserved; 8 bytes of stack (its return address)
 *
 *   retry:    rcx = active; lock inc readers[rcx]; if active != rcx: lock dec readers[rcx]; goto retry
 *             r8 = &amp;snapshots[rcx]; low = 0; high = count
 *             while low &lt; high: mid = (low+high)/2; if entries[mid].start &gt; key: high = mid else low = mid+1
 *             hit when low &gt; 0 and key &lt; entries[low-1].end
 *             lock dec readers[rcx]
 * </pre>
 * All comparisons are unsigned (user-space addresses).
 */
public final class RangeLookupEmitter {
    private RangeLookupEmitter() {
    }

    /**
     * Emits the routine (the same for every table: the layout is fixed, the snapshot blocks are found through the
     * header) and returns its label, to {@code call} from code in the same buffer.
     */
    public static Label emit(Assembler asm) {
        int active = Math.toIntExact(NativeRangeTable.ACTIVE);
        int readers = Math.toIntExact(NativeRangeTable.READERS);
        int snapshots = Math.toIntExact(NativeRangeTable.SNAPSHOTS);
        int count = Math.toIntExact(NativeRangeTable.COUNT);
        int entries = Math.toIntExact(NativeRangeTable.ENTRIES);
        int entrySize = Math.toIntExact(NativeRangeTable.ENTRY.byteSize());
        Mem myReaders = Mem.of(RSI, RCX, 8, readers);

        Label lookup = asm.newLabel();
        Label retry = asm.newLabel();
        Label acquired = asm.newLabel();
        Label search = asm.newLabel();
        Label upperHalf = asm.newLabel();
        Label searched = asm.newLabel();
        Label missing = asm.newLabel();
        Label release = asm.newLabel();

        asm.bind(lookup);
        asm.bind(retry);
        asm.mov(QWORD, RCX, Mem.of(RSI, active));
        asm.lockAdd(QWORD, myReaders, 1);
        asm.cmp(QWORD, RCX, Mem.of(RSI, active));
        asm.jcc(Cond.E, acquired);
        asm.lockAdd(QWORD, myReaders, -1);
        asm.jmp(retry);

        asm.bind(acquired);
        asm.mov(QWORD, R8, Mem.of(RSI, RCX, 8, snapshots));        // r8 = this snapshot's block
        asm.mov(QWORD, R9, Mem.of(R8, count));                    // high = count
        asm.xor(DWORD, R10, R10);                                 // low = 0

        asm.bind(search);
        asm.cmp(QWORD, R10, R9);
        asm.jcc(Cond.AE, searched);
        asm.lea(QWORD, R11, Mem.of(R10, R9, 1, 0));
        asm.shift(ShiftOp.SHR, QWORD, R11, 1);                    // mid
        asm.imul(QWORD, RAX, R11, entrySize);
        asm.cmp(QWORD, Mem.of(R8, RAX, 1, entries + (int) NativeRangeTable.ENTRY_START), RDI);
        asm.jcc(Cond.A, upperHalf);                               // start > key: go left
        asm.lea(QWORD, R10, Mem.of(R11, 1));                      // low = mid + 1
        asm.jmp(search);
        asm.bind(upperHalf);
        asm.mov(QWORD, R9, R11);                                  // high = mid
        asm.jmp(search);

        asm.bind(searched);
        asm.test(QWORD, R10, R10);
        asm.jcc(Cond.E, missing);
        asm.imul(QWORD, RAX, R10, entrySize);
        asm.lea(QWORD, RAX, Mem.of(R8, RAX, 1, entries - entrySize));  // &entries[low - 1]
        asm.cmp(QWORD, RDI, Mem.of(RAX, (int) NativeRangeTable.ENTRY_END));
        asm.jcc(Cond.AE, missing);
        asm.mov(QWORD, RAX, Mem.of(RAX, (int) NativeRangeTable.ENTRY_DATA));
        asm.mov(DWORD, RDX, 1);
        asm.jmp(release);

        asm.bind(missing);
        asm.xor(DWORD, RAX, RAX);
        asm.xor(DWORD, RDX, RDX);

        asm.bind(release);
        asm.lockAdd(QWORD, myReaders, -1);
        asm.ret();
        return lookup;
    }
}
