package dev.isthmus.runtime.stack;

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

import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.Registration;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

/**
 * Hand-assembled stand-ins for compiled wasm functions (SysV, integer arguments), mapped once and registered as
 * our code. Addresses are absolute.
 */
final class TestFunctions {
    private static final TestFunctions INSTANCE = new TestFunctions();

    private final CodeMemory code;
    @SuppressWarnings("unused")
    private final Registration registration;

    /** {@code a0 + 2*a1 + 3*a2 + 4*a3}. */
    final long weightedSum;
    /** Returns RSP as seen inside the function (to check the stack switch and alignment). */
    final long stackPointer;
    /** {@code ud2} at offset 0 of the function. */
    final long unreachable;
    /** The address of that {@code ud2}. */
    final long unreachableInstruction;
    /** Infinite recursion: {@code f: call f}. */
    final long recurseForever;
    /** Recursion with a 4 KiB frame touched on the way down (sub rsp + store), forever. */
    final long recurseWithBigFrames;
    /** {@code mov rax, [a0]}: a load from the address in the first argument. */
    final long load;
    /** The address of the load instruction. */
    final long loadInstruction;
    /** Calls the raise stub with trap code a0. */
    final long raise;
    /** The return address of that call (the recorded faultPc). */
    final long raiseReturnAddress;
    /** Clobbers every callee-saved register, then {@code ud2}. */
    final long clobberThenTrap;
    /** {@code depth(n)}: recurses n levels with 64-byte frames and returns n. */
    final long recursionDepth;
    /**
     * {@code callHost(a0, a1, a2, upcall)}: calls {@code upcall(a0, a1, a2, 0)} through the host-call bridge and
     * returns its result plus a0 (kept in rbx across the call, checking that the bridge preserves it).
     */
    final long callHost;

    private TestFunctions() {
        Assembler asm = new Assembler();
        int weightedSumAt = function(asm);
        asm.lea(QWORD, RAX, Mem.of(RDI, RSI, 2, 0));
        asm.imul(QWORD, RDX, RDX, 3);
        asm.add(QWORD, RAX, RDX);
        asm.lea(QWORD, RAX, Mem.of(RAX, RCX, 4, 0));
        asm.ret();

        int stackPointerAt = function(asm);
        asm.mov(QWORD, RAX, RSP);
        asm.ret();

        int unreachableAt = function(asm);
        asm.ud2();

        int recurseAt = function(asm);
        Label self = asm.newLabel();
        asm.bind(self);
        asm.call(self);
        asm.ret();

        int bigFramesAt = function(asm);
        Label big = asm.newLabel();
        asm.bind(big);
        asm.sub(QWORD, RSP, 4096);
        asm.mov(QWORD, Mem.of(RSP), RDI);
        asm.call(big);
        asm.add(QWORD, RSP, 4096);
        asm.ret();

        int loadAt = function(asm);
        asm.mov(QWORD, RAX, Mem.of(RDI));
        asm.ret();

        int raiseAt = function(asm);
        asm.movabs(RAX, RuntimeStubs.get().raiseAddress());
        asm.call(RAX);
        int raiseReturnAt = asm.position();
        asm.ud2();

        int clobberAt = function(asm);
        for (Gpr register : new Gpr[] {RBX, RBP, R12, R13, R14, R15}) {
            asm.mov(QWORD, register, 0x5A5A);
        }
        asm.ud2();

        // depth(n): n == 0 ? 0 : 1 + depth(n - 1), with a 64-byte frame: deep but finite recursion
        int depthAt = function(asm);
        Label depth = asm.newLabel();
        Label zero = asm.newLabel();
        asm.bind(depth);
        asm.test(QWORD, RDI, RDI);
        asm.jcc(Cond.E, zero);
        asm.sub(QWORD, RSP, 56);
        asm.dec(QWORD, RDI);
        asm.call(depth);
        asm.inc(QWORD, RAX);
        asm.add(QWORD, RSP, 56);
        asm.ret();
        asm.bind(zero);
        asm.xor(DWORD, RAX, RAX);
        asm.ret();

        int callHostAt = function(asm);
        asm.push(RBX);
        asm.mov(QWORD, RBX, RDI);
        asm.mov(QWORD, R8, RCX);
        asm.xor(DWORD, RCX, RCX);
        asm.movabs(RAX, RuntimeStubs.get().hostCallAddress());
        asm.call(RAX);
        asm.add(QWORD, RAX, RBX);
        asm.pop(RBX);
        asm.ret();

        code = CodeMemory.of(asm.finish());
        registration = FaultTables.registerCode(code);
        long base = code.address();
        weightedSum = base + weightedSumAt;
        stackPointer = base + stackPointerAt;
        unreachable = base + unreachableAt;
        unreachableInstruction = unreachable;
        recurseForever = base + recurseAt;
        recurseWithBigFrames = base + bigFramesAt;
        load = base + loadAt;
        loadInstruction = load;
        raise = base + raiseAt;
        raiseReturnAddress = base + raiseReturnAt;
        clobberThenTrap = base + clobberAt;
        recursionDepth = base + depthAt;
        callHost = base + callHostAt;
    }

    static TestFunctions get() {
        return INSTANCE;
    }

    private static int function(Assembler asm) {
        asm.align(16);
        return asm.position();
    }
}
