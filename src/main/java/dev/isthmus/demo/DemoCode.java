package dev.isthmus.demo;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.runtime.code.CodeMemory;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * The two hand-assembled functions, mapped once (on first use) into one sealed {@link CodeMemory} that lives as long
 * as the process, and their downcall handles.
 *
 * <pre>
 *   CodeMemory (one page, r-x)
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
    static final CodeMemory MEMORY;
    /** {@code (int m, int n) int}. */
    static final MethodHandle ACKERMANN;
    /** {@code (long n) long}. */
    static final MethodHandle FIB;

    static {
        byte[] ackermann = ACKERMANN_CODE.finishedCode();
        byte[] fib = FIB_CODE.finishedCode();
        FIB_OFFSET = (ackermann.length + 63) & ~63;
        CodeMemory memory = CodeMemory.allocate(FIB_OFFSET + fib.length, "isthmus demo");
        memory.write(ACKERMANN_OFFSET, ackermann);
        memory.write(FIB_OFFSET, fib);
        memory.seal();
        MEMORY = memory;
        ACKERMANN = memory.entry(ACKERMANN_OFFSET, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        FIB = memory.entry(FIB_OFFSET, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    }
}
