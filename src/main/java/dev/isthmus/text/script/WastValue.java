package dev.isthmus.text.script;

import dev.isthmus.model.ValType;

/** A constant argument of an action in a script, e.g. {@code (i32.const 7)} or {@code (ref.extern 1)}. */
public sealed interface WastValue {

    /** A number of type i32, i64, f32 or f64, as raw bits (f32 and i32 in the low 32 bits). */
    record Num(ValType type, long bits) implements WastValue {}

    /** A v128 constant: its 16 bytes (little endian lanes) and the lane shape it was written in. */
    record V128(byte[] bytes, LaneShape shape) implements WastValue {}

    /** {@code (ref.null func)}, {@code (ref.null extern)} and, in 3.0 scripts, other heap types by name. */
    record RefNull(String heapType) implements WastValue {}

    /** {@code (ref.extern N)}: an opaque host reference identified by N. */
    record RefExtern(long id) implements WastValue {}

    /** {@code (ref.host N)} (3.0 scripts): a host reference identified by N. */
    record RefHost(long id) implements WastValue {}
}
