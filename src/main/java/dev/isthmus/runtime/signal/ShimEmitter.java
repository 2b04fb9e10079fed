package dev.isthmus.runtime.signal;

import dev.isthmus.runtime.abi.TrapLanding;
import static dev.isthmus.os.UcontextStruct.REG_RBP;
import static dev.isthmus.os.UcontextStruct.REG_RDI;
import static dev.isthmus.os.UcontextStruct.REG_RIP;
import static dev.isthmus.os.UcontextStruct.REG_RSP;
import static dev.isthmus.x64.Gpr.R10;
import static dev.isthmus.x64.Gpr.R12;
import static dev.isthmus.x64.Gpr.R13;
import static dev.isthmus.x64.Gpr.R14;
import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RBX;
import static dev.isthmus.x64.Gpr.RDI;
import static dev.isthmus.x64.Gpr.RDX;
import static dev.isthmus.x64.Gpr.RSI;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

import dev.isthmus.os.LinuxConstants;
import dev.isthmus.os.SiginfoStruct;
import dev.isthmus.os.UcontextStruct;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

/**
 * Emits the signal handler ("shim") for SIGSEGV, SIGBUS and SIGILL: a plain SysV function
 * {@code void shim(int signo, siginfo_t *info, ucontext_t *uc)} that never calls Java.
 *
 * <pre>
 *   shim:  push rbx, r12, r13, r14                 r12d = signo, r13 = info, r14 = uc
 *          lookup(uc.rip, code)        miss → chain        PC not in our code
 *          lookup(uc.rsp, stacks)      miss → chain        not on a wasm stack: nowhere to land
 *          rbx = landing
 *          eax = UNREACHABLE;  if signo == SIGILL → land
 *          lookup(info.si_addr, faultRegions)  miss → chain      a wild access in our code: the JVM reports it
 *   land:  landing.trapCode = eax; landing.faultPc = uc.rip; landing.faultAddress = info.si_addr;
 *          landing.faultFp = uc.rbp; landing.faultSp = uc.rsp
 *          uc.rdi = landing; uc.rsp = landing.resumeRsp; uc.rip = landing.recoveryPc; trapped++
 *          pop ...; ret                              → sigreturn resumes in the recovery stub
 *   chain: restore edi/rsi/rdx, pop ...; chained++
 *          rax = previous[signo]; if rax > SIG_IGN: jmp rax         (tail call, original arguments)
 *          rt_sigaction(signo, SIG_DFL, NULL, 8); ret               (the fault repeats: default action)
 * </pre>
 * The kernel enters the handler like a call (RSP ≡ 8 mod 16); the shim calls only the leaf lookup routine.
 */
final class ShimEmitter {
    private ShimEmitter() {
    }

    private static final int SYS_RT_SIGACTION = 13;

    /** Emits the lookup routine and the shim into {@code asm}; returns the shim's label. */
    static Label emit(Assembler asm, ShimState state) {
        Label lookup = RangeLookupEmitter.emit(asm);

        Label shim = asm.newLabel();
        Label land = asm.newLabel();
        Label chain = asm.newLabel();
        Label restoreDefault = asm.newLabel();
        Mem ucRip = Mem.of(R14, (int) UcontextStruct.gregOffset(REG_RIP));
        Mem ucRsp = Mem.of(R14, (int) UcontextStruct.gregOffset(REG_RSP));
        Mem ucRdi = Mem.of(R14, (int) UcontextStruct.gregOffset(REG_RDI));
        Mem siAddr = Mem.of(R13, (int) SiginfoStruct.ADDR_OFFSET);

        asm.align(16);
        asm.bind(shim);
        asm.push(RBX);
        asm.push(R12);
        asm.push(R13);
        asm.push(R14);
        asm.mov(DWORD, R12, RDI);
        asm.mov(QWORD, R13, RSI);
        asm.mov(QWORD, R14, RDX);

        asm.mov(QWORD, RDI, ucRip);
        asm.movabs(RSI, FaultTables.code().address());
        asm.call(lookup);
        asm.test(DWORD, RDX, RDX);
        asm.jcc(Cond.E, chain);

        asm.mov(QWORD, RDI, ucRsp);
        asm.movabs(RSI, FaultTables.stacks().address());
        asm.call(lookup);
        asm.test(DWORD, RDX, RDX);
        asm.jcc(Cond.E, chain);
        asm.mov(QWORD, RBX, RAX);

        asm.mov(DWORD, RAX, TrapCode.UNREACHABLE.code());
        asm.cmp(DWORD, R12, LinuxConstants.SIGILL);
        asm.jcc(Cond.E, land);
        asm.mov(QWORD, RDI, siAddr);
        asm.movabs(RSI, FaultTables.faultRegions().address());
        asm.call(lookup);
        asm.test(DWORD, RDX, RDX);
        asm.jcc(Cond.E, chain);

        asm.bind(land);
        asm.mov(DWORD, Mem.of(RBX, (int) TrapLanding.TRAP_CODE), RAX);
        asm.mov(QWORD, RAX, ucRip);
        asm.mov(QWORD, Mem.of(RBX, (int) TrapLanding.FAULT_PC), RAX);
        asm.mov(QWORD, RAX, siAddr);
        asm.mov(QWORD, Mem.of(RBX, (int) TrapLanding.FAULT_ADDRESS), RAX);
        asm.mov(QWORD, RAX, Mem.of(R14, (int) UcontextStruct.gregOffset(REG_RBP)));
        asm.mov(QWORD, Mem.of(RBX, (int) TrapLanding.FAULT_FP), RAX);
        asm.mov(QWORD, RAX, ucRsp);
        asm.mov(QWORD, Mem.of(RBX, (int) TrapLanding.FAULT_SP), RAX);
        asm.mov(QWORD, ucRdi, RBX);
        asm.mov(QWORD, RAX, Mem.of(RBX, (int) TrapLanding.RESUME_RSP));
        asm.mov(QWORD, ucRsp, RAX);
        asm.mov(QWORD, RAX, Mem.of(RBX, (int) TrapLanding.RECOVERY_PC));
        asm.mov(QWORD, ucRip, RAX);
        asm.movabs(RAX, state.address() + ShimState.TRAPPED);
        asm.lockAdd(QWORD, Mem.of(RAX), 1);
        popSaved(asm);
        asm.ret();

        asm.bind(chain);
        asm.mov(DWORD, RDI, R12);
        asm.mov(QWORD, RSI, R13);
        asm.mov(QWORD, RDX, R14);
        popSaved(asm);
        asm.movabs(RAX, state.address() + ShimState.CHAINED);
        asm.lockAdd(QWORD, Mem.of(RAX), 1);
        asm.movabs(RAX, state.address() + ShimState.PREVIOUS);
        asm.mov(QWORD, RAX, Mem.of(RAX, RDI, 8, 0));
        asm.cmp(QWORD, RAX, LinuxConstants.SIG_IGN);
        asm.jcc(Cond.BE, restoreDefault);
        asm.jmp(RAX);

        asm.bind(restoreDefault);
        asm.movabs(RSI, state.address() + ShimState.DEFAULT_ACTION);
        asm.xor(DWORD, RDX, RDX);
        asm.mov(DWORD, R10, ShimState.KERNEL_SIGSET_SIZE);
        asm.mov(DWORD, RAX, SYS_RT_SIGACTION);
        asm.syscall();
        asm.ret();
        return shim;
    }

    private static void popSaved(Assembler asm) {
        asm.pop(R14);
        asm.pop(R13);
        asm.pop(R12);
        asm.pop(RBX);
    }
}
