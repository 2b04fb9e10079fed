package dev.isthmus.os;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The one native call shape the runtime uses for every downcall: {@code long f(long a0, ..., long a5)}.
 *
 * <p>The JDK spins a class (and its lambda forms) for every distinct {@link FunctionDescriptor} it links, which
 * costs several milliseconds each at start-up and cannot be kept in the AOT cache; handles of the same descriptor
 * share one. Under the SysV x86-64 convention a function of up to six integer or pointer parameters can be called
 * through this shape:
 *
 * <pre>
 *   parameter   rdi  rsi  rdx  rcx  r8   r9      pointers as addresses; ints widened (the callee reads the low 32
 *   passed as   a0   a1   a2   a3   a4   a5      bits); unused parameters passed as 0 and ignored by the callee
 *   result      rax as a long                    an int result is its low 32 bits: cast with (int); void: ignore
 * </pre>
 */
public final class NativeCall {
    private NativeCall() {
    }

    /** {@code long f(long, long, long, long, long, long)}. */
    public static final FunctionDescriptor DESCRIPTOR = FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private static final Linker LINKER = Linker.nativeLinker();

    /** A handle of type {@code (long, long, long, long, long, long) long} calling the code at {@code address}. */
    @SuppressWarnings("restricted")
    public static MethodHandle handle(long address) {
        return LINKER.downcallHandle(MemorySegment.ofAddress(address), DESCRIPTOR);
    }

    /** {@link #handle} with linker options (e.g. capturing errno; the options are part of the shape too). */
    @SuppressWarnings("restricted")
    static MethodHandle handle(long address, Linker.Option option) {
        return LINKER.downcallHandle(MemorySegment.ofAddress(address), DESCRIPTOR, option);
    }

    /** The address of the libc (or JVM-process) function {@code name}. */
    public static long symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name)).address();
    }
}
