package dev.isthmus.runtime.stack;

import dev.isthmus.runtime.abi.StackGeometry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Gives each OS thread that runs wasm its own execution context — wasm stack, alternate signal stack, native
 * context — and frees them after the thread ends.
 *
 * <p>How it is guaranteed that a thread never runs wasm without its alternate signal stack:
 * <ul>
 *   <li>The entry trampoline looks the context up with {@code pthread_getspecific} on every entry, i.e. per OS
 *       thread — the carrier of a virtual thread, which is what the kernel delivers signals to. With no context it
 *       returns "no context" before touching any wasm stack; {@link WasmCall} then calls
 *       {@link #attachCurrentThread()} and retries.</li>
 *   <li>{@code attach} is one native call on the calling OS thread: it installs the alternate stack with
 *       {@code sigaltstack} and only then sets the pthread key. A virtual thread cannot move carriers inside a
 *       native call, so the key and the alternate stack always belong to the same OS thread.</li>
 *   <li>When the OS thread ends, glibc runs the key's destructor (native code, no Java): it disables the
 *       alternate stack and marks the context EXITED. Java frees the memory of exited contexts the next time a
 *       thread attaches, or on {@link #reapExited()}.</li>
 * </ul>
 *
 * <p>Every stack has the process-wide {@link StackGeometry} (usable size from {@code isthmus.wasmStack.size},
 * read once; header, guard and reserve are fixed).
 */
public final class ThreadContexts {
    private ThreadContexts() {
    }

    private static final List<ThreadContext> ATTACHED = new ArrayList<>();

    /**
     * Makes sure the calling OS thread has a context; returns its native address. Idempotent per OS thread.
     *
     * @throws IllegalStateException when the alternate signal stack or the key cannot be set
     */
    public static long attachCurrentThread() {
        RuntimeStubs stubs = RuntimeStubs.get();
        reapExited();
        ThreadContext fresh = ThreadContext.create(AltSignalStack.DEFAULT_SIZE, stubs.recoveryAddress());
        long attached;
        try {
            attached = (long) stubs.attach().invokeExact(fresh.address(), 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            fresh.free();
            throw new IllegalStateException("attach threw", t);
        }
        if (attached != fresh.address()) {
            fresh.free();
            if (attached == 0) {
                throw new IllegalStateException("cannot attach a wasm context to this thread (sigaltstack or "
                        + "pthread_setspecific failed)");
            }
            return attached;
        }
        synchronized (ATTACHED) {
            ATTACHED.add(fresh);
        }
        return attached;
    }

    /** Frees the contexts of OS threads that have ended; returns how many. */
    public static int reapExited() {
        List<ThreadContext> exited = new ArrayList<>();
        synchronized (ATTACHED) {
            for (Iterator<ThreadContext> it = ATTACHED.iterator(); it.hasNext(); ) {
                ThreadContext context = it.next();
                if (context.hasExited()) {
                    it.remove();
                    exited.add(context);
                }
            }
        }
        exited.forEach(ThreadContext::free);
        return exited.size();
    }

    /** The number of contexts attached to OS threads that have not been reaped. */
    public static int attachedCount() {
        synchronized (ATTACHED) {
            return ATTACHED.size();
        }
    }

    /** The usable size of the wasm stacks given to new threads. */
    public static long stackSize() {
        return StackGeometry.SIZE;
    }
}
