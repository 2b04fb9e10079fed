package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;

import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static dev.isthmus.x64.OperandSize.WORD;

/**
 * Wasm {@code memory.copy} and {@code memory.fill}, inline, on any memory (memory 0's base may be in a register; the
 * others' bases and sizes are read from their vmctx words). Operands in the registers the string
 * instructions need, each i32 zero-extended to 64 bits: {@code rdi} = destination, {@code rsi} = source (copy) or
 * {@code rax} = the fill byte in al (fill), {@code rcx} = length. Clobbers rdi, rsi, rcx, rax, rdx, r11, xmm15
 * (both tiers' float scratch) and the flags. The memory base comes from a register or, without one,
 * from {@code [r15 + memoryBase]}.
 *
 * <p>The bounds are checked before any byte is written, in 64 bits (two zero-extended u32 cannot wrap) against the
 * current {@code memorySize} of the vmctx (it grows at run time), in either bounds-check mode: a bulk operation
 * must not write anything when it traps, so guard pages alone cannot check it. A length of 0 is allowed at an
 * offset equal to the size. Copy, shown with the memory base in r14:
 * <pre>
 *   lea   r11, [rdi + rcx]
 *   cmp   r11, qword [r15 + memorySize]
 *   ja    trap(out of bounds memory access)
 *   lea   r11, [rsi + rcx]
 *   cmp   r11, qword [r15 + memorySize]
 *   ja    trap(out of bounds memory access)
 *   add   rdi, r14
 *   add   rsi, r14
 *   cmp   rcx, 16
 *   ja    large
 *   cmp   ecx, 8                      ; 0..16 bytes: both halves loaded before either is stored, so any
 *   jb    below8                      ; overlap is right; 8..16 with two overlapping qwords
 *   mov   rax, [rsi]
 *   mov   rdx, [rsi + rcx - 8]
 *   mov   [rdi], rax
 *   mov   [rdi + rcx - 8], rdx
 *   jmp   done
 * below8:                             ; 4..7: two dwords; 2..3: two words; 1: a byte; 0: nothing
 *   ...
 * large:
 *   mov   rax, rdi
 *   sub   rax, rsi
 *   cmp   rax, rcx                    ; dst - src below n (unsigned): dst inside [src, src + n)
 *   jb    backward
 *   rep   movsb                       ; forward (dst below src, or no overlap)
 *   jmp   done
 * backward:                           ; n > 16: 16-byte blocks from the top down, the first 16 bytes last
 *   test  rax, rax                    ; dst == src: nothing to do
 *   jz    done
 *   mov   rdx, [rsi]                  ; the head, read before anything is written
 *   mov   r11, [rsi + 8]
 *   sub   rcx, 16
 * loop:
 *   movdqu xmm15, [rsi + rcx]         ; each block is read before any store reaches it (dst above src)
 *   movdqu [rdi + rcx], xmm15
 *   sub   rcx, 16
 *   ja    loop                        ; down to an offset in 1..16; the head covers the rest
 *   mov   [rdi], rdx
 *   mov   [rdi + 8], r11
 * done:
 * </pre>
 * Why not {@code std; rep movsb; cld}: a descending string move runs without the fast-string microcode, byte by
 * byte (measured: bench/bulk-memory, move_up256).
 * Fill checks {@code dst + n} alone, then for 0..16 bytes broadcasts al to a qword ({@code movzx eax, al; imul rax,
 * 0x0101010101010101}) and stores two overlapping qwords, dwords, words or one byte; above that {@code rep stosb}.
 * Why 16: {@code rep movsb}/{@code stosb} (fast-string microcode, ERMSB) has a start-up cost of a few dozen cycles
 * that dominates tiny lengths, which C code's struct and string copies hit most often (see bench/bulk-memory).
 */
public final class BulkMemory {
    /** The largest length handled by plain moves instead of a string instruction. */
    public static final int SMALL_MAX = 16;

    private BulkMemory() {}

    /**
     * One memory of a bulk operation: the vmctx offsets of its base and size words, and the register holding its
     * base (null: the base is read from the vmctx).
     */
    public record Operand(int baseOffset, int sizeOffset, Gpr base, boolean address64) {
        public Operand {
            checkBase(base);
        }

        /** A 32-bit memory. */
        public Operand(int baseOffset, int sizeOffset, Gpr base) {
            this(baseOffset, sizeOffset, base, false);
        }
    }

    /**
     * Traps unless {@code start + rcx <= [r15 + memory.sizeOffset]}. A 32-bit memory's operands are zero-extended
     * u32, whose sum cannot wrap ({@code lea}); a memory64 operand is a full u64, so the sum's carry traps too (the
     * length, of the smaller address type of a copy, may still be a zero-extended i32).
     */
    private static void checkRange(Assembler a, Label trap, Gpr start, Operand memory) {
        if (memory.address64()) {
            a.mov(QWORD, Gpr.R11, start);
            a.add(QWORD, Gpr.R11, Gpr.RCX);
            a.jcc(Cond.B, trap);
        } else {
            a.lea(QWORD, Gpr.R11, Mem.of(start, Gpr.RCX, 1, 0));
        }
        a.cmp(QWORD, Gpr.R11, Mem.of(Gpr.R15, memory.sizeOffset()));
        a.jcc(Cond.A, trap);
    }

    /** {@code memory.copy} within one memory: rdi = dst, rsi = src, rcx = n. */
    public static void copy(Assembler a, TrapTargets traps, int memoryBaseOffset, int memorySizeOffset, Gpr base) {
        Operand memory = new Operand(memoryBaseOffset, memorySizeOffset, base);
        copy(a, traps, memory, memory);
    }

    /**
     * {@code memory.copy} from memory {@code from} to memory {@code to} (multiple memories: they may differ; two
     * distinct memories never overlap, so the direction test below is then simply not taken): rdi = dst,
     * rsi = src, rcx = n.
     */
    public static void copy(Assembler a, TrapTargets traps, Operand to, Operand from) {
        Label trap = traps.trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS);
        checkRange(a, trap, Gpr.RDI, to);
        checkRange(a, trap, Gpr.RSI, from);
        addBase(a, Gpr.RDI, to.base(), to.baseOffset());
        addBase(a, Gpr.RSI, from.base(), from.baseOffset());
        Label large = a.newLabel();
        Label done = a.newLabel();
        a.cmp(QWORD, Gpr.RCX, SMALL_MAX);
        a.jcc(Cond.A, large);
        upTo16(a, done, (width, bytes) -> {
            if (bytes >= 4) {
                a.mov(width, Gpr.RAX, Mem.of(Gpr.RSI));
                a.mov(width, Gpr.RDX, Mem.of(Gpr.RSI, Gpr.RCX, 1, -bytes));
            } else {
                a.movzx(DWORD, Gpr.RAX, width, Mem.of(Gpr.RSI)); // no partial-register write
                if (bytes == 2) a.movzx(DWORD, Gpr.RDX, width, Mem.of(Gpr.RSI, Gpr.RCX, 1, -bytes));
            }
            a.mov(width, Mem.of(Gpr.RDI), Gpr.RAX);
            if (bytes > 1) a.mov(width, Mem.of(Gpr.RDI, Gpr.RCX, 1, -bytes), Gpr.RDX);
        });
        a.bind(large);
        Label backward = a.newLabel();
        a.mov(QWORD, Gpr.RAX, Gpr.RDI);
        a.sub(QWORD, Gpr.RAX, Gpr.RSI);
        a.cmp(QWORD, Gpr.RAX, Gpr.RCX);
        a.jcc(Cond.B, backward);
        a.repMovsb();
        a.jmp(done);
        a.bind(backward);
        a.test(QWORD, Gpr.RAX, Gpr.RAX);
        a.jcc(Cond.E, done);
        a.mov(QWORD, Gpr.RDX, Mem.of(Gpr.RSI));
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.RSI, 8));
        a.sub(QWORD, Gpr.RCX, 16);
        Label loop = a.newLabel();
        a.bind(loop);
        a.simd(SimdOp.MOVDQU, Xmm.XMM15, Mem.of(Gpr.RSI, Gpr.RCX, 1, 0));
        a.simd(SimdOp.MOVDQU_ST, Mem.of(Gpr.RDI, Gpr.RCX, 1, 0), Xmm.XMM15);
        a.sub(QWORD, Gpr.RCX, 16);
        a.jcc(Cond.A, loop);
        a.mov(QWORD, Mem.of(Gpr.RDI), Gpr.RDX);
        a.mov(QWORD, Mem.of(Gpr.RDI, 8), Gpr.R11);
        a.bind(done);
    }

    /** {@code memory.fill}: rdi = dst, al = the byte, rcx = n. */
    public static void fill(Assembler a, TrapTargets traps, int memoryBaseOffset, int memorySizeOffset, Gpr base) {
        fill(a, traps, new Operand(memoryBaseOffset, memorySizeOffset, base));
    }

    /** {@code memory.fill} of memory {@code memory}: rdi = dst, al = the byte, rcx = n. */
    public static void fill(Assembler a, TrapTargets traps, Operand memory) {
        checkRange(a, traps.trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS), Gpr.RDI, memory);
        addBase(a, Gpr.RDI, memory.base(), memory.baseOffset());
        Label large = a.newLabel();
        Label done = a.newLabel();
        a.cmp(QWORD, Gpr.RCX, SMALL_MAX);
        a.jcc(Cond.A, large);
        a.movzx(DWORD, Gpr.RAX, BYTE, Gpr.RAX);
        a.movabs(Gpr.RDX, 0x0101_0101_0101_0101L);
        a.imul(QWORD, Gpr.RAX, Gpr.RDX);
        upTo16(a, done, (width, bytes) -> {
            a.mov(width, Mem.of(Gpr.RDI), Gpr.RAX);
            if (bytes > 1) a.mov(width, Mem.of(Gpr.RDI, Gpr.RCX, 1, -bytes), Gpr.RAX);
        });
        a.bind(large);
        a.repStosb();
        a.bind(done);
    }

    /** Writes the {@code bytes} at both ends of an {@code rcx}-byte range: both ends for 8, 4 and 2, one byte for 1. */
    private interface Ends {
        void emit(OperandSize size, int bytes);
    }

    /**
     * The size ladder for {@code rcx} in 0..16, shared by copy and fill: 8..16 bytes as two overlapping qwords,
     * 4..7 as two dwords, 2..3 as two words, 1 as one byte, 0 nothing; each case jumps to {@code done}.
     */
    private static void upTo16(Assembler a, Label done, Ends ends) {
        Label below8 = a.newLabel();
        Label below4 = a.newLabel();
        Label one = a.newLabel();
        a.cmp(DWORD, Gpr.RCX, 8);
        a.jcc(Cond.B, below8);
        ends.emit(QWORD, 8);
        a.jmp(done);
        a.bind(below8);
        a.cmp(DWORD, Gpr.RCX, 4);
        a.jcc(Cond.B, below4);
        ends.emit(DWORD, 4);
        a.jmp(done);
        a.bind(below4);
        a.test(DWORD, Gpr.RCX, Gpr.RCX);
        a.jcc(Cond.E, done);
        a.cmp(DWORD, Gpr.RCX, 2);
        a.jcc(Cond.B, one);
        ends.emit(WORD, 2);
        a.jmp(done);
        a.bind(one);
        ends.emit(BYTE, 1);
        a.jmp(done);
    }

    private static void addBase(Assembler a, Gpr r, Gpr base, int memoryBaseOffset) {
        if (base != null) a.add(QWORD, r, base);
        else a.add(QWORD, r, Mem.of(Gpr.R15, memoryBaseOffset));
    }

    private static void checkBase(Gpr base) {
        if (base == Gpr.RDI || base == Gpr.RSI || base == Gpr.RCX || base == Gpr.RAX || base == Gpr.RDX
                || base == Gpr.R11) {
            throw new IllegalArgumentException("memory base in clobbered register " + base);
        }
    }
}
