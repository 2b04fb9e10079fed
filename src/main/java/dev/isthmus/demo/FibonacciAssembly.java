package dev.isthmus.demo;

import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RCX;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RDX;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

/**
 * {@code long fib(long n)} assembled by hand: the iterative Fibonacci number with 64-bit wrap-around
 * ({@code fib(0) = 0}, {@code fib(1) = 1}; {@code n <= 0} gives 0). A leaf function: no frame, caller-saved
 * registers only.
 *
 * <pre>
 *   fib(n = rdi) -> rax                         a = rax, b = rdx, next = rcx
 *
 *        xor  eax, eax            ; a = 0 (writing eax clears the upper half of rax)
 *        mov  edx, 1              ; b = 1
 *        test rdi, rdi
 *        jle  .done               ; n &lt;= 0: return 0
 *        (align 16)
 *   .loop:                        ; invariant: a = fib(k), b = fib(k + 1), rdi = n - k
 *        lea  rcx, [rax + rdx]    ; next = a + b (mod 2^64)
 *        mov  rax, rdx            ; a = b
 *        mov  rdx, rcx            ; b = next
 *        sub  rdi, 1
 *        jne  .loop
 *   .done:
 *        ret
 * </pre>
 */
final class FibonacciAssembly {
    private FibonacciAssembly() {
    }

    /** Assembles the function; {@link AnnotatedAssembly#finish()} gives the bytes. */
    static AnnotatedAssembly assemble() {
        AnnotatedAssembly code = new AnnotatedAssembly();
        Assembler asm = code.assembler();
        Label entry = new Label();
        Label loop = new Label();
        Label done = new Label();

        code.bind("fib", entry);
        code.emit("xor eax, eax", () -> asm.xor(DWORD, RAX, RAX));
        code.emit("mov edx, 1", () -> asm.mov(DWORD, RDX, 1));
        code.emit("test rdi, rdi", () -> asm.test(QWORD, RDI, RDI));
        code.emit("jle .done", () -> asm.jccShort(Cond.LE, done));
        code.emit("(align 16)", () -> asm.align(16));
        code.bind(".loop", loop);
        code.emit("lea rcx, [rax + rdx]", () -> asm.lea(QWORD, RCX, Mem.of(RAX, RDX, 1, 0)));
        code.emit("mov rax, rdx", () -> asm.mov(QWORD, RAX, RDX));
        code.emit("mov rdx, rcx", () -> asm.mov(QWORD, RDX, RCX));
        code.emit("sub rdi, 1", () -> asm.sub(QWORD, RDI, 1));
        code.emit("jne .loop", () -> asm.jcc(Cond.NE, loop));
        code.bind(".done", done);
        code.emit("ret", asm::ret);
        code.finish();
        return code;
    }
}
