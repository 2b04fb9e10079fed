package dev.isthmus.text;

import dev.isthmus.model.Leb128;
import java.io.ByteArrayOutputStream;

/** A growing byte buffer with the primitive encodings of the binary format (LEB128, floats, names, sections). */
final class BinaryWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A value type: its byte, and for {@code (ref null? ht)} without a short form, the heap type (s33). */
    BinaryWriter valType(dev.isthmus.model.ValType t) {
        u8(t.code());
        if (!t.hasShortCode()) s64(t.heapType());
        return this;
    }

    /** A heap type (s33): 0x70 func, 0x6F extern, or a type index. */
    BinaryWriter heapType(int heapType) {
        return s64(heapType);
    }

    BinaryWriter u8(int b) {
        out.write(b);
        return this;
    }

    BinaryWriter u32(long v) {
        out.writeBytes(Leb128.encodeUnsigned(v & 0xFFFFFFFFL));
        return this;
    }

    /** Unsigned LEB128 of the full 64-bit value (memory64 offsets). */
    BinaryWriter u64(long v) {
        out.writeBytes(Leb128.encodeUnsigned(v));
        return this;
    }

    BinaryWriter s32(int v) {
        out.writeBytes(Leb128.encodeSigned(v));
        return this;
    }

    BinaryWriter s64(long v) {
        out.writeBytes(Leb128.encodeSigned(v));
        return this;
    }

    /** Little-endian fixed-width integer of {@code n} bytes. */
    BinaryWriter fixed(long bits, int n) {
        for (int i = 0; i < n; i++) out.write((int) (bits >>> (8 * i)));
        return this;
    }

    BinaryWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** A vector of bytes: length then the bytes (names, data). */
    BinaryWriter sized(byte[] b) {
        u32(b.length);
        return bytes(b);
    }

    BinaryWriter append(BinaryWriter other) {
        out.writeBytes(other.toByteArray());
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Writes a section: id, byte size, content; nothing when {@code count} is 0 and the section is a vector. */
    void section(int id, int count, BinaryWriter entries) {
        if (count == 0) return;
        BinaryWriter content = new BinaryWriter().u32(count).append(entries);
        u8(id).sized(content.toByteArray());
    }
}
