package dev.isthmus.text.script;

import dev.isthmus.model.ValType;
import java.util.List;

/** One expected result of an {@code assert_return}. */
public sealed interface WastExpected {

    /** The result must equal this value bit for bit (for refs: the same null type or the same extern id). */
    record Exact(WastValue value) implements WastExpected {}

    /** {@code nan:canonical} of f32 or f64: a NaN with only the top payload bit set, either sign. */
    record CanonicalNan(ValType type) implements WastExpected {}

    /** {@code nan:arithmetic} of f32 or f64: a NaN with the top payload bit set, either sign. */
    record ArithmeticNan(ValType type) implements WastExpected {}

    /** A v128 checked lane by lane, where float lanes may be NaN patterns. */
    record V128Lanes(LaneShape shape, List<Lane> lanes) implements WastExpected {}

    /** One lane of {@link V128Lanes}. */
    sealed interface Lane {
        /** The lane must have exactly these bits (low bits of the long). */
        record Bits(long bits) implements Lane {}

        /** The lane must be a canonical NaN. */
        record Canonical() implements Lane {}

        /** The lane must be an arithmetic NaN. */
        record Arithmetic() implements Lane {}
    }

    /** {@code (ref.null)} without a type (3.0): any null reference. */
    record AnyNull() implements WastExpected {}

    /**
     * A non-null reference of a kind: {@code (ref.func)} any function reference, {@code (ref.extern)} any extern
     * reference; 3.0 scripts also use {@code ref.i31}, {@code ref.struct}, {@code ref.array}, {@code ref.eq},
     * {@code ref.any}, {@code ref.host}. {@code kind} is the keyword after "ref.".
     */
    record AnyRef(String kind) implements WastExpected {}

    /** {@code (either r1 r2 ...)} (3.0): the result must match one of the alternatives. */
    record Either(List<WastExpected> alternatives) implements WastExpected {}
}
