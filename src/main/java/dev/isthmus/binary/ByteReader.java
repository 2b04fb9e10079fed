package dev.isthmus.binary;

import dev.isthmus.binary.DecodeException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over WebAssembly binary encodings: bytes, LEB128 integers with the spec's length and unused-bit rules,
 * IEEE floats, and UTF-8 names. Reading past the limit throws a {@link DecodeException} with
 * {@link #endMessage()} ("unexpected end" by default).
 *
 * <p>Offsets in errors are absolute: {@code base + position}, so a reader over a copied function body reports
 * positions in the original module.
 */
public final class ByteReader {
    private final byte[] bytes;
    private final int limit;
    private final long base;
    private final String endMessage;
    private String section;
    private int pos;

    /**
     * @param bytes      the buffer
     * @param start      first readable index
     * @param limit      one past the last readable index
     * @param base       absolute offset of {@code bytes[0]} in the module
     * @param endMessage the error text when a read runs past {@code limit}
     */
    public ByteReader(byte[] bytes, int start, int limit, long base, String endMessage) {
        if (start < 0 || limit > bytes.length || start > limit) throw new IllegalArgumentException("bad range");
        this.bytes = bytes;
        this.pos = start;
        this.limit = limit;
        this.base = base;
        this.endMessage = endMessage;
    }

    public ByteReader(byte[] bytes) {
        this(bytes, 0, bytes.length, 0, "unexpected end");
    }

    /** A reader over the next {@code length} bytes, which this reader skips. */
    public ByteReader slice(int length, String endMessage) {
        if (length < 0 || length > remaining()) throw malformed(this.endMessage, pos);
        ByteReader r = new ByteReader(bytes, pos, pos + length, base, endMessage);
        r.section = section;
        pos += length;
        return r;
    }

    /** Names the section errors are reported in (null for none). */
    public ByteReader inSection(String section) {
        this.section = section;
        return this;
    }

    public String section() {
        return section;
    }

    public String endMessage() {
        return endMessage;
    }

    public int position() {
        return pos;
    }

    /** Absolute offset of the next byte in the module. */
    public long offset() {
        return base + pos;
    }

    public int limit() {
        return limit;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean atEnd() {
        return pos >= limit;
    }

    public byte[] buffer() {
        return bytes;
    }

    public int u8() {
        if (pos >= limit) throw malformed(endMessage, pos);
        return bytes[pos++] & 0xFF;
    }

    public int peek() {
        if (pos >= limit) throw malformed(endMessage, pos);
        return bytes[pos] & 0xFF;
    }

    public byte[] bytes(int n) {
        if (n < 0 || n > remaining()) throw malformed(endMessage, limit);
        byte[] out = new byte[n];
        System.arraycopy(bytes, pos, out, 0, n);
        pos += n;
        return out;
    }

    public void skip(int n) {
        if (n < 0 || n > remaining()) throw malformed(endMessage, limit);
        pos += n;
    }

    /** An unsigned 32-bit LEB128 as a non-negative long. */
    public long u32() {
        int start = pos;
        long result = 0;
        for (int i = 0; i < 5; i++) {
            int b = u8();
            result |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == 4 && (b & 0x70) != 0) throw malformed("integer too large", start);
                return result;
            }
        }
        throw malformed("integer representation too long", start);
    }

    /** An unsigned 64-bit LEB128, returned as its two's-complement bits (memory64 offsets and limits). */
    public long u64() {
        int start = pos;
        long result = 0;
        for (int i = 0; i < 10; i++) {
            int b = u8();
            result |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == 9 && (b & 0x7E) != 0) throw malformed("integer too large", start);
                return result;
            }
        }
        throw malformed("integer representation too long", start);
    }

    /** An unsigned 32-bit LEB128 that must fit a Java int (counts, indices); larger values are reported as too large. */
    public int u32AsInt() {
        long start = offset();
        long v = u32();
        if (v > Integer.MAX_VALUE) throw new DecodeException("integer too large", section, start, -1);
        return (int) v;
    }

    public int s32() {
        return (int) signed(32);
    }

    /** A signed 33-bit LEB128 (block types). */
    public long s33() {
        return signed(33);
    }

    public long s64() {
        return signed(64);
    }

    private long signed(int bits) {
        int start = pos;
        int maxBytes = (bits + 6) / 7;
        long result = 0;
        int shift = 0;
        for (int i = 0; i < maxBytes; i++) {
            int b = u8();
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                if (i == maxBytes - 1) {
                    // the bits of the last byte beyond the type's width must all equal its sign bit
                    int used = bits - 7 * (maxBytes - 1);
                    int extra = (b & 0x7F) >> (used - 1);   // sign bit and the unused bits above it
                    int allOnes = (1 << (8 - used)) - 1;
                    if (extra != 0 && extra != allOnes) throw malformed("integer too large", start);
                }
                if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
                return result;
            }
        }
        throw malformed("integer representation too long", start);
    }

    public int f32Bits() {
        if (remaining() < 4) throw malformed(endMessage, limit);
        int v = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8 | (bytes[pos + 2] & 0xFF) << 16 | (bytes[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    public long f64Bits() {
        long lo = Integer.toUnsignedLong(f32Bits());
        long hi = Integer.toUnsignedLong(f32Bits());
        return lo | hi << 32;
    }

    /** A name: u32 length then that many bytes of valid UTF-8. */
    public String name() {
        int len = u32AsInt();
        if (len > remaining()) throw malformed(endMessage, limit);
        int start = pos;
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, pos, len))
                    .toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw malformed("malformed UTF-8 encoding", start);
        }
    }

    /** A malformed-module error at absolute position {@code base + index}, in this reader's section. */
    public DecodeException malformed(String reason, int index) {
        return new DecodeException(reason, section, base + index, -1);
    }

    /** A malformed-module error at the current position. */
    public DecodeException malformed(String reason) {
        return malformed(reason, pos);
    }

    /** A GC construct (one-byte {@code code}) at {@code index}: well-formed in 3.0, not supported. */
    public UnsupportedProposalException unsupportedGc(String construct, int code, int index) {
        return new UnsupportedProposalException(UnsupportedProposalException.gcReason(construct, code), section,
                base + index, -1);
    }
}
