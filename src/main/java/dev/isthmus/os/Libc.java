package dev.isthmus.os;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The glue every binding in this package shares: the native linker, the lookup that finds libc symbols, and the
 * per-call state into which the linker saves {@code errno} right after the call returns (so nothing the JVM does in
 * between can overwrite it).
 *
 * <p>Every handle has the one shape of {@link NativeCall} ({@code long f(long x 6)}: pad unused parameters with 0,
 * widen ints, cast int results back), so the JDK links only two shapes for all of libc. A handle made by
 * {@link #downcallCapturingErrno} takes one extra leading {@code MemorySegment} argument: the call-state buffer from
 * {@link #newCallState}; read it with {@link #errno}.
 */
final class Libc {
    private Libc() {
    }

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));

    /** A {@code (long x 6) long} handle for a libc function that does not report through errno. */
    static MethodHandle downcall(String name) {
        return NativeCall.handle(NativeCall.symbol(name));
    }

    /**
     * A {@code (MemorySegment, long x 6) long} handle whose first parameter is a call-state buffer that receives
     * errno after the call.
     */
    static MethodHandle downcallCapturingErrno(String name) {
        return NativeCall.handle(NativeCall.symbol(name), CAPTURE_ERRNO);
    }

    /** A fresh call-state buffer for one call, owned by {@code arena}. */
    static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno saved in a call-state buffer. */
    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** Formats an address or size as {@code 0x...} for error messages. */
    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** Wraps a Throwable thrown by {@code MethodHandle.invokeExact} (never expected for these downcalls). */
    static RuntimeException unexpected(String name, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall " + name + " threw", t);
    }
}
