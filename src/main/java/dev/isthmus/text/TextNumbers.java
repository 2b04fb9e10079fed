package dev.isthmus.text;

import java.math.BigInteger;

/**
 * The numeric literals of the text format: integers (decimal or {@code 0x} hex, optional sign, single underscores
 * between digits) and floats (decimal, hex with {@code p} exponent, {@code inf}, {@code nan}, {@code nan:0x...}).
 *
 * <p>Every method throws {@link LiteralException} with the spec suite's wording: "unknown operator" when the text
 * is not a literal of that form at all, "constant out of range" when it is but does not fit.
 */
public final class TextNumbers {
    private TextNumbers() {}

    /** The literal is malformed or out of range; {@link #getMessage()} is the reason. */
    public static final class LiteralException extends RuntimeException {
        LiteralException(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final BigInteger TWO_32 = BigInteger.ONE.shiftLeft(32);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private static LiteralException malformed() {
        return new LiteralException("unknown operator");
    }

    private static LiteralException outOfRange() {
        return new LiteralException("constant out of range");
    }

    /** True if {@code text} has the shape of an unsigned integer literal (no sign). */
    public static boolean isNat(String text) {
        return !text.isEmpty() && text.charAt(0) >= '0' && text.charAt(0) <= '9' && integerOrNull(text) != null;
    }

    /** Parses a signed or unsigned integer literal, or returns null if the text is not one. */
    public static BigInteger integerOrNull(String text) {
        int i = 0;
        boolean negative = false;
        if (text.startsWith("+") || text.startsWith("-")) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        boolean hex = text.startsWith("0x", i);
        if (hex) i += 2;
        String digits = text.substring(i);
        if (!validDigits(digits, hex)) return null;
        BigInteger v = new BigInteger(digits.replace("_", ""), hex ? 16 : 10);
        return negative ? v.negate() : v;
    }

    /** Digits with single underscores strictly between them. */
    static boolean validDigits(String d, boolean hex) {
        if (d.isEmpty()) return false;
        boolean lastWasDigit = false;
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c == '_') {
                if (!lastWasDigit) return false;
                lastWasDigit = false;
            } else if (hex ? Lexer.isHexDigit(c) : c >= '0' && c <= '9') {
                lastWasDigit = true;
            } else {
                return false;
            }
        }
        return lastWasDigit;
    }

    /** {@code nan:canonical} and {@code nan:arithmetic} are result patterns of scripts, no literals. */
    private static void rejectScriptPatterns(String text) {
        if (text.equals("nan:canonical") || text.equals("nan:arithmetic")) {
            throw new LiteralException("unexpected token");
        }
    }

    /** An unsigned 32-bit literal (indices, offsets, limits). */
    public static long u32(String text) {
        if (text.startsWith("+") || text.startsWith("-")) throw malformed();
        BigInteger v = integerOrNull(text);
        if (v == null) throw malformed();
        if (v.compareTo(TWO_32) >= 0) throw outOfRange();
        return v.longValue();
    }

    /** An unsigned 64-bit literal, returned as its two's-complement bits. */
    public static long u64(String text) {
        if (text.startsWith("+") || text.startsWith("-")) throw malformed();
        BigInteger v = integerOrNull(text);
        if (v == null) throw malformed();
        if (v.compareTo(TWO_64) >= 0) throw outOfRange();
        return v.longValue();
    }

    /** An integer of {@code bits} bits, signed or unsigned: accepts -2^(bits-1) .. 2^bits-1; returns the bits. */
    public static long integer(String text, int bits) {
        rejectScriptPatterns(text);
        BigInteger v = integerOrNull(text);
        if (v == null) throw malformed();
        BigInteger limit = BigInteger.ONE.shiftLeft(bits);
        BigInteger min = BigInteger.ONE.shiftLeft(bits - 1).negate();
        if (v.compareTo(limit) >= 0 || v.compareTo(min) < 0) throw outOfRange();
        long raw = v.longValue();
        return bits == 64 ? raw : raw & ((1L << bits) - 1);
    }

    public static int i32(String text) {
        return (int) integer(text, 32);
    }

    public static long i64(String text) {
        return integer(text, 64);
    }

    /**
     * One lane literal of a v128 constant: an integer of {@code bits} bits (signed or unsigned), or, when
     * {@code floating}, an f32 ({@code bits} = 32) or f64 literal. Returns the lane's bits.
     */
    public static long lane(int bits, boolean floating, String text) {
        if (!floating) return integer(text, bits);
        return bits == 32 ? f32(text) & 0xFFFFFFFFL : f64(text);
    }

    /** The bits of an f32 literal (in the low 32 bits). */
    public static int f32(String text) {
        return (int) floatBits(text, 23, 8);
    }

    /** The bits of an f64 literal. */
    public static long f64(String text) {
        return floatBits(text, 52, 11);
    }

    /**
     * Parses a float literal into an IEEE-754 format with {@code fracBits} fraction bits and {@code expBits}
     * exponent bits, rounding to nearest, ties to even.
     */
    static long floatBits(String text, int fracBits, int expBits) {
        rejectScriptPatterns(text);
        long signBit = 1L << (fracBits + expBits);
        long expAllOnes = ((1L << expBits) - 1) << fracBits;
        boolean negative = text.startsWith("-");
        String body = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        long sign = negative ? signBit : 0;
        if (body.equals("inf")) return sign | expAllOnes;
        if (body.equals("nan")) return sign | expAllOnes | (1L << (fracBits - 1));
        if (body.startsWith("nan:0x")) {
            String digits = body.substring(6);
            if (!validDigits(digits, true)) throw malformed();
            BigInteger payload = new BigInteger(digits.replace("_", ""), 16);
            if (payload.signum() == 0 || payload.bitLength() > fracBits) throw outOfRange();
            return sign | expAllOnes | payload.longValue();
        }
        if (body.startsWith("nan:")) throw malformed();
        if (body.startsWith("0x")) return sign | hexFloat(body.substring(2), fracBits, expBits);
        return sign | decimalFloat(body, fracBits);
    }

    private static long decimalFloat(String body, int fracBits) {
        int e = indexOfAny(body, "eE");
        String mantissa = e < 0 ? body : body.substring(0, e);
        int dot = mantissa.indexOf('.');
        String intPart = dot < 0 ? mantissa : mantissa.substring(0, dot);
        String fracPart = dot < 0 ? "" : mantissa.substring(dot + 1);
        if (!validDigits(intPart, false) || !fracPart.isEmpty() && !validDigits(fracPart, false)) throw malformed();
        if (e >= 0) {
            String exp = body.substring(e + 1);
            if (exp.startsWith("+") || exp.startsWith("-")) exp = exp.substring(1);
            if (!validDigits(exp, false)) throw malformed();
        }
        String clean = body.replace("_", "");
        if (fracBits == 23) {
            float f = Float.parseFloat(clean);
            if (Float.isInfinite(f)) throw outOfRange();
            return Float.floatToRawIntBits(f) & 0xFFFFFFFFL;
        }
        double d = Double.parseDouble(clean);
        if (Double.isInfinite(d)) throw outOfRange();
        return Double.doubleToRawLongBits(d);
    }

    private static long hexFloat(String body, int fracBits, int expBits) {
        int p = indexOfAny(body, "pP");
        String mantissa = p < 0 ? body : body.substring(0, p);
        int dot = mantissa.indexOf('.');
        String intPart = dot < 0 ? mantissa : mantissa.substring(0, dot);
        String fracPart = dot < 0 ? "" : mantissa.substring(dot + 1);
        if (!validDigits(intPart, true) || !fracPart.isEmpty() && !validDigits(fracPart, true)) throw malformed();
        long exponent = 0;
        if (p >= 0) {
            String exp = body.substring(p + 1);
            boolean negExp = exp.startsWith("-");
            if (exp.startsWith("+") || exp.startsWith("-")) exp = exp.substring(1);
            if (!validDigits(exp, false)) throw malformed();
            BigInteger big = new BigInteger(exp.replace("_", ""));
            long limit = 1_000_000;
            exponent = big.compareTo(BigInteger.valueOf(limit)) > 0 ? limit : big.longValue();
            if (negExp) exponent = -exponent;
        }
        String fracDigits = fracPart.replace("_", "");
        BigInteger m = new BigInteger(intPart.replace("_", "") + fracDigits, 16);
        if (m.signum() == 0) return 0;
        return round(m, exponent - 4L * fracDigits.length(), fracBits, expBits);
    }

    /**
     * Rounds {@code m * 2^e} (m &gt; 0) to the nearest representable value (ties to even) and returns its bits
     * without sign; throws "constant out of range" when it rounds to infinity.
     */
    static long round(BigInteger m, long e, int fracBits, int expBits) {
        int bias = (1 << (expBits - 1)) - 1;
        long topExponent = m.bitLength() - 1 + e;
        long quantum = Math.max(topExponent, 1 - bias) - fracBits;
        long shift = quantum - e;
        BigInteger r;
        if (shift > 0) {
            if (shift > m.bitLength() + 1) {
                r = BigInteger.ZERO;
            } else {
                BigInteger kept = m.shiftRight((int) shift);
                BigInteger rest = m.subtract(kept.shiftLeft((int) shift));
                BigInteger half = BigInteger.ONE.shiftLeft((int) shift - 1);
                int cmp = rest.compareTo(half);
                if (cmp > 0 || cmp == 0 && kept.testBit(0)) kept = kept.add(BigInteger.ONE);
                r = kept;
            }
        } else {
            r = m.shiftLeft((int) -shift);
        }
        if (r.bitLength() > fracBits + 1) {
            r = r.shiftRight(1);
            quantum++;
        }
        if (r.bitLength() == fracBits + 1) {
            long biased = quantum + fracBits + bias;
            if (biased >= (1L << expBits) - 1) throw outOfRange();
            return (biased << fracBits) | r.clearBit(fracBits).longValue();
        }
        return r.longValue();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
        return -1;
    }
}
