package dev.isthmus.runtime.host;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.ValueBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Method handles that read a scalar argument from, and write a scalar result to, a {@link ValueBuffer} given by its
 * address: the pieces of a host function's direct invoker ({@code (long buffer) → void}), which a host-call
 * adapter's buffer reaches without a segment, a box or an array.
 *
 * <pre>
 *   reader(type, i):  (long buffer) → int | long | float | double      the value in slot i
 *   writer(type):     (long buffer, int | long | float | double) → void   the result into slot 0 (i32 and f32
 *                                                                          zero-extended to the slot's 8 bytes)
 * </pre>
 */
public final class RawSlots {
    private RawSlots() {
    }

    private static final MemorySegment RAW = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** {@code (long buffer) → T}: the argument of {@code type} in slot {@code index}. */
    public static MethodHandle reader(ValType type, int index) {
        return MethodHandles.insertArguments(handle("read", type, false), 1, (long) ValueBuffer.offset(index));
    }

    /** {@code (long buffer, T) → void}: the result of {@code type} into slot 0. */
    public static MethodHandle writer(ValType type) {
        return handle("write", type, true);
    }

    private static MethodHandle handle(String prefix, ValType type, boolean write) {
        Class<?> java = switch (type.kind()) {
            case I32 -> int.class;
            case I64 -> long.class;
            case F32 -> float.class;
            case F64 -> double.class;
            default -> throw new IllegalArgumentException("not a number type: " + type);
        };
        MethodType methodType = write ? MethodType.methodType(void.class, long.class, java)
                : MethodType.methodType(java, long.class, long.class);
        try {
            return MethodHandles.lookup().findStatic(RawSlots.class, prefix + type.kind().name(), methodType);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int readI32(long buffer, long offset) {
        return RAW.get(JAVA_INT, buffer + offset);
    }

    private static long readI64(long buffer, long offset) {
        return RAW.get(JAVA_LONG, buffer + offset);
    }

    private static float readF32(long buffer, long offset) {
        return RAW.get(JAVA_FLOAT, buffer + offset);
    }

    private static double readF64(long buffer, long offset) {
        return RAW.get(JAVA_DOUBLE, buffer + offset);
    }

    private static void writeI32(long buffer, int value) {
        RAW.set(JAVA_LONG, buffer, value & 0xFFFF_FFFFL);
    }

    private static void writeI64(long buffer, long value) {
        RAW.set(JAVA_LONG, buffer, value);
    }

    private static void writeF32(long buffer, float value) {
        RAW.set(JAVA_LONG, buffer, Float.floatToRawIntBits(value) & 0xFFFF_FFFFL);
    }

    private static void writeF64(long buffer, double value) {
        RAW.set(JAVA_DOUBLE, buffer, value);
    }
}
