package dev.isthmus.model;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A WebAssembly value type: a number type, {@code v128}, or a reference type {@code (ref null? ht)} whose heap type
 * {@code ht} is {@code func}, {@code extern} or a type index (typed function references, Wasm 3.0).
 *
 * <p>Instances are interned: two value types are the same type exactly when they are the same object, so
 * {@code ==} compares them (syntactically: a type index is compared as an index of the module at hand). The
 * 2.0 types are the constants {@link #I32} ... {@link #EXTERNREF} ({@code funcref} is {@code (ref null func)}).
 * {@link #kind()} erases a type to its representation: every function reference, typed or not, is a
 * {@link Kind#FUNCREF} at run time, every extern reference an {@link Kind#EXTERNREF}; switch on it.
 */
public final class ValType {
    /** The heap type {@code func} (its s33 encoding, the byte 0x70). */
    public static final int HEAP_FUNC = -0x10;
    /** The heap type {@code extern} (its s33 encoding, the byte 0x6F). */
    public static final int HEAP_EXTERN = -0x11;
    /** The heap type {@code exn} (exception references, Wasm 3.0): 0x69 as an s33. */
    public static final int HEAP_EXN = -0x17;
    /** The heap type {@code noexn}, the bottom of {@code exn} (only null): 0x74 as an s33. */
    public static final int HEAP_NOEXN = -0x0C;

    /** What a value of a type is at run time; the 2.0 value types one to one. */
    public enum Kind {
        I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, EXNREF;

        public boolean isReference() {
            return this == FUNCREF || this == EXTERNREF || this == EXNREF;
        }
    }

    private static final ConcurrentHashMap<Long, ValType> REFS = new ConcurrentHashMap<>();

    public static final ValType I32 = new ValType(Kind.I32, 0x7F, "i32", false, 0);
    public static final ValType I64 = new ValType(Kind.I64, 0x7E, "i64", false, 0);
    public static final ValType F32 = new ValType(Kind.F32, 0x7D, "f32", false, 0);
    public static final ValType F64 = new ValType(Kind.F64, 0x7C, "f64", false, 0);
    public static final ValType V128 = new ValType(Kind.V128, 0x7B, "v128", false, 0);
    /** {@code funcref}, that is {@code (ref null func)}. */
    public static final ValType FUNCREF = ref(true, HEAP_FUNC);
    /** {@code externref}, that is {@code (ref null extern)}. */
    public static final ValType EXTERNREF = ref(true, HEAP_EXTERN);
    /** {@code exnref}: a nullable reference to a caught exception. */
    public static final ValType EXNREF = ref(true, HEAP_EXN);
    /** {@code nullexnref}: {@code (ref null noexn)}. */
    public static final ValType NULLEXNREF = ref(true, HEAP_NOEXN);

    private final Kind kind;
    private final int code;
    private final String text;
    private final boolean nullable;
    private final int heapType;

    private ValType(Kind kind, int code, String text, boolean nullable, int heapType) {
        this.kind = kind;
        this.code = code;
        this.text = text;
        this.nullable = nullable;
        this.heapType = heapType;
    }

    /**
     * The reference type {@code (ref null? heapType)}: {@code heapType} is {@link #HEAP_FUNC}, {@link #HEAP_EXTERN}
     * or a type index (>= 0).
     */
    public static ValType ref(boolean nullable, int heapType) {
        if (heapType < 0 && heapType != HEAP_FUNC && heapType != HEAP_EXTERN && heapType != HEAP_EXN
                && heapType != HEAP_NOEXN) {
            throw new IllegalArgumentException("no heap type " + heapType);
        }
        long key = (long) heapType << 1 | (nullable ? 1 : 0);
        ValType t = REFS.get(key);
        if (t != null) return t;
        boolean exn = heapType == HEAP_EXN || heapType == HEAP_NOEXN;
        Kind kind = heapType == HEAP_EXTERN ? Kind.EXTERNREF : exn ? Kind.EXNREF : Kind.FUNCREF;
        String heap = heapType == HEAP_FUNC ? "func" : heapType == HEAP_EXTERN ? "extern"
                : heapType == HEAP_EXN ? "exn" : heapType == HEAP_NOEXN ? "noexn" : Integer.toString(heapType);
        String text = nullable && heapType == HEAP_FUNC ? "funcref"
                : nullable && heapType == HEAP_EXTERN ? "externref"
                : nullable && heapType == HEAP_EXN ? "exnref"
                : nullable && heapType == HEAP_NOEXN ? "nullexnref"
                : "(ref " + (nullable ? "null " : "") + heap + ")";
        int code = nullable && heapType == HEAP_FUNC ? 0x70 : nullable && heapType == HEAP_EXTERN ? 0x6F
                : nullable && heapType == HEAP_EXN ? 0x69 : nullable && heapType == HEAP_NOEXN ? 0x74
                : nullable ? 0x63 : 0x64;
        return REFS.computeIfAbsent(key, k -> new ValType(kind, code, text, nullable, heapType));
    }

    /** The representation of this type at run time. */
    public Kind kind() {
        return kind;
    }

    /**
     * The byte that encodes this type in the binary format: the one-byte forms, or for a reference type without
     * one, 0x63 ({@code ref null}) / 0x64 ({@code ref}), which the heap type follows.
     */
    public int code() {
        return code;
    }

    /** The type in the text format: {@code i32}, {@code funcref}, {@code (ref null 3)}. */
    public String text() {
        return text;
    }

    public boolean isReference() {
        return kind.isReference();
    }

    public boolean isNumeric() {
        return kind == Kind.I32 || kind == Kind.I64 || kind == Kind.F32 || kind == Kind.F64;
    }

    /** Whether this reference type admits null (false for the number and vector types). */
    public boolean nullable() {
        return nullable;
    }

    /** The heap type of a reference type: {@link #HEAP_FUNC}, {@link #HEAP_EXTERN} or a type index. */
    public int heapType() {
        return heapType;
    }

    /** Whether this is a reference to a function type given by index ({@code (ref null? $t)}). */
    public boolean isTypedFuncRef() {
        return isReference() && heapType >= 0;
    }

    /** Whether the binary format writes this type in one byte (every 2.0 type). */
    public boolean hasShortCode() {
        return code != 0x63 && code != 0x64;
    }

    /** This reference type without its null ({@code ref.as_non_null}, {@code br_on_null}). */
    public ValType asNonNull() {
        return isReference() ? ref(false, heapType) : this;
    }

    /** This reference type with null. */
    public ValType asNullable() {
        return isReference() ? ref(true, heapType) : this;
    }

    /** The type encoded by the one byte {@code code}, or null when that byte alone encodes no value type. */
    public static ValType fromCode(int code) {
        return switch (code) {
            case 0x7F -> I32;
            case 0x7E -> I64;
            case 0x7D -> F32;
            case 0x7C -> F64;
            case 0x7B -> V128;
            case 0x70 -> FUNCREF;
            case 0x6F -> EXTERNREF;
            case 0x69 -> EXNREF;
            case 0x74 -> NULLEXNREF;
            default -> null;
        };
    }

    /** The seven types of Wasm 2.0, each with its one-byte encoding: i32 ... v128, funcref, externref. */
    public static ValType[] values() {
        return new ValType[] {I32, I64, F32, F64, V128, FUNCREF, EXTERNREF};
    }

    /** The type of kind {@code kind} that 2.0 has ({@code funcref} for {@link Kind#FUNCREF}). */
    public static ValType of(Kind kind) {
        return switch (kind) {
            case I32 -> I32;
            case I64 -> I64;
            case F32 -> F32;
            case F64 -> F64;
            case V128 -> V128;
            case FUNCREF -> FUNCREF;
            case EXTERNREF -> EXTERNREF;
            case EXNREF -> EXNREF;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
