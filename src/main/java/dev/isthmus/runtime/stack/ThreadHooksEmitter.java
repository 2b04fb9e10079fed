package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.ThreadContextLayout;
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
 *       if pthread_getattr_np(pthread_self(), &amp;attr) == 0:               (this OS thread's own stack:
 *           if pthread_attr_getstack(&amp;attr, &amp;low, &amp;size) == 0:           where its Java frames run)
 *               context.javaStackLimit = low + JAVA_STACK_MARGIN
 *           pthread_attr_destroy(&amp;attr)
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

    /**
     * Bytes of an OS thread's stack kept free below the Java stack pointer a host call may start from: HotSpot's
     * guard zones and the shadow zone it bangs at every Java method entry (4 + 20 pages on x86-64 Linux), plus
     * room for the upcall machinery and the host bridge's dispatch to catch and park a {@link StackOverflowError}
     * thrown by the host function.
     */
    static final long JAVA_STACK_MARGIN = 160L << 10;
    /** Stack bytes for {@code pthread_attr_t} (56 on x86-64 glibc, rounded up) and the two results. */
    private static final int ATTR_BYTES = 64;
    private static final int ATTR_FRAME = ATTR_BYTES + 16;

    /** The libc functions {@code attach} calls, by address. */
    record LibcCalls(long getspecific, long setspecific, long sigaltstack, long pthreadSelf, long getattrNp,
            long attrGetstack, long attrDestroy) {
        static LibcCalls lookUp() {
            return new LibcCalls(PthreadKey.address("pthread_getspecific"),
                    PthreadKey.address("pthread_setspecific"), PthreadKey.address("sigaltstack"),
                    PthreadKey.address("pthread_self"), PthreadKey.address("pthread_getattr_np"),
                    PthreadKey.address("pthread_attr_getstack"), PthreadKey.address("pthread_attr_destroy"));
        }
    }

    /** Emits {@code attach}, which uses the pthread key, and returns its label. */
    static Label emitAttach(Assembler asm, int pthreadKey, LibcCalls libc) {
        long pthreadGetspecific = libc.getspecific();
        long pthreadSetspecific = libc.setspecific();
        long sigaltstack = libc.sigaltstack();
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
        emitJavaStackLimit(asm, libc);
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

    /** context.javaStackLimit = this OS thread's lowest stack address + margin (left 0 if libc cannot say). */
    private static void emitJavaStackLimit(Assembler asm, LibcCalls libc) {
        Label destroy = asm.newLabel();
        Label done = asm.newLabel();
        asm.sub(QWORD, RSP, ATTR_FRAME);                      // RSP stays ≡ 0 mod 16
        asm.movabs(RAX, libc.pthreadSelf());
        asm.call(RAX);
        asm.mov(QWORD, RDI, RAX);
        asm.mov(QWORD, RSI, RSP);
        asm.movabs(RAX, libc.getattrNp());
        asm.call(RAX);
        asm.test(DWORD, RAX, RAX);
        asm.jcc(Cond.NE, done);
        asm.mov(QWORD, RDI, RSP);
        asm.lea(QWORD, RSI, Mem.of(RSP, ATTR_BYTES));
        asm.lea(QWORD, RDX, Mem.of(RSP, ATTR_BYTES + 8));
        asm.movabs(RAX, libc.attrGetstack());
        asm.call(RAX);
        asm.test(DWORD, RAX, RAX);
        asm.jcc(Cond.NE, destroy);
        asm.mov(QWORD, RAX, Mem.of(RSP, ATTR_BYTES));
        asm.add(QWORD, RAX, JAVA_STACK_MARGIN);
        asm.mov(QWORD, Mem.of(RBX, Math.toIntExact(ThreadContextLayout.JAVA_STACK_LIMIT)), RAX);
        asm.bind(destroy);
        asm.mov(QWORD, RDI, RSP);
        asm.movabs(RAX, libc.attrDestroy());
        asm.call(RAX);
        asm.bind(done);
        asm.add(QWORD, RSP, ATTR_FRAME);
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
