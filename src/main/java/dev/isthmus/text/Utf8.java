package dev.isthmus.text;

/**
 * Decodes UTF-8 source text without losing malformed bytes: each byte that is not part of a valid sequence becomes
 * the lone surrogate {@code U+DC00 + byte}, which no valid text contains, so the {@link Lexer} can report
 * "malformed UTF-8 encoding" at the place it occurs instead of the decoder silently replacing it.
 */
public final class Utf8 {
    private Utf8() {}

    /** The text of {@code bytes}, malformed bytes kept as lone surrogates. */
    public static String decodeKeepingMalformed(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            int length = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3
                    : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            int cp = length == 0 ? -1 : codePoint(bytes, i, length);
            if (cp < 0) {
                sb.append((char) (b < 0x80 ? b : 0xDC00 | b));
                i++;
            } else {
                sb.appendCodePoint(cp);
                i += length;
            }
        }
        return sb.toString();
    }

    /** The code point of the {@code length}-byte sequence at {@code i}, or -1 if it is malformed. */
    private static int codePoint(byte[] bytes, int i, int length) {
        if (length == 1) return bytes[i];
        if (i + length > bytes.length) return -1;
        int cp = bytes[i] & (0xFF >> (length + 1));
        for (int k = 1; k < length; k++) {
            int c = bytes[i + k] & 0xFF;
            if ((c & 0xC0) != 0x80) return -1;
            cp = cp << 6 | (c & 0x3F);
        }
        int min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) return -1;
        return cp;
    }

    /** True if {@code c} is a lone surrogate standing for a malformed byte (or any unpaired surrogate). */
    static boolean isMalformedAt(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (Character.isLowSurrogate(c)) return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        return false;
    }
}
