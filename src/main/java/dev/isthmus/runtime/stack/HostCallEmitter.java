package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.ThreadContextLayout;
import static dev.isthmus.x64.Gpr.R12;
import static dev.isthmus.x64.Gpr.R13;
import static dev.isthmus.x64.Gpr.R14;
import static dev.isthmus.x64.Gpr.R15;
import static dev.isthmus.x64.Gpr.R8;
import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RBP;
import static dev.isthmus.x64.Gpr.RBX;
import static dev.isthmus.x64.Gpr.RCX;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RDX;
import static dev.isthmus.x64.Gpr.RSI;
import static dev.isthmus.x64.Gpr.RSP;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

/**
 * Emits the host-call bridge: how wasm code calls a Java upcall stub. A Java upcall must run on the thread's Java
 * stack (HotSpot's stack checks fail fatally on the wasm stack), so the bridge switches back to the Java stack just
 * below the innermost entry frame, and makes a nested entry (the host calling wasm again) continue on the wasm stack
 * below the caller's frames.
 *
 * <pre>
 *   hostCall(rdi, rsi, rdx, rcx = the host function's arguments, r8 = upcall stub address) → rax
 *       test esp, WINDOW_MASK; jz exhausted          (before anything is pushed)
 *       push rbx, r12-r15; rax = context ([rsp & -ALIGNMENT])
 *       if context.resumeRsp &lt; context.javaStackLimit: pop ...; jmp exhausted     (Java stack nearly full)
 *
 *   wasm stack (grows down)                         Java stack
 *   ┌───────────────────────────────┐               ┌──────────────────────────────┐
 *   │ wasm caller's frames          │               │ entry frame (trampoline)     │
 *   │ return address into wasm      │               ├──────────────────────────────┤ ← landing.resumeRsp
 *   │ rbx r12 r13 r14 r15 (saved)   │               │ return address into bridge   │
 *   │ previous context.wasmRsp      │               │ upcall stub + Java frames    │
 *   │ rbp                           │ ← r12         │ (a nested entry's frame ...) │
 *   ├───────────────────────────────┤               └──────────────────────────────┘
 *   │ (nested entries start here)   │ ← context.wasmRsp = r12 rounded down to 16 while the host runs
 *   └───────────────────────────────┘
 * </pre>
 *
 * <p>Host exits check the stack first: the bridge's first instruction is {@code test esp, WINDOW_MASK}
 * ({@link StackGeometry}); below the limit it jumps to {@code exhausted} ({@code mov edi,
 * CALL_STACK_EXHAUSTED; jmp raise}) before pushing anything, so {@code [rsp]} is still the caller's return address
 * and the trap is attributed to the wasm call site. Host code, the upcall's Java frames and nested entries thus
 * never start with the wasm stack below its limit: whatever they need there (the bridge's own pushes, a nested
 * entry's frames) has the reserve to run in, the scheme of wasmtime issue 8135 / PR 9093. Every host exit goes
 * through here — host-function adapters emitted by the compiler call the {@code HostBridge} stub, which jumps
 * here, and the builtin stubs ({@code Builtins}) check the same way before their own pushes — so this one check
 * is enough for them.
 *
 * <p>The Java stack is checked too: endless recursion through host functions (wasm → Java → wasm → ...) grows
 * both stacks, and an upcall started with too little Java stack left fails inside the JVM's upcall machinery,
 * where a {@link StackOverflowError} cannot be caught and ends the process. So the bridge refuses, with the same
 * "call stack exhausted" trap, when the Java stack pointer it would switch to ({@code landing.resumeRsp}) is below
 * {@code context.javaStackLimit} (the OS thread's stack bottom plus {@link ThreadHooksEmitter#JAVA_STACK_MARGIN};
 * the OS thread's, since a mounted virtual thread runs on its carrier's stack).
 *
 * <p>The context is found from RSP alone: the header at the base of every stack region ({@code rsp & -ALIGNMENT},
 * {@link StackGeometry}) holds it — two instructions and a load, no libc call on the wasm stack (a fault in libc near
 * the guard would not be recognised as ours) and no search of {@link FaultTables#stacks()} (whose reader count
 * costs two atomic instructions). The host function must not let an exception
 * escape (that ends the VM): wrappers catch {@code Throwable} and return a status the generated code acts on.
 */
final class HostCallEmitter {
    private HostCallEmitter() {
    }

    private static final Gpr[] SAVED = {RBX, R12, R13, R14, R15};

    /** Emits the bridge using the {@code raise} stub; returns its label. */
    static Label emit(Assembler asm, Label raise) {
        Label hostCall = asm.newLabel();
        Label notOnWasmStack = asm.newLabel();
        Label exhausted = asm.newLabel();
        Label javaStackExhausted = asm.newLabel();
        int javaStackLimit = Math.toIntExact(ThreadContextLayout.JAVA_STACK_LIMIT);
        int wasmRsp = Math.toIntExact(ThreadContextLayout.WASM_RSP);
        int resumeRsp = Math.toIntExact(ThreadContextLayout.RESUME_RSP);

        asm.align(16);
        asm.bind(hostCall);
        asm.test(DWORD, RSP, StackGeometry.WINDOW_MASK);        // ZF ⇔ RSP below the wasm stack's limit
        asm.jcc(Cond.E, exhausted);
        for (Gpr register : SAVED) {
            asm.push(register);
        }
        asm.mov(QWORD, R12, RDI);
        asm.mov(QWORD, R13, RSI);
        asm.mov(QWORD, R14, RDX);
        asm.mov(QWORD, R15, RCX);
        asm.mov(QWORD, RBX, R8);
        asm.mov(QWORD, RAX, RSP);                              // the stack region's header holds the context
        asm.and(QWORD, RAX, -StackGeometry.ALIGNMENT);
        asm.mov(QWORD, RAX, Mem.of(RAX, StackGeometry.CONTEXT_SLOT));
        asm.test(QWORD, RAX, RAX);
        asm.jcc(Cond.E, notOnWasmStack);
        asm.mov(QWORD, RCX, Mem.of(RAX, resumeRsp));
        asm.cmp(QWORD, RCX, Mem.of(RAX, javaStackLimit));      // 0 when unknown: never below
        asm.jcc(Cond.B, javaStackExhausted);
        asm.push(Mem.of(RAX, wasmRsp));                        // previous context.wasmRsp
        asm.push(RBP);
        asm.mov(QWORD, RBP, RAX);                              // rbp = context (callee-saved across the upcall)
        asm.mov(QWORD, RDI, R12);
        asm.mov(QWORD, RSI, R13);
        asm.mov(QWORD, RDX, R14);
        asm.mov(QWORD, RCX, R15);
        asm.mov(QWORD, R12, RSP);                              // r12 = where to come back to on the wasm stack
        asm.mov(QWORD, RAX, RSP);
        asm.and(QWORD, RAX, -16);
        asm.mov(QWORD, Mem.of(RBP, wasmRsp), RAX);             // nested entries continue below this frame
        asm.mov(QWORD, RSP, Mem.of(RBP, resumeRsp));           // Java stack, just below the entry frame
        asm.call(RBX);
        asm.mov(QWORD, RSP, R12);
        asm.mov(QWORD, RCX, Mem.of(RSP, 8));
        asm.mov(QWORD, Mem.of(RBP, wasmRsp), RCX);             // restore context.wasmRsp
        asm.pop(RBP);
        asm.add(QWORD, RSP, 8);
        for (int i = SAVED.length - 1; i >= 0; i--) {
            asm.pop(SAVED[i]);
        }
        asm.ret();
        asm.bind(javaStackExhausted);
        for (int i = SAVED.length - 1; i >= 0; i--) {
            asm.pop(SAVED[i]);
        }
        asm.bind(exhausted);
        asm.mov(DWORD, RDI, TrapCode.CALL_STACK_EXHAUSTED.code());
        asm.jmp(raise);                                        // [rsp] = the caller's return address
        asm.bind(notOnWasmStack);
        asm.ud2();                                             // a bug: reaches the JVM's crash report
        return hostCall;
    }
}
