package dev.isthmus.model;

/** LEB128 encoding helpers (decoding, with the binary format's error rules, is the binary reader's job). */
public final class Leb128 {
    private Leb128() {}

    public static byte[] encodeUnsigned(long value) {
        byte[] buf = new byte[10];
        int n = 0;
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            if (value != 0) b |= 0x80;
            buf[n++] = (byte) b;
        } while (value != 0);
        return java.util.Arrays.copyOf(buf, n);
    }

    public static byte[] encodeSigned(long value) {
        byte[] buf = new byte[10];
        int n = 0;
        while (true) {
            int b = (int) (value & 0x7F);
            value >>= 7;
            boolean done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            if (!done) b |= 0x80;
            buf[n++] = (byte) b;
            if (done) break;
        }
        return java.util.Arrays.copyOf(buf, n);
    }
}
