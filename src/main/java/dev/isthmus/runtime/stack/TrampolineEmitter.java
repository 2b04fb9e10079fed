package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.FuncRefLayout;
import dev.isthmus.runtime.abi.ThreadContextLayout;
import static dev.isthmus.x64.Gpr.R11;
import static dev.isthmus.x64.Gpr.R12;
import static dev.isthmus.x64.Gpr.R13;
import static dev.isthmus.x64.Gpr.R14;
import static dev.isthmus.x64.Gpr.R15;
import static dev.isthmus.x64.Gpr.R8;
import static dev.isthmus.x64.Gpr.R9;
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
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.RangeLookupEmitter;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * Emits the entry trampoline, the recovery stub and the explicit-trap stub.
 *
 * <p><b>enter</b> — {@code int enter(long target, EntryRecord* record, long a0, long a1, long a2, long a3)}, called
 * from Java through a downcall: finds this OS thread's context (pthread key), saves the callee-saved registers and
 * the previous entry's state on the Java stack, records the Java RSP in {@code context.landing.resumeRsp}, switches
 * RSP to {@code context.wasmRsp}, calls {@code target(a0, a1, a2, a3)} (SysV), switches back, stores rax in the
 * record and returns 0. Returns -1 without calling anything when the thread has no context yet (Java then attaches
 * one and retries). The wasm stack top is deliberately not an argument: the stack belongs to the OS thread, which
 * Java cannot name under virtual threads; the context holds it (and the host-call bridge moves it for re-entry).
 * The frame it builds on the Java stack:
 *
 * <pre>
 *   Java stack (grows down)                     offset from RSP after the prologue (ENTRY_FRAME)
 *   ┌──────────────────────────────┐
 *   │ return address (downcall)    │ 72
 *   │ rbp                          │ 64
 *   │ rbx                          │ 56
 *   │ r12                          │ 48
 *   │ r13                          │ 40
 *   │ r14                          │ 32
 *   │ r15                          │ 24
 *   │ context                      │ 16
 *   │ previous context.entryRecord │  8
 *   │ previous landing.resumeRsp   │  0   ← RSP (16-byte aligned) = context.landing.resumeRsp
 *   └──────────────────────────────┘
 *   wasm stack: RSP = context.wasmRsp, then "call target" pushes the return address into the trampoline
 * </pre>
 *
 * <p><b>enterGuarded</b> — {@code int enterGuarded(long adapter, EntryRecord* record, FuncRef* funcRef,
 * long* guard, long context)}, the entry of every call from Java into an instance's function: returns
 * {@link #CLOSED} without touching anything else when {@code *guard} is not 0 (the instance is closing, see
 * {@code runtime.instance.ActiveCalls}; the func ref may be freed memory then); takes the context from Java when
 * it is not 0 (a platform thread's, cached from {@code record.context}) and looks it up otherwise, writing it to
 * {@code record.context}; then runs as {@code enter(adapter, record, funcRef.vmctx, funcRef.code, record.buffer,
 * 0)}. The read of the guard comes after the caller's
 * store of its active-call entry: in program order here, and across threads because the closer runs a process-wide
 * barrier between setting the guard and reading the entries (or, where the process cannot, this stub fences).
 *
 * <p><b>enterDirect</b> — {@code R enterDirect(EntryRecord* record, DirectBlock* block, wasm arguments...)}, the
 * entry of a call from Java into an exported function with scalar parameters (at most six integers and eight
 * floats) and at most one scalar result, through a downcall whose descriptor is the function's own signature behind
 * the two pointers ({@code DirectBlock} = {guard word address, func ref address}); a critical downcall for
 * {@code runtime.instance.BoundedLeaf} functions. The wasm convention is SysV plus r15, so the arguments need no
 * buffer and no adapter: the stub moves the integer arguments down by two registers (rdx, rcx, r8, r9 and its two
 * stack arguments become rdi, rsi, rdx, rcx, r8, r9; float arguments stay in xmm0-7), builds the same frame as
 * {@code enter} (a trap leaves through the same recovery and unwind), switches to the wasm stack and calls the
 * function's code with r15 = its vmctx. The result comes back untouched in rax or xmm0. The status goes to
 * {@code record.trapCode}: 0 after a normal return, the trap code after a trap, {@link #CLOSED} when the guard word
 * is set and {@link #NO_CONTEXT} when the record has no context yet (nothing ran in those two cases: Java takes
 * {@code enterGuarded} instead, which looks the context up). A backtrace walk ends at {@code afterDirectCall}.
 *
 * <p><b>recovery</b> — where the signal shim resumes a trapped thread (rdi = context, RSP = resumeRsp): copies
 * the trap's facts from the landing to the record (faultPc, faultAddress, faultSp, faultFp) with the bounds of
 * the entry's part of the wasm stack (stackLimit, and stackTop = context.wasmRsp, where this entry started), and
 * leaves through the same epilogue with status = trap code. The wasm frames are abandoned (nothing on a wasm
 * stack needs unwinding) but left intact: Java walks them right after {@code enter} returns ({@link FrameWalker}),
 * stopping at {@code afterTargetCall}, the return address of the entry's own call.
 *
 * <p><b>raise</b> — {@code call raise} with edi = trap code, from wasm code on a wasm stack: finds the context by
 * looking RSP up in {@link FaultTables#stacks()}, records the trap (faultPc = the caller's return address - 1,
 * inside the call instruction; faultSp = RSP + 8, the caller's RSP before the call; faultFp = rbp) and jumps to
 * recovery. It may also be reached by a {@code jmp} with {@code [rsp]} = a return address (the explicit stack
 * checks at function entries and host exits): the trap is then attributed to that return address's call site. Explicit checks (divide
 * by zero, bounds, ...) use it, so those traps need no signal. It is also the cheap way to implement
 * {@code unreachable}: measured here, a trap through raise costs ~0.35 µs, through SIGSEGV ~3.4 µs and through
 * {@code ud2}/SIGILL ~8 µs (each including the Java exception).
 */
final class TrampolineEmitter {
    private TrampolineEmitter() {
    }

    /** Status {@code enter} returns when the OS thread has no context yet. */
    static final int NO_CONTEXT = -1;
    /** Status {@code enterGuarded} returns, without calling anything, when the guard word is set. */
    static final int CLOSED = -2;

    /** The frame {@code enter} builds on the Java stack, lowest address first. */
    static final StructLayout ENTRY_FRAME = MemoryLayout.structLayout(
            JAVA_LONG.withName("previousResumeRsp"),
            JAVA_LONG.withName("previousEntryRecord"),
            JAVA_LONG.withName("context"),
            JAVA_LONG.withName("r15"),
            JAVA_LONG.withName("r14"),
            JAVA_LONG.withName("r13"),
            JAVA_LONG.withName("r12"),
            JAVA_LONG.withName("rbx"),
            JAVA_LONG.withName("rbp"),
            JAVA_LONG.withName("returnAddress")).withName("entry_frame");

    private static final int PREVIOUS_RESUME_RSP = frameOffset("previousResumeRsp");
    private static final int PREVIOUS_ENTRY_RECORD = frameOffset("previousEntryRecord");
    private static final int CONTEXT = frameOffset("context");
    /** Bytes below the pushed registers: the three slots above. */
    private static final int LOCALS = frameOffset("r15");
    /** Where {@code enterDirect} finds its caller's two stack arguments: above the entry frame and return address. */
    private static final int DIRECT_STACK_ARGUMENTS = Math.toIntExact(ENTRY_FRAME.byteSize());
    /** The direct block's fields: the instance's guard word address, then the function's func ref address. */
    static final StructLayout DIRECT_BLOCK = MemoryLayout.structLayout(
            JAVA_LONG.withName("guard"),
            JAVA_LONG.withName("funcRef")).withName("direct_block");
    static final int DIRECT_GUARD = Math.toIntExact(DIRECT_BLOCK.byteOffset(groupElement("guard")));
    static final int DIRECT_FUNC_REF = Math.toIntExact(DIRECT_BLOCK.byteOffset(groupElement("funcRef")));
    /** Callee-saved registers in push order (the reverse of the layout). */
    private static final Gpr[] SAVED = {RBP, RBX, R12, R13, R14, R15};

    /**
     * What recovery copies from the context to the entry record, as {context offset, record offset}: the trap's
     * facts and the bounds of this entry's part of the wasm stack, for the Java frame walk.
     */
    private static final long[][] TRAP_FACTS = {
            {ThreadContextLayout.FAULT_PC, EntryRecord.FAULT_PC},
            {ThreadContextLayout.FAULT_ADDRESS, EntryRecord.FAULT_ADDRESS},
            {ThreadContextLayout.FAULT_SP, EntryRecord.FAULT_SP},
            {ThreadContextLayout.FAULT_FP, EntryRecord.FAULT_FP},
            {ThreadContextLayout.STACK_LIMIT, EntryRecord.STACK_LIMIT},
            {ThreadContextLayout.WASM_RSP, EntryRecord.STACK_TOP}};

    /** Entry points of the emitted code, as labels in the assembler's buffer. */
    record Labels(Label enter, Label enterGuarded, Label enterDirect, Label recovery, Label raise,
                  Label afterTargetCall, Label afterDirectCall) {
    }

    /**
     * @param fenceBeforeGuard whether {@code enterGuarded} must order the caller's earlier stores before its read of
     *     the guard word with a locked instruction (when the process cannot make the closer's side pay for it:
     *     {@link dev.isthmus.os.MemoryBarriers#processWideAvailable()})
     */
    static Labels emit(Assembler asm, int pthreadKey, long pthreadGetspecific, boolean fenceBeforeGuard) {
        checkFrameMatchesPushes();
        Label lookup = RangeLookupEmitter.emit(asm);
        Label enter = asm.newLabel();
        Label recovery = asm.newLabel();
        Label raise = asm.newLabel();
        Label unwind = asm.newLabel();
        Label noContext = asm.newLabel();
        Label notOnWasmStack = asm.newLabel();
        Label afterTargetCall = asm.newLabel();
        Label enterGuarded = asm.newLabel();
        Label withContext = asm.newLabel();
        Label closed = asm.newLabel();
        Label enterDirect = asm.newLabel();
        Label afterDirectCall = asm.newLabel();
        Label directClosed = asm.newLabel();
        Label directNoContext = asm.newLabel();

        // ---- enter(rdi = target, rsi = record, rdx = a0, rcx = a1, r8 = a2, r9 = a3)
        asm.align(16);
        asm.bind(enter);
        prologue(asm);                                        // RSP ≡ 0 mod 16 from here on
        asm.mov(QWORD, R12, RDI);                             // target
        asm.mov(QWORD, R13, RSI);                             // record
        asm.mov(QWORD, R14, RDX);
        asm.mov(QWORD, R15, RCX);
        asm.mov(QWORD, RBX, R8);
        asm.mov(QWORD, RBP, R9);
        asm.mov(DWORD, RDI, pthreadKey);
        asm.movabs(RAX, pthreadGetspecific);
        asm.call(RAX);                                        // rax = this OS thread's context, or 0
        asm.test(QWORD, RAX, RAX);
        asm.jcc(Cond.E, noContext);
        asm.mov(QWORD, field(R13, EntryRecord.CONTEXT), RAX);  // for Java to pass next time (platform threads)
        asm.bind(withContext);                                // rax = context, r12 = target, r13 = record
        linkEntry(asm, RAX, R13, RCX);
        asm.mov(QWORD, RDI, R14);
        asm.mov(QWORD, RSI, R15);
        asm.mov(QWORD, RDX, RBX);
        asm.mov(QWORD, RCX, RBP);
        asm.mov(QWORD, RBX, RAX);                             // rbx = context (callee-saved across the call)
        asm.mov(QWORD, RSP, field(RBX, ThreadContextLayout.WASM_RSP));
        asm.call(R12);
        asm.bind(afterTargetCall);                            // the return address that ends a backtrace walk
        asm.mov(QWORD, RSP, field(RBX, ThreadContextLayout.RESUME_RSP));
        asm.mov(QWORD, RCX, field(RBX, ThreadContextLayout.ENTRY_RECORD));
        asm.mov(QWORD, field(RCX, EntryRecord.RESULT), RAX);
        asm.xor(DWORD, RAX, RAX);
        asm.mov(DWORD, field(RCX, EntryRecord.TRAP_CODE), RAX);

        // ---- unwind: rbx = context, RSP = the entry frame, eax = status
        asm.bind(unwind);
        asm.mov(QWORD, RCX, Mem.of(RSP, PREVIOUS_RESUME_RSP));
        asm.mov(QWORD, field(RBX, ThreadContextLayout.RESUME_RSP), RCX);
        asm.mov(QWORD, RCX, Mem.of(RSP, PREVIOUS_ENTRY_RECORD));
        asm.mov(QWORD, field(RBX, ThreadContextLayout.ENTRY_RECORD), RCX);
        epilogue(asm);

        asm.bind(noContext);
        asm.mov(DWORD, RAX, NO_CONTEXT);
        epilogue(asm);

        // ---- enterGuarded(rdi = adapter, rsi = record, rdx = funcRef, rcx = guard, r8 = context or 0):
        //      adapter(funcRef.vmctx, funcRef.code, record.buffer, 0), refused (CLOSED) when [guard] != 0
        asm.align(16);
        asm.bind(enterGuarded);
        prologue(asm);
        asm.mov(QWORD, R12, RDI);
        asm.mov(QWORD, R13, RSI);
        if (fenceBeforeGuard) asm.mfence();                   // the caller's active-call store before the read
        asm.alu(AluOp.CMP, QWORD, Mem.of(RCX), 0);
        asm.jcc(Cond.NE, closed);
        asm.mov(QWORD, R14, field(RDX, FuncRefLayout.VMCTX)); // the func ref lives as long as the guard is open
        asm.mov(QWORD, R15, field(RDX, FuncRefLayout.CODE));
        asm.mov(QWORD, RBX, field(R13, EntryRecord.BUFFER));
        asm.xor(DWORD, RBP, RBP);
        asm.mov(QWORD, RAX, R8);
        asm.test(QWORD, RAX, RAX);
        asm.jcc(Cond.NE, withContext);
        asm.mov(DWORD, RDI, pthreadKey);
        asm.movabs(RAX, pthreadGetspecific);
        asm.call(RAX);
        asm.test(QWORD, RAX, RAX);
        asm.jcc(Cond.E, noContext);
        asm.mov(QWORD, field(R13, EntryRecord.CONTEXT), RAX);
        asm.jmp(withContext);
        asm.bind(closed);
        asm.mov(DWORD, RAX, CLOSED);
        epilogue(asm);

        // ---- enterDirect(rdi = record, rsi = block, rdx, rcx, r8, r9, [stack] x2 = integer arguments; xmm0-7 floats)
        asm.align(16);
        asm.bind(enterDirect);
        prologue(asm);
        asm.mov(QWORD, RBX, field(RDI, EntryRecord.CONTEXT)); // rbx = context (callee-saved across the call)
        asm.test(QWORD, RBX, RBX);
        asm.jcc(Cond.E, directNoContext);
        asm.mov(QWORD, RAX, Mem.of(RSI, DIRECT_GUARD));
        asm.alu(AluOp.CMP, QWORD, Mem.of(RAX), 0);
        asm.jcc(Cond.NE, directClosed);
        asm.mov(QWORD, RAX, Mem.of(RSI, DIRECT_FUNC_REF));     // the func ref lives as long as the guard is open
        asm.mov(QWORD, R15, field(RAX, FuncRefLayout.VMCTX));
        asm.mov(QWORD, R11, field(RAX, FuncRefLayout.CODE));
        linkEntry(asm, RBX, RDI, RAX);
        asm.mov(QWORD, RDI, RDX);
        asm.mov(QWORD, RSI, RCX);
        asm.mov(QWORD, RDX, R8);
        asm.mov(QWORD, RCX, R9);
        asm.mov(QWORD, R8, Mem.of(RSP, DIRECT_STACK_ARGUMENTS));
        asm.mov(QWORD, R9, Mem.of(RSP, DIRECT_STACK_ARGUMENTS + 8));
        asm.mov(QWORD, RSP, field(RBX, ThreadContextLayout.WASM_RSP));
        asm.call(R11);
        asm.bind(afterDirectCall);                            // where a backtrace walk of a direct entry ends
        asm.mov(QWORD, RSP, field(RBX, ThreadContextLayout.RESUME_RSP));
        asm.mov(QWORD, RCX, field(RBX, ThreadContextLayout.ENTRY_RECORD));
        asm.mov(DWORD, field(RCX, EntryRecord.TRAP_CODE), 0);
        asm.jmp(unwind);                                      // rax / xmm0 (the function's result) untouched
        asm.bind(directNoContext);
        asm.mov(DWORD, field(RDI, EntryRecord.TRAP_CODE), NO_CONTEXT);
        epilogue(asm);
        asm.bind(directClosed);
        asm.mov(DWORD, field(RDI, EntryRecord.TRAP_CODE), CLOSED);
        epilogue(asm);

        // ---- recovery(rdi = context): entered from the shim (via sigreturn) or from raise
        asm.align(16);
        asm.bind(recovery);
        asm.mov(QWORD, RBX, RDI);
        asm.mov(QWORD, RSP, field(RBX, ThreadContextLayout.RESUME_RSP));
        asm.mov(QWORD, RCX, field(RBX, ThreadContextLayout.ENTRY_RECORD));
        for (long[] copy : TRAP_FACTS) {
            asm.mov(QWORD, RDX, field(RBX, copy[0]));
            asm.mov(QWORD, field(RCX, copy[1]), RDX);
        }
        asm.mov(DWORD, RAX, field(RBX, ThreadContextLayout.TRAP_CODE));
        asm.mov(DWORD, field(RCX, EntryRecord.TRAP_CODE), RAX);
        asm.jmp(unwind);

        // ---- raise(edi = trap code), called from wasm code; rbp is still the caller's frame pointer
        asm.align(16);
        asm.bind(raise);
        asm.lea(QWORD, R13, Mem.of(RSP, 8));                  // the caller's RSP before its call
        asm.mov(DWORD, R12, RDI);
        asm.mov(QWORD, RDI, RSP);
        asm.movabs(RSI, FaultTables.stacks().address());
        asm.call(lookup);
        asm.test(DWORD, RDX, RDX);
        asm.jcc(Cond.E, notOnWasmStack);
        asm.mov(QWORD, RBX, RAX);
        asm.mov(DWORD, field(RBX, ThreadContextLayout.TRAP_CODE), R12);
        asm.mov(QWORD, RAX, Mem.of(RSP));
        asm.dec(QWORD, RAX);                                  // inside the call instruction
        asm.mov(QWORD, field(RBX, ThreadContextLayout.FAULT_PC), RAX);
        asm.mov(QWORD, field(RBX, ThreadContextLayout.FAULT_ADDRESS), 0);
        asm.mov(QWORD, field(RBX, ThreadContextLayout.FAULT_FP), RBP);
        asm.mov(QWORD, field(RBX, ThreadContextLayout.FAULT_SP), R13);
        asm.mov(QWORD, RDI, RBX);
        asm.jmp(recovery);
        asm.bind(notOnWasmStack);
        asm.ud2();                                            // a bug: reaches the JVM's crash report
        return new Labels(enter, enterGuarded, enterDirect, recovery, raise, afterTargetCall, afterDirectCall);
    }

    /**
     * Links an entry into the thread's chain, with RSP at the entry frame: keeps {@code context}'s resume RSP and
     * entry record in the frame (the unwind puts them back) and makes them this entry's.
     */
    private static void linkEntry(Assembler asm, Gpr context, Gpr record, Gpr scratch) {
        asm.mov(QWORD, Mem.of(RSP, CONTEXT), context);
        asm.mov(QWORD, scratch, field(context, ThreadContextLayout.RESUME_RSP));
        asm.mov(QWORD, Mem.of(RSP, PREVIOUS_RESUME_RSP), scratch);
        asm.mov(QWORD, scratch, field(context, ThreadContextLayout.ENTRY_RECORD));
        asm.mov(QWORD, Mem.of(RSP, PREVIOUS_ENTRY_RECORD), scratch);
        asm.mov(QWORD, field(context, ThreadContextLayout.ENTRY_RECORD), record);
        asm.mov(QWORD, field(context, ThreadContextLayout.RESUME_RSP), RSP);
    }

    /** Builds the entry frame ({@link #ENTRY_FRAME}): pushes the callee-saved registers, reserves the three slots. */
    private static void prologue(Assembler asm) {
        for (Gpr register : SAVED) {
            asm.push(register);
        }
        asm.sub(QWORD, RSP, LOCALS);
    }

    private static void epilogue(Assembler asm) {
        asm.add(QWORD, RSP, LOCALS);
        for (int i = SAVED.length - 1; i >= 0; i--) {
            asm.pop(SAVED[i]);
        }
        asm.ret();
    }

    private static Mem field(Gpr base, long offset) {
        return Mem.of(base, Math.toIntExact(offset));
    }

    private static int frameOffset(String name) {
        return Math.toIntExact(ENTRY_FRAME.byteOffset(groupElement(name)));
    }

    /** The layout must describe exactly what the prologue pushes, and keep RSP 16-byte aligned. */
    private static void checkFrameMatchesPushes() {
        if (frameOffset("returnAddress") != LOCALS + 8 * SAVED.length || ENTRY_FRAME.byteSize() % 16 != 0
                || frameOffset("r15") != LOCALS || frameOffset("rbp") != LOCALS + 8 * (SAVED.length - 1)) {
            throw new IllegalStateException("entry frame layout does not match the prologue");
        }
    }
}
