package dev.isthmus.runtime.stack;

import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RBX;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RDX;
import static dev.isthmus.x64.Gpr.RSI;
import static dev.isthmus.x64.Gpr.RSP;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

import dev.isthmus.os.LinuxConstants;
import dev.isthmus.os.StackStruct;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

/**
 * Emits the two routines that tie a context to an OS thread. They are native code because they must act on the
 * calling OS thread as one step: a virtual thread may move to another carrier between two Java statements.
 *
 * <pre>
 *   attach(rdi = new context) → rax = the context now attached to this OS thread, or 0 on failure
 *       rax = pthread_getspecific(key); if rax != 0: return rax          (already attached: keep it)
 *       if sigaltstack(&amp;context.altStack, NULL) != 0: return 0          (alternate stack first ...)
 *       if pthread_setspecific(key, context) != 0: return 0             (... then visible to enter)
 *       return context
 *
 *   exitHook(rdi = context)      the pthread key's destructor: glibc calls it when the OS thread ends
 *       sigaltstack({ss_flags = SS_DISABLE}, NULL)                       (raw system call)
 *       context.state = EXITED                                           (Java frees the memory later)
 * </pre>
 */
final class ThreadHooksEmitter {
    private ThreadHooksEmitter() {
    }

    private static final int SYS_SIGALTSTACK = 131;

    /** Emits {@code attach}, which uses the pthread key, and returns its label. */
    static Label emitAttach(Assembler asm, int pthreadKey, long pthreadGetspecific, long pthreadSetspecific,
            long sigaltstack) {
        Label attach = asm.newLabel();
        Label done = asm.newLabel();
        Label failed = asm.newLabel();

        asm.align(16);
        asm.bind(attach);
        asm.push(RBX);                                        // RSP ≡ 0 mod 16 for the calls
        asm.mov(QWORD, RBX, RDI);
        asm.mov(DWORD, RDI, pthreadKey);
        asm.movabs(RAX, pthreadGetspecific);
        asm.call(RAX);
        asm.test(QWORD, RAX, RAX);
        asm.jcc(Cond.NE, done);
        asm.lea(QWORD, RDI, Mem.of(RBX, Math.toIntExact(ThreadContextLayout.ALT_STACK)));
        asm.xor(DWORD, RSI, RSI);
        asm.movabs(RAX, sigaltstack);
        asm.call(RAX);
        asm.test(DWORD, RAX, RAX);
        asm.jcc(Cond.NE, failed);
        asm.mov(DWORD, RDI, pthreadKey);
        asm.mov(QWORD, RSI, RBX);
        asm.movabs(RAX, pthreadSetspecific);
        asm.call(RAX);
        asm.test(DWORD, RAX, RAX);
        asm.jcc(Cond.NE, failed);
        asm.mov(QWORD, RAX, RBX);
        asm.jmp(done);
        asm.bind(failed);
        asm.xor(DWORD, RAX, RAX);
        asm.bind(done);
        asm.pop(RBX);
        asm.ret();
        return attach;
    }

    /** Emits {@code exitHook} (needed before the key exists: it is the key's destructor) and returns its label. */
    static Label emitExitHook(Assembler asm) {
        Label exitHook = asm.newLabel();
        int stackSize = Math.toIntExact(StackStruct.SIZE + 8);   // + 8 keeps RSP 16-byte aligned
        asm.align(16);
        asm.bind(exitHook);
        asm.mov(QWORD, RDX, RDI);                             // the syscall keeps rdx
        asm.sub(QWORD, RSP, stackSize);
        asm.mov(QWORD, Mem.of(RSP, Math.toIntExact(StackStruct.SP_OFFSET)), 0);
        asm.mov(DWORD, Mem.of(RSP, Math.toIntExact(StackStruct.FLAGS_OFFSET)), LinuxConstants.SS_DISABLE);
        asm.mov(QWORD, Mem.of(RSP, Math.toIntExact(StackStruct.SIZE_OFFSET)), 0);
        asm.mov(QWORD, RDI, RSP);
        asm.xor(DWORD, RSI, RSI);
        asm.mov(DWORD, RAX, SYS_SIGALTSTACK);
        asm.syscall();
        asm.mov(QWORD, RAX, ThreadContextLayout.EXITED);
        asm.xchg(QWORD, Mem.of(RDX, Math.toIntExact(ThreadContextLayout.STATE)), RAX);  // store + full fence
        asm.add(QWORD, RSP, stackSize);
        asm.ret();
        return exitHook;
    }
}
