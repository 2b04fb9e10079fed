package dev.isthmus.os;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code stack_t} on x86-64 Linux: the alternate signal stack descriptor of {@code sigaltstack(2)} (and the
 * {@code uc_stack} member of a {@code ucontext_t}). Offsets are derived from {@link #LAYOUT}.
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  ---------------------------------------
 *        0     8  ss_sp      lowest address of the stack
 *        8     4  ss_flags   SS_ONSTACK / SS_DISABLE
 *       12     4  (padding)
 *       16     8  ss_size    size in bytes
 *       24        total
 * </pre>
 */
public final class StackStruct {
    private StackStruct() {
    }

    /** The whole struct. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("ss_sp"),
            JAVA_INT.withName("ss_flags"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("ss_size")).withName("stack_t");

    public static final long SP_OFFSET = LAYOUT.byteOffset(groupElement("ss_sp"));
    public static final long FLAGS_OFFSET = LAYOUT.byteOffset(groupElement("ss_flags"));
    public static final long SIZE_OFFSET = LAYOUT.byteOffset(groupElement("ss_size"));
    public static final long SIZE = LAYOUT.byteSize();

    /** A zeroed struct owned by {@code arena}. */
    public static MemorySegment allocate(Arena arena) {
        return arena.allocate(LAYOUT);
    }

    /** A struct describing the stack {@code [base, base + size)} with {@code flags} (0 to enable). */
    public static MemorySegment of(Arena arena, long base, long size, int flags) {
        MemorySegment stack = allocate(arena);
        setBase(stack, base);
        setSize(stack, size);
        setFlags(stack, flags);
        return stack;
    }

    public static long base(MemorySegment stack) {
        return stack.get(JAVA_LONG, SP_OFFSET);
    }

    public static void setBase(MemorySegment stack, long base) {
        stack.set(JAVA_LONG, SP_OFFSET, base);
    }

    public static int flags(MemorySegment stack) {
        return stack.get(JAVA_INT, FLAGS_OFFSET);
    }

    public static void setFlags(MemorySegment stack, int flags) {
        stack.set(JAVA_INT, FLAGS_OFFSET, flags);
    }

    public static long size(MemorySegment stack) {
        return stack.get(JAVA_LONG, SIZE_OFFSET);
    }

    public static void setSize(MemorySegment stack, long size) {
        stack.set(JAVA_LONG, SIZE_OFFSET, size);
    }
}
