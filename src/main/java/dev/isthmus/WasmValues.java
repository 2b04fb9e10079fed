package dev.isthmus;

import dev.isthmus.model.ValType;
import dev.isthmus.runtime.instance.ExternRefs;

/**
 * Converts between the Java values of the API and raw 64-bit wasm values:
 *
 * <pre>
 *   i32 ↔ Integer   i64 ↔ Long   f32 ↔ Float (bits preserved)   f64 ↔ Double (bits preserved)
 *   funcref ↔ FunctionRef or null          externref ↔ any Object or null (through a handle)
 *   exnref ↔ WasmThrow or null (through a handle)
 *   v128 ↔ V128 (two raw longs: the low 8 bytes by {@link #toRaw}, the high 8 by {@link #toRawHigh})
 * </pre>
 */
final class WasmValues {
    private WasmValues() {
    }

    /**
     * Whether {@link #toRaw} takes {@code value} for {@code type} (the boxed class; null only for nullable
     * references: a {@code (ref $t)} or {@code (ref func)} value is never null).
     */
    static boolean accepts(ValType type, Object value) {
        if (value == null && type.isReference() && !type.nullable()) return false;
        return switch (type.kind()) {
            case I32 -> value instanceof Integer;
            case I64 -> value instanceof Long;
            case F32 -> value instanceof Float;
            case F64 -> value instanceof Double;
            case FUNCREF -> value == null || value instanceof FunctionRef;
            case EXTERNREF -> true;
            case EXNREF -> value == null || value instanceof WasmThrow;
            case V128 -> value instanceof V128;
        };
    }

    /** What {@link #toRaw} takes for {@code type}, in words for error messages: "an Integer", ... */
    static String boxedName(ValType type) {
        return switch (type.kind()) {
            case I32 -> "an Integer";
            case I64 -> "a Long";
            case F32 -> "a Float";
            case F64 -> "a Double";
            case FUNCREF -> type.nullable() ? "a FunctionRef or null" : "a FunctionRef";
            case EXTERNREF -> type.nullable() ? "any object or null" : "any object";
            case EXNREF -> type.nullable() ? "a WasmThrow or null" : "a WasmThrow";
            case V128 -> "a V128";
        };
    }

    static long toRaw(ValType type, Object value) {
        return switch (type.kind()) {
            case I32 -> ((Integer) value) & 0xFFFF_FFFFL;
            case I64 -> (Long) value;
            case F32 -> Float.floatToRawIntBits((Float) value) & 0xFFFF_FFFFL;
            case F64 -> Double.doubleToRawLongBits((Double) value);
            case FUNCREF -> value == null ? 0 : ((FunctionRef) value).address();
            case EXTERNREF -> ExternRefs.handle(value);
            case EXNREF -> value == null ? 0 : dev.isthmus.runtime.instance.ExnRefs.handle(((WasmThrow) value).runtime());
            case V128 -> ((V128) value).low();
        };
    }

    /** The high 8 bytes of a raw value: a v128's bytes 8..15, zero for every other type. */
    static long toRawHigh(ValType type, Object value) {
        return type == ValType.V128 ? ((V128) value).high() : 0;
    }

    /** Whether a value of {@code type} needs both halves of its 16-byte slot. */
    static boolean isWide(ValType type) {
        return type == ValType.V128;
    }

    /** Whether any of {@code types} is wide. */
    static boolean anyWide(java.util.List<ValType> types) {
        return types.contains(ValType.V128);
    }

    /** The Java value of a raw value whose high 8 bytes are {@code high} (used by v128 only). */
    static Object fromRaw(ValType type, long raw, long high) {
        return type == ValType.V128 ? V128.of(raw, high) : fromRaw(type, raw);
    }

    static Object fromRaw(ValType type, long raw) {
        return switch (type.kind()) {
            case I32 -> (int) raw;
            case I64 -> raw;
            case F32 -> Float.intBitsToFloat((int) raw);
            case F64 -> Double.longBitsToDouble(raw);
            case FUNCREF -> raw == 0 ? null : new FunctionRef(raw);
            case EXTERNREF -> ExternRefs.object(raw);
            case EXNREF -> raw == 0 ? null : WasmThrow.of(dev.isthmus.runtime.instance.ExnRefs.object(raw));
            case V128 -> V128.of(raw, 0);
        };
    }

    /** The Java class of a value type in exact method types. */
    static Class<?> javaType(ValType type) {
        return switch (type.kind()) {
            case I32 -> int.class;
            case I64 -> long.class;
            case F32 -> float.class;
            case F64 -> double.class;
            case FUNCREF -> FunctionRef.class;
            case EXTERNREF -> Object.class;
            case EXNREF -> WasmThrow.class;
            case V128 -> V128.class;
        };
    }

    /** The value type of a Java class in a host function's method type. */
    static ValType valType(Class<?> javaType) {
        if (javaType == int.class) return ValType.I32;
        if (javaType == long.class) return ValType.I64;
        if (javaType == float.class) return ValType.F32;
        if (javaType == double.class) return ValType.F64;
        if (javaType == FunctionRef.class) return ValType.FUNCREF;
        if (javaType == Object.class) return ValType.EXTERNREF;
        if (javaType == V128.class) return ValType.V128;
        if (javaType == WasmThrow.class) return ValType.EXNREF;
        throw new IllegalArgumentException("no wasm type for Java type " + javaType.getName()
                + " (use int, long, float, double, V128, FunctionRef or Object)");
    }

    /** The zero/null value of a type, boxed. */
    static Object defaultValue(ValType type) {
        return fromRaw(type, 0);
    }
}
