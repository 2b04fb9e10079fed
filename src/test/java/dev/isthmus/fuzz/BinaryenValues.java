package dev.isthmus.fuzz;

import dev.isthmus.V128;
import dev.isthmus.model.ValType;

import java.math.BigInteger;
import java.util.List;

/**
 * Compares values produced by Isthmus with the way binaryen's interpreter prints them.
 *
 * <p>binaryen prints integers in decimal (sometimes as their unsigned reading), floats in the shortest decimal that
 * reads back as the same double (an f32 is printed as the double it widens to), and special values as
 * {@code nan}, {@code -nan}, {@code nan:0x...}, {@code inf}, {@code -inf} and {@code -0}. Any NaN matches any NaN: the
 * spec lets NaN payloads and signs differ between engines.
 */
final class BinaryenValues {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private BinaryenValues() {
    }

    /** The tokens binaryen prints for one logged value of {@code type}: an i64 becomes its low and high halves. */
    static List<String> logTokens(ValType type, Object value) {
        if (type == ValType.I64) {
            long v = (Long) value;
            return List.of(Integer.toString((int) v), Integer.toString((int) (v >>> 32)));
        }
        return List.of(describe(type, value));
    }

    /** Whether binaryen's printed {@code token} denotes the {@code actual} value of {@code type}. */
    static boolean matches(ValType type, String token, Object actual) {
        return switch (type.kind()) {
            case I32 -> integer(token, 32).map(v -> v.intValue() == (Integer) actual).orElse(false);
            case I64 -> integer(token, 64).map(v -> v.longValue() == (Long) actual).orElse(false);
            case F32 -> matchesFloat(token, (Float) actual);
            case F64 -> matchesDouble(token, (Double) actual);
            case V128 -> matchesV128(token, v128Bytes(actual));
            case FUNCREF, EXTERNREF, EXNREF -> matchesReference(token, actual);
        };
    }

    /**
     * binaryen 132 prints a reference as {@code null}, {@code function} (any non-null func ref: its index is not
     * stable across engines), or {@code externref(N)} (an extern {@link BinaryenHost} made, by its payload); older
     * interpreters printed forms that cannot be compared across engines, which match anything.
     */
    private static boolean matchesReference(String token, Object actual) {
        if (token.equals("null")) return actual == null;
        if (token.equals("function")) return actual instanceof dev.isthmus.FunctionRef;
        if (token.startsWith("externref(") && token.endsWith(")")) {
            return actual instanceof BinaryenHost.Extern e
                    && token.equals("externref(" + e.payload() + ")");
        }
        return true;
    }

    /**
     * Whether binaryen's printed v128 ({@code i32x4 0x00000001 0x00000002 0x00000003 0xffffffff}, lanes
     * little-endian) has exactly the bits of {@code actual}: the corpus is made with --denan, so no float lane can
     * hold a NaN whose payload the spec leaves open.
     */
    static boolean matchesV128(String printed, byte[] actual) {
        String[] words = printed.strip().split(" ");
        if (words.length != 5 || !words[0].equals("i32x4")) return false;
        for (int lane = 0; lane < 4; lane++) {
            if (!words[lane + 1].startsWith("0x")) return false;
            long bits = Long.parseLong(words[lane + 1].substring(2), 16);
            for (int b = 0; b < 4; b++) {
                if (actual[4 * lane + b] != (byte) (bits >>> (8 * b))) return false;
            }
        }
        return true;
    }

    /** The 16 bytes of a v128 value as the API returns it. */
    static byte[] v128Bytes(Object value) {
        return ((V128) value).bytes();
    }

    /** A zero v128 argument. */
    static Object zeroV128() {
        return V128.ZERO;
    }

    /** Matches an i32 log token against an int (used for both halves of a logged i64). */
    static boolean matchesI32(String token, int actual) {
        return matches(ValType.I32, token, actual);
    }

    /** A readable form of an actual value for failure messages, in binaryen's style where it matters. */
    static String describe(ValType type, Object value) {
        return switch (type.kind()) {
            case F32 -> Float.isNaN((Float) value)
                    ? "nan:0x" + Integer.toHexString(Float.floatToRawIntBits((Float) value))
                    : Double.toString((Float) value);
            case F64 -> Double.isNaN((Double) value)
                    ? "nan:0x" + Long.toHexString(Double.doubleToRawLongBits((Double) value))
                    : Double.toString((Double) value);
            case FUNCREF -> value == null ? "null" : "function";
            default -> String.valueOf(value);
        };
    }

    private static java.util.Optional<BigInteger> integer(String token, int bits) {
        BigInteger value;
        try {
            value = new BigInteger(token);
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
        BigInteger limit = BigInteger.ONE.shiftLeft(bits);
        if (value.compareTo(limit.negate().shiftRight(1)) < 0 || value.compareTo(limit) >= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(bits == 64 ? value.mod(TWO_TO_64) : value);
    }

    private static boolean matchesFloat(String token, float actual) {
        if (isNaN(token)) {
            return Float.isNaN(actual);
        }
        Double expected = parseFloating(token);
        if (expected == null) {
            return false;
        }
        return sameBits((double) actual, expected) || Float.floatToIntBits(expected.floatValue())
                == Float.floatToIntBits(actual);
    }

    private static boolean matchesDouble(String token, double actual) {
        if (isNaN(token)) {
            return Double.isNaN(actual);
        }
        Double expected = parseFloating(token);
        return expected != null && sameBits(actual, expected);
    }

    private static boolean isNaN(String token) {
        return token.equals("nan") || token.equals("-nan") || token.startsWith("nan:") || token.startsWith("-nan:");
    }

    private static Double parseFloating(String token) {
        return switch (token) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(token);
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }

    private static boolean sameBits(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }
}
