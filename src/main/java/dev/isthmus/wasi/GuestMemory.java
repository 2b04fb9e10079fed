package dev.isthmus.wasi;

import dev.isthmus.Memory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian access to the guest's linear memory for one WASI call. Guest pointers are u32
 * ({@code int} read unsigned); any access outside the current memory size fails with {@link Errno#FAULT} instead
 * of throwing into the wasm frames. Take a new one per call: the memory may have grown.
 */
final class GuestMemory {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final MemorySegment segment;

    GuestMemory(Memory memory) {
        if (memory == null) throw new WasiErrnoException(Errno.FAULT);
        this.segment = memory.segment();
    }

    /** Fails with EFAULT unless {@code [address, address + length)} lies in memory; returns the offset. */
    long check(int address, long length) {
        long start = Integer.toUnsignedLong(address);
        if (length < 0 || start + length > segment.byteSize()) throw new WasiErrnoException(Errno.FAULT);
        return start;
    }

    int u8(int address) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, check(address, 1)));
    }

    int u16(int address) {
        return Short.toUnsignedInt(segment.get(I16, check(address, 2)));
    }

    int i32(int address) {
        return segment.get(I32, check(address, 4));
    }

    long i64(int address) {
        return segment.get(I64, check(address, 8));
    }

    void setU8(int address, int value) {
        segment.set(ValueLayout.JAVA_BYTE, check(address, 1), (byte) value);
    }

    void setU16(int address, int value) {
        segment.set(I16, check(address, 2), (short) value);
    }

    void setI32(int address, int value) {
        segment.set(I32, check(address, 4), value);
    }

    void setI64(int address, long value) {
        segment.set(I64, check(address, 8), value);
    }

    /** Zeroes {@code length} bytes (padding in structs). */
    void zero(int address, int length) {
        segment.asSlice(check(address, length), length).fill((byte) 0);
    }

    byte[] bytes(int address, int length) {
        long start = check(address, Integer.toUnsignedLong(length));
        return segment.asSlice(start, Integer.toUnsignedLong(length)).toArray(ValueLayout.JAVA_BYTE);
    }

    void write(int address, byte[] bytes, int offset, int length) {
        long start = check(address, length);
        MemorySegment.copy(bytes, offset, segment, ValueLayout.JAVA_BYTE, start, length);
    }

    void write(int address, byte[] bytes) {
        write(address, bytes, 0, bytes.length);
    }

    /** A view of guest bytes for channel I/O (no copy). */
    ByteBuffer buffer(int address, int length) {
        long start = check(address, Integer.toUnsignedLong(length));
        return segment.asSlice(start, Integer.toUnsignedLong(length)).asByteBuffer();
    }

    /** A UTF-8 string (paths): invalid UTF-8 gives EILSEQ. */
    String string(int address, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(address, length)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new WasiErrnoException(Errno.ILSEQ);
        }
    }

    /** The (buf, len) pairs of an iovec/ciovec array as buffers over guest memory. */
    ByteBuffer[] iovecs(int iovs, int count) {
        check(iovs, Integer.toUnsignedLong(count) * 8);
        ByteBuffer[] buffers = new ByteBuffer[count];
        for (int i = 0; i < count; i++) buffers[i] = buffer(i32(iovs + 8 * i), i32(iovs + 8 * i + 4));
        return buffers;
    }
}
