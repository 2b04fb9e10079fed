package dev.isthmus.runtime.instance;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.abi.TrapCode;
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
 * The out-of-fuel stub: what the slow path of a fuel check calls ({@code call [r15 + fuelStub]}, see
 * {@code compiler.machine.FuelMetering}) when the instance's fuel counter is positive. The check sits anywhere in a
 * function (entry, loop header) with live values in any register, so the stub saves every register the upcall may
 * change — the caller-saved general-purpose registers and all 16 xmm registers (wasm values use their low 128
 * bits) — and goes through the host-call bridge, like a {@code Builtins} stub, so the Java code runs on the Java
 * stack:
 *
 * <pre>
 *   fuelStub:                            ; r15 = vmctx, [rsp] = return address into the slow path
 *       test esp, WINDOW_MASK; jz exhausted
 *       sub  rsp, FRAME
 *       mov  [rsp + 8k], rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11
 *       movdqu [rsp + 80 + 16k], xmm0 ... xmm15
 *       mov  rdi, r15
 *       movabs r8, &lt;upcall stub of refuel&gt;; movabs rax, &lt;hostCall&gt;; call rax   ; refuel(vmctx) → status
 *       test eax, eax; jnz failed
 *       (restore everything); add rsp, FRAME; ret       ; the check goes on where it stood
 *   failed:                                            ; OUT_OF_FUEL, or the handler threw (THREW), ...
 *       add rsp, FRAME; mov edi, eax; jmp raise        ; the trap is attributed to the check
 *   exhausted:
 *       mov edi, CALL_STACK_EXHAUSTED; jmp raise
 * </pre>
 * The Java side ({@link #refuel}) never throws: a handler's exception is parked and becomes the trap that carries
 * it, as for host functions.
 */
public final class FuelStub {
    private FuelStub() {
    }

    private static final Gpr[] SAVED = {Gpr.RAX, Gpr.RCX, Gpr.RDX, Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9, Gpr.R10,
            Gpr.R11};
    /** Saved registers: 9 general-purpose (72 bytes, 80 with padding) and 16 xmm (256 bytes). */
    private static final int XMM_AREA = 80;
    private static final int FRAME = XMM_AREA + 16 * 16;
    private static final long ADDRESS;

    static {
        try {
            long upcall = StubCode.upcall(MethodHandles.lookup(), FuelStub.class, "refuel");
            Assembler asm = new Assembler();
            FrameUnwind.Builder unwind = new FrameUnwind.Builder();
            long atEntry = FrameUnwind.step(false, 8, false);
            long inFrame = FrameUnwind.step(false, 8 + FRAME, false);
            unwind.at(0, atEntry);
            Label exhausted = asm.newLabel();
            Label failed = asm.newLabel();
            asm.test(OperandSize.DWORD, Gpr.RSP, StackGeometry.WINDOW_MASK);
            asm.jcc(Cond.E, exhausted);
            asm.sub(OperandSize.QWORD, Gpr.RSP, FRAME);
            unwind.at(asm.position(), inFrame);
            SavedRegisters.save(asm, SAVED, XMM_AREA, 16);
            asm.mov(OperandSize.QWORD, Gpr.RDI, Gpr.R15);
            asm.mov(OperandSize.DWORD, Gpr.RSI, 0);
            asm.mov(OperandSize.DWORD, Gpr.RDX, 0);
            asm.mov(OperandSize.DWORD, Gpr.RCX, 0);
            asm.movabs(Gpr.R8, upcall);
            asm.movabs(Gpr.RAX, RuntimeStubs.get().hostCallAddress());
            asm.call(Gpr.RAX);
            asm.test(OperandSize.DWORD, Gpr.RAX, Gpr.RAX);
            asm.jcc(Cond.NE, failed);
            SavedRegisters.restore(asm, SAVED, XMM_AREA, 16);
            asm.add(OperandSize.QWORD, Gpr.RSP, FRAME);
            unwind.at(asm.position(), atEntry);
            asm.ret();
            asm.bind(failed);
            unwind.at(asm.position(), inFrame);
            asm.add(OperandSize.QWORD, Gpr.RSP, FRAME);
            unwind.at(asm.position(), atEntry);
            asm.mov(OperandSize.DWORD, Gpr.RDI, Gpr.RAX);
            asm.movabs(Gpr.RAX, RuntimeStubs.get().raiseAddress());
            asm.jmp(Gpr.RAX);                                   // [rsp] = the return address into the slow path
            asm.bind(exhausted);
            asm.mov(OperandSize.DWORD, Gpr.RDI, TrapCode.CALL_STACK_EXHAUSTED.code());
            asm.movabs(Gpr.RAX, RuntimeStubs.get().raiseAddress());
            asm.jmp(Gpr.RAX);
            byte[] bytes = asm.finish();
            CodeMemory code = StubCode.install(bytes, unwind.build());
            ADDRESS = code.address();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The stub's address, stored in the vmctx of every instance of fuel-metered code. */
    public static long address() {
        return ADDRESS;
    }

    /** The upcall: 0 when the instance has fuel again, else the trap code to raise. Never throws. */
    private static long refuel(long vmctx, long unused1, long unused2, long unused3) {
        try {
            return RuntimeInstance.ofContext(vmctx).refuel();
        } catch (StackOverflowError e) {
            return HostBridge.STACK_EXHAUSTED;
        } catch (Throwable t) {
            PendingThrowable.park(t);
            return HostBridge.THREW;
        }
    }
}
