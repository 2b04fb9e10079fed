package dev.isthmus.serialize;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte buffer for writing a code file. */
final class Output {
    private byte[] bytes;
    private int size;

    Output(int capacity) {
        bytes = new byte[Math.max(capacity, 64)];
    }

    int size() {
        return size;
    }

    private void ensure(int more) {
        if (size + (long) more > Integer.MAX_VALUE - 16) {
            throw new CodeFileException(CodeFileException.Kind.NOT_SERIALIZABLE, "the code file would exceed 2 GiB");
        }
        if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
    }

    void u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
    }

    void u32(int v) {
        ensure(4);
        bytes[size++] = (byte) v;
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) (v >>> 16);
        bytes[size++] = (byte) (v >>> 24);
    }

    void u64(long v) {
        u32((int) v);
        u32((int) (v >>> 32));
    }

    void ints(int[] a) {
        for (int v : a) u32(v);
    }

    void bytes(byte[] a) {
        ensure(a.length);
        System.arraycopy(a, 0, bytes, size, a.length);
        size += a.length;
    }

    void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        u32(utf8.length);
        bytes(utf8);
    }

    /** Starts a section: writes its tag and a length placeholder, returns where the length goes. */
    int beginSection(String tag) {
        u32(Input.tagValue(tag));
        u32(0);
        return size - 4;
    }

    void endSection(int lengthAt) {
        putU32(lengthAt, size - lengthAt - 4);
    }

    void putU32(int at, int v) {
        bytes[at] = (byte) v;
        bytes[at + 1] = (byte) (v >>> 8);
        bytes[at + 2] = (byte) (v >>> 16);
        bytes[at + 3] = (byte) (v >>> 24);
    }

    void putU64(int at, long v) {
        putU32(at, (int) v);
        putU32(at + 4, (int) (v >>> 32));
    }

    byte[] array() {
        return bytes;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
