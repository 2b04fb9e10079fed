package dev.isthmus.demo;

import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RBX;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RSI;
import static dev.isthmus.x64.OperandSize.DWORD;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Label;

/**
 * {@code int ackermann(int m, int n)} assembled by hand in the shape clang -O3 gives it (see the seed's wasmtime
 * issue): the tail call {@code ackermann(m - 1, ...)} becomes a loop over {@code m}, the only value live across the
 * recursive call ({@code m}) stays in one callee-saved register ({@code ebx}), and there is no frame pointer and no
 * stack check — a 16-byte frame (return address + saved rbx), so rsp stays 16-byte aligned at the inner call.
 *
 * <pre>
 *   ackermann(m = edi, n = esi) -> eax          SysV: args edi, esi; result eax; rbx callee-saved
 *
 *        push rbx
 *        mov  eax, esi            ; eax = n
 *        test edi, edi
 *        je   .done               ; m == 0: return n + 1
 *        mov  ebx, edi            ; ebx = m
 *        jmp  .loop
 *        (align 16)
 *   .n_is_zero:                   ; ackermann(m, 0) = ackermann(m - 1, 1)
 *        mov  eax, 1
 *        add  ebx, -1
 *        je   .done
 *   .loop:                        ; invariant: result = ackermann(ebx, eax), ebx &gt; 0
 *        test eax, eax
 *        je   .n_is_zero
 *        add  eax, -1
 *        mov  edi, ebx
 *        mov  esi, eax
 *        call ackermann           ; eax = ackermann(m, n - 1)
 *        add  ebx, -1             ; continue with ackermann(m - 1, eax)
 *        jne  .loop
 *   .done:
 *        add  eax, 1
 *        pop  rbx
 *        ret
 * </pre>
 *
 * <p>The function must start at offset 0 of the code it is placed in (the recursive call targets offset 0).
 */
final class AckermannAssembly {
    private AckermannAssembly() {
    }

    /** Assembles the function; {@link AnnotatedAssembly#finish()} gives the bytes. */
    static AnnotatedAssembly assemble() {
        AnnotatedAssembly code = new AnnotatedAssembly();
        Assembler asm = code.assembler();
        Label entry = new Label();
        Label nIsZero = new Label();
        Label loop = new Label();
        Label done = new Label();

        code.bind("ackermann", entry);
        code.emit("push rbx", () -> asm.push(RBX));
        code.emit("mov eax, esi", () -> asm.mov(DWORD, RAX, RSI));
        code.emit("test edi, edi", () -> asm.test(DWORD, RDI, RDI));
        code.emit("je .done", () -> asm.jccShort(Cond.E, done));
        code.emit("mov ebx, edi", () -> asm.mov(DWORD, RBX, RDI));
        code.emit("jmp .loop", () -> asm.jmpShort(loop));
        code.emit("(align 16)", () -> asm.align(16));
        code.bind(".n_is_zero", nIsZero);
        code.emit("mov eax, 1", () -> asm.mov(DWORD, RAX, 1));
        code.emit("add ebx, -1", () -> asm.add(DWORD, RBX, -1));
        code.emit("je .done", () -> asm.jccShort(Cond.E, done));
        code.bind(".loop", loop);
        code.emit("test eax, eax", () -> asm.test(DWORD, RAX, RAX));
        code.emit("je .n_is_zero", () -> asm.jcc(Cond.E, nIsZero));
        code.emit("add eax, -1", () -> asm.add(DWORD, RAX, -1));
        code.emit("mov edi, ebx", () -> asm.mov(DWORD, RDI, RBX));
        code.emit("mov esi, eax", () -> asm.mov(DWORD, RSI, RAX));
        code.emit("call ackermann", () -> asm.call(entry));
        code.emit("add ebx, -1", () -> asm.add(DWORD, RBX, -1));
        code.emit("jne .loop", () -> asm.jcc(Cond.NE, loop));
        code.bind(".done", done);
        code.emit("add eax, 1", () -> asm.add(DWORD, RAX, 1));
        code.emit("pop rbx", () -> asm.pop(RBX));
        code.emit("ret", asm::ret);
        code.finish();
        return code;
    }
}
