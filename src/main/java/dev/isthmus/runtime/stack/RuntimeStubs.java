package dev.isthmus.runtime.stack;

import dev.isthmus.os.MemoryBarriers;
import dev.isthmus.os.NativeCall;
import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.signal.SignalShim;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Label;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The process-wide machine code of the execution runtime, built once: the entry trampoline, the recovery and raise
 * stubs ({@link TrampolineEmitter}), the host-call bridge ({@link HostCallEmitter}) and the thread hooks
 * ({@link ThreadHooksEmitter}). Building it also installs
 * the {@link SignalShim} and registers this code in {@link FaultTables#code()} (the raise stub may fault on a stack
 * guard and must be recognised as ours).
 *
 * <pre>
 *   exit hook code (own mapping)   → pthread key (destructor = exit hook) → stubs code: lookup, enter,
 *                                                                            recovery, raise, attach, hostCall
 * </pre>
 */
public final class RuntimeStubs {
    /**
     * {@code int enter(long target, EntryRecord* record, long a0, long a1, long a2, long a3)}, linked with the shared
     * {@link NativeCall#DESCRIPTOR} shape (the record as its address, the status as the low 32 bits of the result).
     */
    static final FunctionDescriptor ENTER_DESCRIPTOR = NativeCall.DESCRIPTOR;
    /** {@code long attach(long context)}, linked with the shared {@link NativeCall#DESCRIPTOR} shape (5 zero pads). */
    static final FunctionDescriptor ATTACH_DESCRIPTOR = NativeCall.DESCRIPTOR;

    private static final RuntimeStubs INSTANCE = new RuntimeStubs();

    private final CodeMemory exitHookCode;
    private final CodeMemory stubsCode;
    private final int pthreadKey;
    private final MethodHandle enter;
    private final MethodHandle enterGuarded;
    private final MethodHandle enterGuardedCritical;
    private final MethodHandle attach;
    private final long recoveryAddress;
    private final long raiseAddress;
    private final long hostCallAddress;
    private final long afterTargetCallAddress;
    private final long afterDirectCallAddress;
    private final long enterDirectOffset;
    /** Downcall handles of {@code enterDirect}, one per signature (descriptor) asked for: ordinary, critical. */
    private final java.util.concurrent.ConcurrentHashMap<FunctionDescriptor, MethodHandle> directEntries =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<FunctionDescriptor, MethodHandle> criticalDirectEntries =
            new java.util.concurrent.ConcurrentHashMap<>();

    private RuntimeStubs() {
        SignalShim.install();
        Assembler hookAssembler = new Assembler();
        Label exitHook = ThreadHooksEmitter.emitExitHook(hookAssembler);
        exitHookCode = CodeMemory.of(hookAssembler.finish());
        pthreadKey = PthreadKey.create(exitHookCode.address() + exitHook.position());

        ThreadHooksEmitter.LibcCalls libc = ThreadHooksEmitter.LibcCalls.lookUp();
        Assembler asm = new Assembler();
        TrampolineEmitter.Labels trampoline = TrampolineEmitter.emit(asm, pthreadKey, libc.getspecific(),
                !MemoryBarriers.processWideAvailable());
        Label attachLabel = ThreadHooksEmitter.emitAttach(asm, pthreadKey, libc);
        Label hostCallLabel = HostCallEmitter.emit(asm, trampoline.raise());
        stubsCode = CodeMemory.of(asm.finish());
        FaultTables.registerCode(stubsCode);
        enter = stubsCode.entry(trampoline.enter().position(), ENTER_DESCRIPTOR);
        enterGuarded = stubsCode.entry(trampoline.enterGuarded().position(), ENTER_DESCRIPTOR);
        enterGuardedCritical = stubsCode.entry(trampoline.enterGuarded().position(), ENTER_DESCRIPTOR,
                Linker.Option.critical(false));
        attach = stubsCode.entry(attachLabel.position(), ATTACH_DESCRIPTOR);
        recoveryAddress = stubsCode.address() + trampoline.recovery().position();
        raiseAddress = stubsCode.address() + trampoline.raise().position();
        hostCallAddress = stubsCode.address() + hostCallLabel.position();
        afterTargetCallAddress = stubsCode.address() + trampoline.afterTargetCall().position();
        enterDirectOffset = trampoline.enterDirect().position();
        afterDirectCallAddress = stubsCode.address() + trampoline.afterDirectCall().position();
    }

    /** The stubs, built on first use. */
    public static RuntimeStubs get() {
        return INSTANCE;
    }

    /** The downcall handle of the entry trampoline ({@link #ENTER_DESCRIPTOR}). */
    MethodHandle enter() {
        return enter;
    }

    /**
     * The downcall handle of {@code int enterGuarded(adapter, record, funcRef, guard, context)}
     * ({@link #ENTER_DESCRIPTOR} shape; {@link TrampolineEmitter}).
     */
    MethodHandle enterGuarded() {
        return enterGuarded;
    }

    /**
     * {@link #enterGuarded()} linked as a critical downcall (the thread stays in the Java state: no transition, no
     * safepoint on the way back), for functions that finish quickly and never reach Java
     * ({@code runtime.instance.BoundedLeaf}).
     */
    MethodHandle enterGuardedCritical() {
        return enterGuardedCritical;
    }

    /**
     * The downcall handle of {@code enterDirect} ({@link TrampolineEmitter}) for one signature: {@code descriptor} =
     * the record and direct block addresses (two {@code JAVA_LONG}s), then the function's own parameters and result
     * as the wasm convention passes them. Made once per descriptor and kind.
     *
     * @param critical whether to link it as a critical downcall (bounded leaf functions only)
     */
    MethodHandle enterDirect(FunctionDescriptor descriptor, boolean critical) {
        if (critical) {
            return criticalDirectEntries.computeIfAbsent(descriptor,
                    d -> stubsCode.entry(enterDirectOffset, d, Linker.Option.critical(false)));
        }
        return directEntries.computeIfAbsent(descriptor, d -> stubsCode.entry(enterDirectOffset, d));
    }

    /** The downcall handle of {@code attach} ({@link #ATTACH_DESCRIPTOR}). */
    MethodHandle attach() {
        return attach;
    }

    /** Where the shim resumes a trapped thread; stored in every context's landing. */
    public long recoveryAddress() {
        return recoveryAddress;
    }

    /**
     * The explicit-trap stub for generated code: {@code mov edi, TrapCode.code(); call raise}. Only from code
     * running on a wasm stack (inside an entry); never returns.
     */
    public long raiseAddress() {
        return raiseAddress;
    }

    /**
     * The host-call bridge for generated code ({@link HostCallEmitter}): {@code call hostCall} with the host
     * function's arguments in rdi, rsi, rdx, rcx and its upcall stub address in r8; the result comes back in rax.
     * Only from code running on a wasm stack.
     */
    public long hostCallAddress() {
        return hostCallAddress;
    }

    /**
     * The return address of the entry trampoline's call of its target: the outermost return address on every
     * entry's part of a wasm stack, where a backtrace walk ends.
     */
    public long afterTargetCallAddress() {
        return afterTargetCallAddress;
    }

    /** The return address of {@code enterDirect}'s call of its function, where a backtrace walk of it ends. */
    public long afterDirectCallAddress() {
        return afterDirectCallAddress;
    }

    /** Whether {@code returnAddress} is one of the entries' own calls: where a walk of wasm frames ends. */
    public boolean isEntryReturn(long returnAddress) {
        return returnAddress == afterTargetCallAddress || returnAddress == afterDirectCallAddress;
    }

    /** The pthread key whose value is each OS thread's context. */
    public int pthreadKey() {
        return pthreadKey;
    }

    /** The stubs' code (for listings and tests). */
    public CodeMemory code() {
        return stubsCode;
    }
}
