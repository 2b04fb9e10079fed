package dev.isthmus.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;

/**
 * Signal disposition calls of {@code <signal.h>}: {@code sigaction} and {@code sigaltstack}.
 *
 * <p>Structs are passed as {@code MemorySegment}s laid out by {@link SigactionStruct} and {@link StackStruct};
 * {@code null} stands for a NULL pointer (e.g. "only query"). Failures throw {@link OsException}.
 *
 * <p>Installing a handler for a signal HotSpot uses (SIGSEGV, SIGBUS, SIGILL, SIGFPE) replaces the JVM's handler
 * for the whole process; read the old action first and chain to it (see the design notes).
 */
public final class Signals {
    private Signals() {
    }

    private static final MethodHandle SIGACTION = Libc.downcallCapturingErrno("sigaction");
    private static final MethodHandle SIGALTSTACK = Libc.downcallCapturingErrno("sigaltstack");

    /**
     * {@code sigaction(signo, newAction, oldAction)}.
     *
     * @param newAction the action to install, or {@code null} to leave it unchanged
     * @param oldAction receives the previous action, or {@code null}
     */
    public static void sigaction(int signo, MemorySegment newAction, MemorySegment oldAction) {
        checkStruct(newAction, SigactionStruct.SIZE);
        checkStruct(oldAction, SigactionStruct.SIZE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int rc = (int) (long) SIGACTION.invokeExact(state, (long) signo, addressOf(newAction),
                    addressOf(oldAction), 0L, 0L, 0L);
            Reference.reachabilityFence(newAction); // passed as raw addresses: keep their memory until here
            Reference.reachabilityFence(oldAction);
            if (rc != 0) {
                throw new OsException("sigaction(" + signo + ", " + pointerText(newAction) + ", "
                        + pointerText(oldAction) + ")", Libc.errno(state));
            }
        } catch (Throwable t) {
            throw Libc.unexpected("sigaction", t);
        }
    }

    /** The action currently installed for {@code signo}, in a new struct owned by {@code arena}. */
    public static MemorySegment currentAction(int signo, Arena arena) {
        MemorySegment action = SigactionStruct.allocate(arena);
        sigaction(signo, null, action);
        return action;
    }

    /**
     * {@code sigaltstack(newStack, oldStack)} for the calling OS thread.
     *
     * @param newStack the stack to establish (or {@code SS_DISABLE} in its flags), or {@code null} to leave it
     * @param oldStack receives the previous setting, or {@code null}
     */
    public static void sigaltstack(MemorySegment newStack, MemorySegment oldStack) {
        checkStruct(newStack, StackStruct.SIZE);
        checkStruct(oldStack, StackStruct.SIZE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int rc = (int) (long) SIGALTSTACK.invokeExact(state, addressOf(newStack), addressOf(oldStack),
                    0L, 0L, 0L, 0L);
            Reference.reachabilityFence(newStack);
            Reference.reachabilityFence(oldStack);
            if (rc != 0) {
                throw new OsException("sigaltstack(" + pointerText(newStack) + ", " + pointerText(oldStack) + ")",
                        Libc.errno(state));
            }
        } catch (Throwable t) {
            throw Libc.unexpected("sigaltstack", t);
        }
    }

    /** The calling OS thread's alternate signal stack setting, in a new struct owned by {@code arena}. */
    public static MemorySegment currentAltStack(Arena arena) {
        MemorySegment stack = StackStruct.allocate(arena);
        sigaltstack(null, stack);
        return stack;
    }

    /** The native address of a struct (0 for {@code null}); the struct must be live native memory. */
    private static long addressOf(MemorySegment struct) {
        if (struct == null) {
            return 0;
        }
        if (!struct.isNative()) {
            throw new IllegalArgumentException("struct must be native memory: " + struct);
        }
        if (!struct.scope().isAlive()) {
            throw new IllegalStateException("struct's arena is already closed");
        }
        return struct.address();
    }

    private static String pointerText(MemorySegment struct) {
        return struct == null ? "NULL" : Libc.hex(struct.address());
    }

    private static void checkStruct(MemorySegment struct, long size) {
        if (struct != null && struct.byteSize() < size) {
            throw new IllegalArgumentException("struct needs " + size + " bytes, segment has " + struct.byteSize());
        }
    }
}
