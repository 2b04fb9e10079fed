package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.code.CodeRange;
import dev.isthmus.runtime.code.CodeRegistry;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapFrame;
import dev.isthmus.runtime.trap.WasmFrameSource;
import dev.isthmus.runtime.trap.TrapException;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs machine code on the calling thread's wasm stack, turning traps into {@link TrapException}.
 *
 * <p>{@code target} must follow the SysV calling convention with up to four integer arguments
 * ({@code rdi, rsi, rdx, rcx}) and an integer result in {@code rax}, and lie in a range registered in
 * {@link dev.isthmus.runtime.signal.FaultTables#code()} (otherwise its faults are not recognised as traps and reach
 * the JVM). Traps: a fault on a registered fault region (e.g. the stack guard), {@code ud2} ("unreachable"), or a
 * call to {@link RuntimeStubs#raiseAddress()}. The trap's backtrace is walked by {@link FrameWalker} right after
 * the trap (with the unwind tables of the code's owners, {@link dev.isthmus.runtime.trap.FrameUnwindSource}) and
 * mapped through the {@link WasmFrameSource} that owns each code range.
 */
public final class WasmCall {
    private WasmCall() {
    }

    private static final MethodHandle ENTER = RuntimeStubs.get().enter();
    private static final MethodHandle ENTER_GUARDED = RuntimeStubs.get().enterGuarded();
    private static final MethodHandle ENTER_GUARDED_CRITICAL = RuntimeStubs.get().enterGuardedCritical();
    /** {@link #enterGuarded} status: the OS thread has no context yet (attach it, then enter again). */
    public static final int NO_CONTEXT = TrampolineEmitter.NO_CONTEXT;
    /** {@link #enterGuarded} status: the guard word was set; nothing ran. */
    public static final int CLOSED = TrampolineEmitter.CLOSED;
    private static final int MAX_ATTACH_ATTEMPTS = 16;
    /** Offset of the guard word's address in a direct block ({@link #directEntry}). */
    public static final int DIRECT_BLOCK_GUARD = TrampolineEmitter.DIRECT_GUARD;
    /** Offset of the func ref's address in a direct block. */
    public static final int DIRECT_BLOCK_FUNC_REF = TrampolineEmitter.DIRECT_FUNC_REF;
    /** Bytes of a direct block. */
    public static final int DIRECT_BLOCK_SIZE = Math.toIntExact(TrampolineEmitter.DIRECT_BLOCK.byteSize());

    /** Calls {@code target()} and returns its rax. */
    public static long invoke(long target) {
        return invoke(target, 0, 0, 0, 0);
    }

    /**
     * Calls {@code target(a0, a1, a2, a3)} on the wasm stack and returns its rax.
     *
     * @throws TrapException when the code traps
     */
    public static long invoke(long target, long a0, long a1, long a2, long a3) {
        EntryRecord record = EntryRecord.current();
        int status = enter(target, record, a0, a1, a2, a3);
        for (int attempt = 0; status == TrampolineEmitter.NO_CONTEXT; attempt++) {
            // First entry on this OS thread. (A virtual thread that blocks inside attach may resume on another
            // carrier, which may have no context either: attach there and try again.)
            if (attempt == MAX_ATTACH_ATTEMPTS) {
                throw new IllegalStateException("thread has no wasm context after " + attempt + " attaches");
            }
            ThreadContexts.attachCurrentThread();
            status = enter(target, record, a0, a1, a2, a3);
        }
        if (status == 0) {
            return record.result();
        }
        throw trap(record, status);
    }

    /**
     * Runs an entry adapter of an instance's function on the wasm stack: {@code adapter(vmctx, code, buffer)} with
     * the func ref's context and code and the buffer of {@code record} ({@link EntryRecord#setBuffer}), unless the
     * word at {@code guard} is not 0 (then the func ref is not read: it may be freed). Returns 0, a trap code
     * (build the exception with {@link #trap} before anything else enters wasm on this thread), {@link #NO_CONTEXT}
     * or {@link #CLOSED}. The handles are constants here, so hot callers pay one downcall.
     *
     * @param context this OS thread's context if the caller knows it ({@link EntryRecord#context()}, valid for the
     *     platform thread that entered before), else 0
     * @param critical whether to enter through a critical downcall: only for a function that finishes in bounded
     *     time and never calls Java, not even a builtin ({@code runtime.instance.BoundedLeaf}); the thread holds back
     *     safepoints while it runs
     */
    public static int enterGuarded(long adapter, long record, long funcRef, long guard, long context,
                                   boolean critical) {
        try {
            return (int) (long) (critical ? ENTER_GUARDED_CRITICAL : ENTER_GUARDED)
                    .invokeExact(adapter, record, funcRef, guard, context, 0L);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("entry trampoline threw", t);
        }
    }

    /**
     * A downcall handle that enters an exported function directly: {@code R (long record, long block, params...)}
     * where {@code descriptor} lists the record address ({@link EntryRecord#segment()}), the direct block address
     * ({@link #DIRECT_BLOCK_GUARD guard word address}, {@link #DIRECT_BLOCK_FUNC_REF func ref address}) and then the
     * function's parameters and result in the wasm convention (integers as {@code JAVA_LONG}, floats as
     * {@code JAVA_FLOAT}/{@code JAVA_DOUBLE}; at most six integer and eight float parameters). After the call
     * {@code record.trapCode} holds the status: 0, a trap code ({@link #trap}), {@link #CLOSED} or
     * {@link #NO_CONTEXT} (nothing ran: enter through {@link #enterGuarded} instead). Only for a platform thread
     * whose record knows its context ({@link EntryRecord#context()}).
     *
     * @param critical whether to link a critical downcall: only for a function that finishes in bounded time and
     *     never calls Java, not even a builtin ({@code runtime.instance.BoundedLeaf})
     */
    public static MethodHandle directEntry(java.lang.foreign.FunctionDescriptor descriptor, boolean critical) {
        return RuntimeStubs.get().enterDirect(descriptor, critical);
    }

    /**
     * The trap of an entry that returned {@code status} (a trap code): walks the trapped frames now, before anything
     * can enter wasm on this OS thread again (see FrameWalker on why the frames are intact here, virtual threads
     * included).
     */
    public static TrapException trap(EntryRecord record, int status) {
        FrameWalker.Walk walk = FrameWalker.walk(record);
        record.setFramePcs(walk.pcs());
        return new TrapException(TrapCode.fromCode(status), null, backtrace(walk.pcs()), walk.omittedWasmFrames());
    }

    /**
     * The wasm frames of a machine-code backtrace: each address whose {@link CodeRegistry} range is owned by a
     * {@link WasmFrameSource} and that the source recognises; other addresses (stubs, adapters, code without an
     * owner that knows wasm) are left out.
     */
    public static List<TrapFrame> backtrace(long[] framePcs) {
        List<TrapFrame> frames = new ArrayList<>();
        for (int i = 0; i < framePcs.length; i++) {
            boolean returnAddress = i > 0;
            long pc = framePcs[i];
            CodeRange range = CodeRegistry.global().lookup(returnAddress ? pc - 1 : pc);
            if (range != null && range.owner() instanceof WasmFrameSource source) {
                source.frameAt(pc, returnAddress).ifPresent(frames::add);
            }
        }
        return frames;
    }

    private static int enter(long target, EntryRecord record, long a0, long a1, long a2, long a3) {
        try {
            return (int) (long) ENTER.invokeExact(target, record.segment().address(), a0, a1, a2, a3);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("entry trampoline threw", t);
        } finally {
            Reference.reachabilityFence(record); // the trampoline writes into the record's native memory
        }
    }
}
