package dev.isthmus.x64;

import java.util.Arrays;

/** A growable little-endian byte buffer for machine code, with in-place patching of already emitted bytes. */
public final class CodeBuffer {
    private byte[] bytes = new byte[256];
    private int size;

    /** The offset the next byte will be written at (= number of bytes emitted so far). */
    public int position() {
        return size;
    }

    /** Appends one byte (the low 8 bits of {@code value}). */
    public void emit8(int value) {
        if (size == bytes.length) bytes = Arrays.copyOf(bytes, bytes.length * 2);
        bytes[size++] = (byte) value;
    }

    /** Appends a 16-bit little-endian value. */
    public void emit16(int value) {
        emit8(value);
        emit8(value >> 8);
    }

    /** Appends a 32-bit little-endian value. */
    public void emit32(int value) {
        emit16(value);
        emit16(value >> 16);
    }

    /** Appends a 64-bit little-endian value. */
    public void emit64(long value) {
        emit32((int) value);
        emit32((int) (value >> 32));
    }

    /** Appends the low {@code count} bytes (1, 2, 4 or 8) of {@code value}, little-endian. */
    public void emitLittleEndian(long value, int count) {
        for (int i = 0; i < count; i++) emit8((int) (value >> (8 * i)));
    }

    /** Appends all of {@code data}. */
    public void emitBytes(byte[] data) {
        for (byte b : data) emit8(b);
    }

    /** The byte at {@code offset} as an unsigned value. */
    public int byteAt(int offset) {
        checkOffset(offset, 1);
        return bytes[offset] & 0xFF;
    }

    /** Overwrites one byte at {@code offset}. */
    public void patch8(int offset, int value) {
        checkOffset(offset, 1);
        bytes[offset] = (byte) value;
    }

    /** Overwrites four bytes at {@code offset} with {@code value}, little-endian. */
    public void patch32(int offset, int value) {
        checkOffset(offset, 4);
        for (int i = 0; i < 4; i++) bytes[offset + i] = (byte) (value >> (8 * i));
    }

    /** A copy of the emitted bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void checkOffset(int offset, int width) {
        if (offset < 0 || offset + width > size) {
            throw new IndexOutOfBoundsException("offset " + offset + " width " + width + " outside 0.." + size);
        }
    }
}
