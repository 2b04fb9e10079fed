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
    private static final int MAX_ATTACH_ATTEMPTS = 16;

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
        // Walk now, before anything can enter wasm on this OS thread again (see FrameWalker on why the frames
        // are intact here, virtual threads included).
        FrameWalker.Walk walk = FrameWalker.walk(record);
        record.setFramePcs(walk.pcs());
        throw new TrapException(TrapCode.fromCode(status), null, backtrace(walk.pcs()), walk.omittedWasmFrames());
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
