package dev.isthmus.wast;

import dev.isthmus.model.ValType;
import dev.isthmus.text.script.WastExpected;
import dev.isthmus.text.script.WastValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks an action's results against an {@code assert_return}'s expectations, with the spec's NaN rules:
 * {@code nan:canonical} = exponent all ones and only the top payload bit set (either sign);
 * {@code nan:arithmetic} = exponent all ones and the top payload bit set (either sign).
 * Also converts script constants to engine {@link Value}s. Mismatches are described in {@link WastNotation}:
 * {@code expected i32:42 f32:nan:canonical, got i32:41 f32:0}.
 */
public final class ResultMatcher {
    private static final int F32_CANONICAL = 0x7FC0_0000;
    private static final long F64_CANONICAL = 0x7FF8_0000_0000_0000L;

    private ResultMatcher() {}

    /** Null when {@code actual} meets {@code expected}; otherwise what differs. */
    public static String mismatch(List<WastExpected> expected, List<Value> actual) {
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) same = matches(expected.get(i), actual.get(i));
        return same ? null : "expected " + WastNotation.expected(expected) + ", got "
                + WastNotation.values(actual, expected);
    }

    /** Whether one result meets one expectation. */
    public static boolean matches(WastExpected expected, Value actual) {
        return switch (expected) {
            case WastExpected.Exact e -> exact(e.value(), actual);
            case WastExpected.CanonicalNan n -> actual instanceof Value.Num v && v.type() == n.type()
                    && isNan(n.type(), v.bits(), true);
            case WastExpected.ArithmeticNan n -> actual instanceof Value.Num v && v.type() == n.type()
                    && isNan(n.type(), v.bits(), false);
            case WastExpected.V128Lanes l -> actual instanceof Value.V128 v && lanes(l, v.bytes());
            case WastExpected.AnyNull n -> actual instanceof Value.Null;
            case WastExpected.AnyRef r -> switch (r.kind()) {
                case "func" -> actual instanceof Value.Func;
                case "extern" -> actual instanceof Value.Extern;
                default -> actual instanceof Value.Func || actual instanceof Value.Extern;
            };
            case WastExpected.Either e -> e.alternatives().stream().anyMatch(a -> matches(a, actual));
        };
    }

    private static boolean exact(WastValue expected, Value actual) {
        return switch (expected) {
            case WastValue.Num n -> actual instanceof Value.Num v && v.type() == n.type()
                    && mask(n.type(), v.bits()) == mask(n.type(), n.bits());
            case WastValue.V128 e -> actual instanceof Value.V128 v && Arrays.equals(e.bytes(), v.bytes());
            case WastValue.RefNull n -> actual instanceof Value.Null v
                    && (refType(n.heapType()) == null || refType(n.heapType()) == v.type());
            case WastValue.RefExtern e -> actual instanceof Value.Extern v && v.id() == e.id();
            case WastValue.RefHost h -> actual instanceof Value.Extern v && v.id() == h.id();
        };
    }

    private static boolean lanes(WastExpected.V128Lanes expected, byte[] bytes) {
        int width = expected.shape().laneBytes();
        for (int lane = 0; lane < expected.lanes().size(); lane++) {
            long bits = 0;
            for (int b = width - 1; b >= 0; b--) bits = (bits << 8) | (bytes[lane * width + b] & 0xFF);
            ValType floatType = width == 4 ? ValType.F32 : ValType.F64;
            boolean ok = switch (expected.lanes().get(lane)) {
                case WastExpected.Lane.Bits b -> bits == (width == 8 ? b.bits() : b.bits() & ((1L << (8 * width)) - 1));
                case WastExpected.Lane.Canonical c -> isNan(floatType, bits, true);
                case WastExpected.Lane.Arithmetic a -> isNan(floatType, bits, false);
            };
            if (!ok) return false;
        }
        return true;
    }

    /** Whether {@code bits} of f32/f64 {@code type} is a canonical (or, when not {@code canonical}, arithmetic) NaN. */
    static boolean isNan(ValType type, long bits, boolean canonical) {
        if (type == ValType.F32) {
            int b = (int) bits;
            return canonical ? (b & 0x7FFF_FFFF) == F32_CANONICAL : (b & F32_CANONICAL) == F32_CANONICAL;
        }
        if (type == ValType.F64) {
            return canonical ? (bits & 0x7FFF_FFFF_FFFF_FFFFL) == F64_CANONICAL : (bits & F64_CANONICAL) == F64_CANONICAL;
        }
        return false;
    }

    private static long mask(ValType type, long bits) {
        return type == ValType.I32 || type == ValType.F32 ? bits & 0xFFFF_FFFFL : bits;
    }

    /** funcref/externref for the heap types 2.0 scripts write, null for any other (3.0) heap type. */
    private static ValType refType(String heapType) {
        return switch (heapType) {
            case "func" -> ValType.FUNCREF;
            case "extern" -> ValType.EXTERNREF;
            case "exn" -> ValType.EXNREF;
            default -> null;
        };
    }

    /** The engine value for an action argument written in a script. */
    public static Value toValue(WastValue v) {
        return switch (v) {
            case WastValue.Num n -> new Value.Num(n.type(), mask(n.type(), n.bits()));
            case WastValue.V128 x -> new Value.V128(x.bytes().clone());
            case WastValue.RefNull n -> new Value.Null(refType(n.heapType()) == null ? ValType.EXTERNREF
                    : refType(n.heapType()));
            case WastValue.RefExtern e -> new Value.Extern(e.id());
            case WastValue.RefHost h -> new Value.Extern(h.id());
        };
    }

    public static List<Value> toValues(List<WastValue> values) {
        List<Value> out = new ArrayList<>(values.size());
        for (WastValue v : values) out.add(toValue(v));
        return out;
    }

    /** Values in the notation of failure reports ({@link WastNotation}). */
    static String describe(List<Value> values) {
        return WastNotation.values(values);
    }
}
