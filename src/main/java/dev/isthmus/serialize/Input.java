package dev.isthmus.serialize;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A bounds-checked little-endian reader over a part of a code file: every read that would pass its limit, and
 * every count whose elements could not fit in what is left, is a {@link CodeFileException} of kind
 * {@code CORRUPT} naming the section and the file offset.
 */
final class Input {
    private final byte[] bytes;
    private final String section;
    private final int limit;
    private int position;

    Input(byte[] bytes, String section, int start, int limit) {
        this.bytes = bytes;
        this.section = section;
        this.position = start;
        this.limit = limit;
    }

    int position() {
        return position;
    }

    int remaining() {
        return limit - position;
    }

    CodeFileException corrupt(String reason) {
        return corrupt(reason, position);
    }

    CodeFileException corrupt(String reason, long at) {
        return new CodeFileException(CodeFileException.Kind.CORRUPT, reason, section, at);
    }

    private void need(long n, String what) {
        if (n > remaining()) {
            throw corrupt(what + " needs " + n + " bytes, " + remaining() + " left in the section");
        }
    }

    int u8(String what) {
        need(1, what);
        return bytes[position++] & 0xFF;
    }

    int u32(String what) {
        need(4, what);
        int v = TypeIdSites.le32(bytes, position);
        position += 4;
        return v;
    }

    long u64(String what) {
        need(8, what);
        long lo = TypeIdSites.le32(bytes, position) & 0xFFFFFFFFL;
        long hi = TypeIdSites.le32(bytes, position + 4) & 0xFFFFFFFFL;
        position += 8;
        return lo | hi << 32;
    }

    /** A non-negative 32-bit value. */
    int count(String what) {
        int at = position;
        int v = u32(what);
        if (v < 0) throw corrupt(what + " " + Integer.toUnsignedString(v) + " is out of range", at);
        return v;
    }

    /** A count of elements of {@code elementSize} bytes each, checked against what is left before allocating. */
    int count(String what, int elementSize) {
        int at = position;
        int n = count(what);
        if ((long) n * elementSize > remaining()) {
            throw corrupt(what + " " + n + " does not fit in the " + remaining() + " bytes left", at);
        }
        return n;
    }

    int[] ints(int n, String what) {
        need(4L * n, what);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = u32(what);
        return a;
    }

    byte[] bytes(int n, String what) {
        need(n, what);
        byte[] a = new byte[n];
        System.arraycopy(bytes, position, a, 0, n);
        position += n;
        return a;
    }

    String string(String what) {
        int n = count(what + " length", 1);
        int at = position;
        byte[] utf8 = bytes(n, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(what + " is not UTF-8", at);
        }
    }

    /** The next section: its 4-character tag must be {@code tag}; its payload is returned as its own reader. */
    Input section(String tag) {
        int at = position;
        int found = u32("section tag");
        if (found != tagValue(tag)) {
            throw new CodeFileException(CodeFileException.Kind.CORRUPT,
                    "expected section " + tag + ", found " + tagName(found), section, at);
        }
        int length = count("section " + tag + " length");
        if (length > remaining()) {
            throw new CodeFileException(CodeFileException.Kind.CORRUPT, "section " + tag + " of " + length
                    + " bytes runs past the end of the file (" + remaining() + " bytes left)", tag, at);
        }
        Input payload = new Input(bytes, tag, position, position + length);
        position += length;
        return payload;
    }

    /** Every byte of this part was read. */
    void end() {
        if (remaining() != 0) throw corrupt(remaining() + " unread bytes at the end");
    }

    static int tagValue(String tag) {
        return tag.charAt(0) | tag.charAt(1) << 8 | tag.charAt(2) << 16 | tag.charAt(3) << 24;
    }

    private static String tagName(int value) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int c = value >>> (8 * i) & 0xFF;
            if (c < 0x20 || c > 0x7E) return "0x" + Integer.toHexString(value);
            s.append((char) c);
        }
        return "'" + s + "'";
    }
}
