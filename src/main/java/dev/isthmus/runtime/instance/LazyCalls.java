package dev.isthmus.runtime.instance;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.host.HostBridge;
import dev.isthmus.runtime.host.PendingThrowable;
import dev.isthmus.runtime.stack.RuntimeStubs;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.OperandSize;

import java.lang.invoke.MethodHandles;


/**
 * The runtime's side of code compiled when first called ({@code options.Compilation}): the upcall a module's
 * lazy-compilation stub makes (through the host-call bridge, so the compiler runs on the Java stack), and the
 * process-wide tier-up stub that baseline code calls when a function's budget is used up.
 *
 * <pre>
 *   tierUpStub:                         ; r15 = vmctx, r11d = function, [rsp] = return address into the slow path
 *       test esp, WINDOW_MASK; jz done  ; too close to the stack's limit for a host exit: try again later
 *       sub  rsp, FRAME
 *       mov  [rsp + 8k], rax, rcx, rdx, rsi, rdi, r8, r9, r10
 *       movdqu [rsp + 80 + 16k], xmm0 ... xmm15
 *       mov  rdi, r15; mov esi, r11d
 *       movabs r8, &lt;upcall stub of tierUp&gt;; movabs rax, &lt;hostCall&gt;; call rax
 *       (restore everything); add rsp, FRAME
 *   done:
 *       ret                             ; the code goes on where the count stood
 * </pre>
 * Neither upcall throws: a failure to compile on call is parked and becomes the trap that carries it (attributed to
 * the call site, as a host function's exception); a tier-up request cannot fail (it only queues work).
 */
public final class LazyCalls {
    private LazyCalls() {
    }

    private static final Gpr[] SAVED = {Gpr.RAX, Gpr.RCX, Gpr.RDX, Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9, Gpr.R10};
    private static final int XMM_AREA = 80;
    private static final int FRAME = XMM_AREA + 16 * 16;
    private static final long COMPILE_UPCALL;
    private static final long TIER_UP_STUB;

    static {
        try {
            COMPILE_UPCALL = StubCode.upcall(MethodHandles.lookup(), LazyCalls.class, "compile");
            long tierUp = StubCode.upcall(MethodHandles.lookup(), LazyCalls.class, "tierUp");
            Assembler asm = new Assembler();
            FrameUnwind.Builder unwind = new FrameUnwind.Builder();
            long atEntry = FrameUnwind.step(false, 8, false);
            long inFrame = FrameUnwind.step(false, 8 + FRAME, false);
            unwind.at(0, atEntry);
            Label done = asm.newLabel();
            asm.test(OperandSize.DWORD, Gpr.RSP, StackGeometry.WINDOW_MASK);
            asm.jcc(Cond.E, done);
            asm.sub(OperandSize.QWORD, Gpr.RSP, FRAME);
            unwind.at(asm.position(), inFrame);
            SavedRegisters.save(asm, SAVED, XMM_AREA, 16);
            asm.mov(OperandSize.QWORD, Gpr.RDI, Gpr.R15);
            asm.mov(OperandSize.DWORD, Gpr.RSI, Gpr.R11);
            asm.mov(OperandSize.DWORD, Gpr.RDX, 0);
            asm.mov(OperandSize.DWORD, Gpr.RCX, 0);
            asm.movabs(Gpr.R8, tierUp);
            asm.movabs(Gpr.RAX, RuntimeStubs.get().hostCallAddress());
            asm.call(Gpr.RAX);
            SavedRegisters.restore(asm, SAVED, XMM_AREA, 16);
            asm.add(OperandSize.QWORD, Gpr.RSP, FRAME);
            asm.bind(done);
            unwind.at(asm.position(), atEntry);
            asm.ret();
            CodeMemory code = StubCode.install(asm.finish(), unwind.build());
            TIER_UP_STUB = code.address();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The upcall stub a lazy-compilation stub calls through the host-call bridge:
     * {@code long compile(vmctx, function, 0, 0)} → the function's entry, or (below 4096) the trap code to raise.
     */
    public static long compileUpcall() {
        return COMPILE_UPCALL;
    }

    /** The tier-up stub's address, stored in the context of every instance of code compiled tiered. */
    public static long tierUpStub() {
        return TIER_UP_STUB;
    }

    /** Whether a value the compile upcall returned is an entry address (not a trap code). */
    public static boolean isEntry(long value) {
        return value >= 4096;
    }

    private static long compile(long vmctx, long function, long unused1, long unused2) {
        try {
            long entry = RuntimeInstance.ofContext(vmctx).code.compileOnCall((int) function);
            if (!isEntry(entry)) throw new IllegalStateException("no entry for function " + function);
            return entry;
        } catch (StackOverflowError e) {
            return HostBridge.STACK_EXHAUSTED;
        } catch (Throwable t) {
            PendingThrowable.park(t);
            return HostBridge.THREW;
        }
    }

    private static long tierUp(long vmctx, long function, long unused1, long unused2) {
        try {
            RuntimeInstance.ofContext(vmctx).code.tierUp((int) function);
        } catch (Throwable t) {
            // a request only queues work; the function keeps running its baseline code
        }
        return 0;
    }
}
