package dev.isthmus.demo;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.tooling.ExecutableCode;
import dev.isthmus.tooling.Tooling;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * The two hand-assembled functions, mapped once (on first use) into one read+execute mapping that lives as long as
 * the process ({@link Tooling#executable}), and their downcall handles.
 *
 * <pre>
 *   ExecutableCode (one page, r-x)
 *   +0            ackermann(int, int) -> int
 *   +FIB_OFFSET   fib(long) -> long          (64-byte aligned)
 * </pre>
 */
final class DemoCode {
    private DemoCode() {
    }

    static final AnnotatedAssembly ACKERMANN_CODE = AckermannAssembly.assemble();
    static final AnnotatedAssembly FIB_CODE = FibonacciAssembly.assemble();

    static final int ACKERMANN_OFFSET = 0;
    static final int FIB_OFFSET;
    static final ExecutableCode MEMORY;
    /** {@code (int m, int n) int}. */
    static final MethodHandle ACKERMANN;
    /** {@code (long n) long}. */
    static final MethodHandle FIB;

    static {
        byte[] ackermann = ACKERMANN_CODE.finishedCode();
        byte[] fib = FIB_CODE.finishedCode();
        FIB_OFFSET = (ackermann.length + 63) & ~63;
        byte[] both = new byte[FIB_OFFSET + fib.length];
        System.arraycopy(ackermann, 0, both, ACKERMANN_OFFSET, ackermann.length);
        System.arraycopy(fib, 0, both, FIB_OFFSET, fib.length);
        ExecutableCode memory = Tooling.executable(both, "isthmus demo");
        MEMORY = memory;
        ACKERMANN = memory.entry(ACKERMANN_OFFSET, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        FIB = memory.entry(FIB_OFFSET, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    }
}
