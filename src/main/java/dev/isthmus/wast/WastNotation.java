package dev.isthmus.wast;

import dev.isthmus.model.ValType;
import dev.isthmus.text.script.LaneShape;
import dev.isthmus.text.script.WastExpected;
import dev.isthmus.text.script.WastValue;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Values and expectations as failure reports write them, in the spec interpreter's {@code type:value} notation:
 * {@code i32:42}, {@code i64:-1}, {@code f32:1.5}, {@code f64:-inf}, {@code f32:nan:canonical},
 * {@code f32:nan} (the canonical NaN), {@code f32:nan:0x200000} (another NaN and its payload), {@code ref.null func}, {@code ref.extern 1},
 * {@code v128:i32x4 1 2 3 4}; several values separated by spaces, none as {@code ()}.
 */
public final class WastNotation {
    private WastNotation() {
    }

    /** Engine values, e.g. {@code i32:1 i64:2}; {@code ()} for none. */
    public static String values(List<Value> values) {
        if (values.isEmpty()) return "()";
        List<String> parts = new ArrayList<>();
        for (Value v : values) parts.add(value(v));
        return String.join(" ", parts);
    }

    /** One engine value. */
    public static String value(Value v) {
        return switch (v) {
            case Value.Num n -> number(n.type(), n.bits());
            case Value.V128 x -> "v128:" + HexFormat.ofDelimiter(" ").formatHex(x.bytes());
            case Value.Null n -> "ref.null " + heapType(n.type());
            case Value.Extern e -> "ref.extern " + e.id();
            case Value.Func f -> "ref.func";
        };
    }

    /**
     * Engine values as {@link #values(List)}, but each v128 in the lane shape of the expectation at its position
     * (when that has one: a v128 constant, or the first alternative of an {@code either} that is one), so that
     * {@code expected v128:i32x4 1 2 3 5, got v128:i32x4 1 2 3 4} compare lane by lane.
     */
    public static String values(List<Value> values, List<WastExpected> expected) {
        if (values.isEmpty()) return "()";
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            LaneShape shape = i < expected.size() ? shapeOf(expected.get(i)) : null;
            parts.add(values.get(i) instanceof Value.V128 v && shape != null ? "v128:" + lanes(shape, v.bytes())
                    : value(values.get(i)));
        }
        return String.join(" ", parts);
    }

    private static LaneShape shapeOf(WastExpected expected) {
        return switch (expected) {
            case WastExpected.Exact e when e.value() instanceof WastValue.V128 x -> x.shape();
            case WastExpected.V128Lanes l -> l.shape();
            case WastExpected.Either e -> {
                for (WastExpected a : e.alternatives()) {
                    LaneShape shape = shapeOf(a);
                    if (shape != null) yield shape;
                }
                yield null;
            }
            default -> null;
        };
    }

    /** The 16 bytes as lanes of {@code shape}: {@code i32x4 1 -2 3 4}, {@code f32x4 nan:0x1 1.5 -0 inf}. */
    static String lanes(LaneShape shape, byte[] bytes) {
        if (shape == null) return HexFormat.ofDelimiter(" ").formatHex(bytes);
        StringBuilder b = new StringBuilder(shape.text());
        int width = shape.laneBytes();
        for (int lane = 0; lane < shape.lanes(); lane++) {
            long bits = 0;
            for (int k = width - 1; k >= 0; k--) bits = (bits << 8) | (bytes[lane * width + k] & 0xFF);
            b.append(' ').append(lane(shape, bits));
        }
        return b.toString();
    }

    /** One lane's bits (the low bits of {@code bits}) in {@code shape}'s notation. */
    private static String lane(LaneShape shape, long bits) {
        int width = 8 * shape.laneBytes();
        if (shape.isFloat()) {
            String n = number(width == 32 ? ValType.F32 : ValType.F64, bits);
            return n.substring(n.indexOf(':') + 1);
        }
        return Long.toString(width == 64 ? bits : bits << (64 - width) >> (64 - width));
    }

    /** Expectations of an {@code assert_return}, e.g. {@code i32:42 f32:nan:canonical}; {@code ()} for none. */
    public static String expected(List<WastExpected> expected) {
        if (expected.isEmpty()) return "()";
        List<String> parts = new ArrayList<>();
        for (WastExpected e : expected) parts.add(expected(e));
        return String.join(" ", parts);
    }

    /** One expectation. */
    public static String expected(WastExpected expected) {
        return switch (expected) {
            case WastExpected.Exact e -> value(e.value());
            case WastExpected.CanonicalNan n -> n.type().text() + ":nan:canonical";
            case WastExpected.ArithmeticNan n -> n.type().text() + ":nan:arithmetic";
            case WastExpected.V128Lanes l -> {
                StringBuilder b = new StringBuilder("v128:").append(l.shape().text());
                for (WastExpected.Lane lane : l.lanes()) {
                    b.append(' ').append(switch (lane) {
                        case WastExpected.Lane.Bits bits -> lane(l.shape(), bits.bits());
                        case WastExpected.Lane.Canonical c -> "nan:canonical";
                        case WastExpected.Lane.Arithmetic a -> "nan:arithmetic";
                    });
                }
                yield b.toString();
            }
            case WastExpected.AnyNull n -> "ref.null";
            case WastExpected.AnyRef r -> "ref." + r.kind();
            case WastExpected.Either e -> {
                List<String> parts = new ArrayList<>();
                for (WastExpected a : e.alternatives()) parts.add(expected(a));
                yield "(either " + String.join(" ", parts) + ")";
            }
        };
    }

    /** A constant written in a script. */
    public static String value(WastValue v) {
        return switch (v) {
            case WastValue.Num n -> number(n.type(), n.bits());
            case WastValue.V128 x -> "v128:" + lanes(x.shape(), x.bytes());
            case WastValue.RefNull n -> "ref.null " + n.heapType();
            case WastValue.RefExtern e -> "ref.extern " + e.id();
            case WastValue.RefHost h -> "ref.host " + h.id();
        };
    }

    /** {@code i32:-1}, {@code f64:0.5}, {@code f32:-inf}, {@code f32:nan:canonical}, {@code f64:nan:0x1}. */
    static String number(ValType type, long bits) {
        return type.text() + ":" + switch (type.kind()) {
            case I32 -> Integer.toString((int) bits);
            case I64 -> Long.toString(bits);
            case F32 -> {
                int b = (int) bits;
                float f = Float.intBitsToFloat(b);
                yield Float.isNaN(f) ? nan(b < 0, b & 0x7F_FFFF, 0x40_0000) : decimal(Float.toString(f));
            }
            case F64 -> {
                double d = Double.longBitsToDouble(bits);
                yield Double.isNaN(d) ? nan(bits < 0, bits & 0xF_FFFF_FFFF_FFFFL, 0x8_0000_0000_0000L)
                        : decimal(Double.toString(d));
            }
            default -> "0x" + Long.toHexString(bits);
        };
    }

    private static String nan(boolean negative, long payload, long canonical) {
        return (negative ? "-" : "") + (payload == canonical ? "nan" : "nan:0x" + Long.toHexString(payload));
    }

    private static String decimal(String java) {
        return switch (java) {
            case "Infinity" -> "inf";
            case "-Infinity" -> "-inf";
            default -> java.endsWith(".0") ? java.substring(0, java.length() - 2) : java;
        };
    }

    private static String heapType(ValType type) {
        return type == ValType.FUNCREF ? "func" : type == ValType.EXTERNREF ? "extern" : type.text();
    }
}
