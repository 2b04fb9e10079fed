package dev.isthmus.runtime.instance;

import dev.isthmus.model.ValType;
import dev.isthmus.os.NativeHeap;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.code.CodeRange;
import dev.isthmus.runtime.code.CodeRegistry;
import dev.isthmus.runtime.host.HostBridge;
import dev.isthmus.runtime.host.PendingThrowable;
import dev.isthmus.runtime.host.ThrowSignal;
import dev.isthmus.runtime.stack.RuntimeStubs;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import dev.isthmus.runtime.trap.HandlerSource;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.OperandSize;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Throwing and catching wasm exceptions, with nothing on the path that does not throw: compiled code records, per
 * function, its try ranges and landing pads in its unwind table ({@link FrameUnwind#handlers()}); only a throw
 * runs anything, and it runs this.
 *
 * <pre>
 *   throw $t:   payload values in consecutive operand slots (descending addresses, slotBytes apart)
 *               mov rdi, r15; mov rsi, tag | slotBytes &lt;&lt; 32; lea rdx, [first payload slot]; call [r15 + throwStub]
 *   throw_ref:  rsi = -1, rdx = the exnref handle          host function threw a wasm exception: rsi = -2 (parked)
 *
 *   throwStub:  test esp, WINDOW_MASK; jz exhausted
 *               push rbp, rbx, r12, r13, r14, r15           S: the thrower's callee-saved registers, [S+48] = return
 *               sub rsp, 24                                R: resume record {rsp, pc, payload buffer}
 *               rcx = R; hostCall(dispatch)                dispatch runs on the Java stack (the host-call bridge)
 *               eax == 0: load rbx, rbp, r12-r15 from S, rax = payload buffer, rsp = [R], jmp [R+8]   (caught)
 *               else:     pop everything; mov edi, eax; jmp raise                       (uncaught, or a trap)
 *
 *   dispatch:   pc = [S+48], sp = S+56, registers from S
 *               for each frame (its code's unwind step at pc-1):
 *                   vmctx = the frame's r15 (its saved copy when it saved r15)
 *                   a try range of the function covers pc-1 and a clause matches (tag identity, or catch_all)?
 *                       → resume at the landing pad with rsp = sp and the registers as they are now
 *                   else restore the registers the frame saved (FrameUnwind.withSaved), rbp, then
 *                       pc = [CFA-8], sp = CFA; the entry trampoline's return address → uncaught
 * </pre>
 *
 * The landing pad (emitted by the tier after the function's body) finds rsp, rbp and the callee-saved registers as
 * the frame had them at the call, reloads r15 from its frame when it saved it, and takes the values the clause
 * delivers from the buffer in rax: 16 bytes per value (payload in the tag's order, then the exnref for the
 * {@code _ref} clauses). The buffer is per thread and read by the pad before anything else can throw.
 *
 * <p>Uncaught, the exception is parked as a {@link ThrowSignal} and the throw site raises the host-function trap
 * status: the entry's caller finds the parked signal and the API throws its exception type (a host function calling
 * wasm sees it; if it lets it escape, the bridge returns {@link HostBridge#THROW} and the host record's raise entry
 * ({@link #raiseOrThrowAddress()}) throws it on from the host call site, so the wasm frames around it can catch it).
 * A trap is never an exception: traps unwind through {@code raise} and no handler sees them.
 */
public final class ExceptionDispatch {
    private ExceptionDispatch() {
    }

    private static final int SAVED = 6;
    private static final int RECORD = 24;
    /** Encodings of the registers the stub saves, in push order (rbp first); [S + 8k] holds them in reverse. */
    private static final Gpr[] PUSHED = {Gpr.RBP, Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R14, Gpr.R15};
    private static final int RBP = 5;
    private static final int R15 = 15;

    private static final long THROW_ADDRESS;
    private static final long RAISE_OR_THROW_ADDRESS;

    /** Per-thread buffer for the values a landing pad takes (grown when a payload needs more). */
    private static final ThreadLocal<MemorySegment> BUFFERS = new ThreadLocal<>();

    static {
        try {
            long upcall = StubCode.upcall(MethodHandles.lookup(), ExceptionDispatch.class, "dispatch");
            long raise = RuntimeStubs.get().raiseAddress();
            Assembler asm = new Assembler();
            FrameUnwind.Builder unwind = new FrameUnwind.Builder();
            long atEntry = FrameUnwind.step(false, 8, false);
            Label exhausted = asm.newLabel();
            Label trap = asm.newLabel();
            Label throwEntry = asm.newLabel();
            asm.bind(throwEntry);
            int throwAt = asm.position();
            unwind.at(throwAt, atEntry);
            asm.test(OperandSize.DWORD, Gpr.RSP, StackGeometry.WINDOW_MASK);
            asm.jcc(Cond.E, exhausted);
            int cfa = 8;
            for (Gpr r : PUSHED) {
                asm.push(r);
                cfa += 8;
                unwind.at(asm.position(), FrameUnwind.step(false, cfa, false));
            }
            asm.sub(OperandSize.QWORD, Gpr.RSP, RECORD);
            unwind.at(asm.position(), FrameUnwind.step(false, cfa + RECORD, false));
            asm.mov(OperandSize.QWORD, Gpr.RCX, Gpr.RSP);
            asm.movabs(Gpr.R8, upcall);
            asm.movabs(Gpr.RAX, RuntimeStubs.get().hostCallAddress());
            asm.call(Gpr.RAX);
            asm.test(OperandSize.DWORD, Gpr.RAX, Gpr.RAX);
            asm.jcc(Cond.NE, trap);
            // caught: the registers the dispatch wrote, then the landing pad's rsp and address
            asm.mov(OperandSize.QWORD, Gpr.R11, Mem.of(Gpr.RSP, 8));
            asm.mov(OperandSize.QWORD, Gpr.RAX, Mem.of(Gpr.RSP, 16));
            for (int k = 0; k < SAVED; k++) {
                asm.mov(OperandSize.QWORD, PUSHED[SAVED - 1 - k], Mem.of(Gpr.RSP, RECORD + 8 * k));
            }
            asm.mov(OperandSize.QWORD, Gpr.RSP, Mem.of(Gpr.RSP, 0));
            asm.jmp(Gpr.R11);
            asm.bind(trap);                                     // uncaught (parked) or a trap: at the throw site
            asm.add(OperandSize.QWORD, Gpr.RSP, RECORD);
            for (int k = SAVED - 1; k >= 0; k--) asm.pop(PUSHED[k]);
            unwind.at(asm.position(), atEntry);
            asm.mov(OperandSize.DWORD, Gpr.RDI, Gpr.RAX);
            asm.movabs(Gpr.RAX, raise);
            asm.jmp(Gpr.RAX);
            asm.bind(exhausted);
            asm.mov(OperandSize.DWORD, Gpr.RDI, TrapCode.CALL_STACK_EXHAUSTED.code());
            asm.movabs(Gpr.RAX, raise);
            asm.jmp(Gpr.RAX);
            // the raise entry of host records: a host function's wasm exception is thrown on, anything else traps
            asm.align(16);
            int raiseOrThrowAt = asm.position();
            unwind.at(raiseOrThrowAt, atEntry);
            Label notThrow = asm.newLabel();
            asm.cmp(OperandSize.DWORD, Gpr.RDI, HostBridge.THROW);
            asm.jcc(Cond.NE, notThrow);
            asm.mov(OperandSize.QWORD, Gpr.RSI, -2);
            asm.jmp(throwEntry);
            asm.bind(notThrow);
            asm.movabs(Gpr.RAX, raise);
            asm.jmp(Gpr.RAX);
            CodeMemory code = StubCode.install(asm.finish(), unwind.build());
            THROW_ADDRESS = code.address() + throwAt;
            RAISE_OR_THROW_ADDRESS = code.address() + raiseOrThrowAt;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The stub compiled code calls for throw and throw_ref ({@code [vmctx + throwStub]}). */
    public static long throwAddress() {
        return THROW_ADDRESS;
    }

    /** The raise entry of host records: throws a host function's wasm exception on, raises anything else. */
    public static long raiseOrThrowAddress() {
        return RAISE_OR_THROW_ADDRESS;
    }

    /** The upcall: never throws. 0: resume at the landing pad the record names; else the trap code to raise. */
    private static long dispatch(long vmctx, long op, long payload, long record) {
        try {
            ExceptionObject exception;
            int kind = (int) op;
            if (kind >= 0) {
                TagInstance tag = RuntimeInstance.ofContext(vmctx).tags[kind];
                long slotBytes = op >>> 32;
                List<ValType> types = tag.type().params();
                long[] words = new long[2 * types.size()];
                for (int i = 0; i < types.size(); i++) {
                    long at = payload - i * slotBytes;
                    words[2 * i] = NativeHeap.getLong(at);
                    if (types.get(i) == ValType.V128) words[2 * i + 1] = NativeHeap.getLong(at + 8);
                }
                exception = new ExceptionObject(tag, words);
            } else if (kind == -1) {
                if (payload == 0) return TrapCode.NULL_REFERENCE.code();
                exception = ExnRefs.object(payload);
            } else {
                Throwable parked = PendingThrowable.take();
                exception = (ExceptionObject) ThrowSignal.exceptionOf(parked);
                if (exception == null) throw new IllegalStateException("no wasm exception parked");
            }
            if (unwind(exception, record)) return 0;
            PendingThrowable.park(new ThrowSignal(exception));
            return HostBridge.THREW;
        } catch (StackOverflowError e) {
            return HostBridge.STACK_EXHAUSTED;
        } catch (Throwable t) {
            try {
                PendingThrowable.park(t);
            } catch (Throwable ignored) {
                // the trap still unwinds
            }
            return HostBridge.THREW;
        }
    }

    /** Finds the handler of {@code exception} from the throw site the stub recorded; true when one was found. */
    private static boolean unwind(ExceptionObject exception, long record) {
        long saved = record + RECORD;
        long[] regs = new long[16];
        for (int k = 0; k < SAVED; k++) {
            regs[PUSHED[SAVED - 1 - k].encoding()] = NativeHeap.getLong(saved + 8L * k);
        }
        long pc = NativeHeap.getLong(saved + 8L * SAVED);
        long sp = saved + 8L * (SAVED + 1);
        long top = StackGeometry.topOf(StackGeometry.baseOf(record));
        RuntimeStubs stubs = RuntimeStubs.get();
        CodeRegistry registry = CodeRegistry.global();
        while (true) {
            CodeRange range = registry.lookup(pc - 1);
            if (range == null || !(range.owner() instanceof FrameUnwindSource source)) return false;
            long step = source.unwindStepAt(pc - 1);
            if (step == FrameUnwindSource.NO_STEP) return false;
            long cfa = (FrameUnwind.fromRbp(step) ? regs[RBP] : sp) + FrameUnwind.cfaOffset(step);
            if ((cfa & 7) != 0 || cfa <= sp || cfa > top) return false;
            if (range.owner() instanceof HandlerSource handlers) {
                HandlerSource.FunctionAt function = handlers.functionAt(pc - 1);
                if (function != null && function.table().handlers().length > 0) {
                    long vmctx = regs[R15];
                    for (int i = 0; i < FrameUnwind.savedCount(step); i++) {
                        if (FrameUnwind.savedRegister(step, i) == R15) {
                            vmctx = NativeHeap.getLong(cfa + FrameUnwind.savedOffset(step, i));
                        }
                    }
                    int[] clause = find(function.table().handlers(), (int) (pc - 1 - function.entry()), exception,
                            vmctx);
                    if (clause != null) {
                        resume(record, sp, regs, function.entry() + clause[1], exception, clause[0]);
                        return true;
                    }
                }
            }
            for (int i = 0; i < FrameUnwind.savedCount(step); i++) {
                regs[FrameUnwind.savedRegister(step, i)] = NativeHeap.getLong(cfa + FrameUnwind.savedOffset(step, i));
            }
            if (FrameUnwind.rbpSaved(step)) regs[RBP] = NativeHeap.getLong(cfa - 16);
            long ret = NativeHeap.getLong(cfa - 8);
            sp = cfa;
            pc = ret;
            if (stubs.isEntryReturn(ret)) return false;
        }
    }

    /**
     * The clause of {@code handlers} (see {@link FrameUnwind#handlers()}) that catches {@code exception} at code
     * offset {@code offset}: {kind, landing pad offset}, or null.
     */
    private static int[] find(int[] handlers, int offset, ExceptionObject exception, long vmctx) {
        RuntimeInstance instance = null;
        java.util.List<Integer> entries = new java.util.ArrayList<>();
        for (int i = 0; i < handlers.length; i += 3 + 3 * handlers[i + 2]) entries.add(i);
        int e = 0;
        boolean named = false;                                  // the entry was named by a DELEGATE clause
        scan:
        while (e < entries.size()) {
            int current = e;
            int i = entries.get(e++);
            int start = handlers[i], end = handlers[i + 1], count = handlers[i + 2];
            int clauses = i + 3;
            if (!named && (offset < start || offset >= end)) continue;
            named = false;
            for (int c = clauses; c < clauses + 3 * count; c += 3) {
                int kind = handlers[c];
                if (kind == FrameUnwind.DELEGATE) {
                    int next = handlers[c + 1];
                    if (next < 0) return null;                  // delegated to the caller
                    if (next <= current) throw new IllegalStateException("handler table: delegate to range " + next
                            + " from range " + current);
                    e = next;                                   // that try's clauses come next, wherever it is
                    named = true;
                    continue scan;
                }
                if (kind == FrameUnwind.CATCH || kind == FrameUnwind.CATCH_REF) {
                    if (instance == null) instance = RuntimeInstance.ofContext(vmctx);
                    if (instance.tags[handlers[c + 1]] != exception.tag()) continue;
                }
                return new int[] {kind, handlers[c + 2]};
            }
        }
        return null;
    }

    /** Writes the resume record and the pad's values: the stub jumps to {@code pad} with these registers. */
    private static void resume(long record, long sp, long[] regs, long pad, ExceptionObject exception, int kind) {
        boolean withPayload = kind == FrameUnwind.CATCH || kind == FrameUnwind.CATCH_REF;
        boolean withRef = kind == FrameUnwind.CATCH_REF || kind == FrameUnwind.CATCH_ALL_REF;
        int values = (withPayload ? exception.tag().type().params().size() : 0) + (withRef ? 1 : 0);
        MemorySegment buffer = BUFFERS.get();
        if (buffer == null || buffer.byteSize() < 16L * Math.max(values, 1)) {
            buffer = Arena.ofAuto().allocate(16L * Math.max(values, 8), 16);
            BUFFERS.set(buffer);
        }
        int n = 0;
        if (withPayload) {
            for (; n < exception.tag().type().params().size(); n++) {
                buffer.set(JAVA_LONG, 16L * n, exception.word(2 * n));
                buffer.set(JAVA_LONG, 16L * n + 8, exception.word(2 * n + 1));
            }
        }
        if (withRef) {
            buffer.set(JAVA_LONG, 16L * n, ExnRefs.handle(exception));
            buffer.set(JAVA_LONG, 16L * n + 8, 0);
        }
        NativeHeap.putLong(record, sp);
        NativeHeap.putLong(record + 8, pad);
        NativeHeap.putLong(record + 16, buffer.address());
        long saved = record + RECORD;
        for (int k = 0; k < SAVED; k++) NativeHeap.putLong(saved + 8L * k, regs[PUSHED[SAVED - 1 - k].encoding()]);
    }
}
