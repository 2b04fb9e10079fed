package dev.isthmus.wast;

import dev.isthmus.model.ValType;

/** A WebAssembly value passed to or returned by an {@link ExecutionEngine}. */
public sealed interface Value {

    /** An i32, i64, f32 or f64 as raw bits (i32 and f32 in the low 32 bits). */
    record Num(ValType type, long bits) implements Value {}

    /** A v128: 16 bytes, lane 0 first (little endian). */
    record V128(byte[] bytes) implements Value {}

    /** A null reference of {@code type} (funcref or externref). */
    record Null(ValType type) implements Value {}

    /** A non-null externref: the host reference the script wrote as {@code (ref.extern id)}. */
    record Extern(long id) implements Value {}

    /** A non-null funcref; {@code function} is whatever the engine uses to identify a function. */
    record Func(Object function) implements Value {}
}
