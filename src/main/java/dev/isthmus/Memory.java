package dev.isthmus;

import dev.isthmus.runtime.memory.GrowLimits;
import dev.isthmus.model.Limits;
import dev.isthmus.model.MemoryType;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.runtime.memory.LinearMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A wasm linear memory: an instance's export, or one made by the embedder to import
 * ({@link #create(long, long)}, or {@link #create64} for a memory64 one; close it when no instance uses it any
 * more). Sizes are in 64 KiB pages. Offsets are {@code long}s, so a memory64 memory beyond 4 GiB is reachable from
 * Java as a 32-bit one is.
 *
 * <p>Reading and writing: integers and floats little-endian at any byte offset ({@link #readInt},
 * {@link #writeLong}, ...), UTF-8 strings with an explicit byte length ({@link #readString}) or NUL-terminated
 * ({@link #readCString}), byte arrays ({@link #read}); each access is checked against the current size and throws
 * {@link IndexOutOfBoundsException} (with the offset, the length and the size) rather than touching anything
 * outside. For bulk work, {@link #segment()} gives a {@link MemorySegment} view (see there for its lifetime).
 *
 * <p>Thread safety: all methods may be called from any thread, also while wasm code uses the memory. Each access
 * is a plain, non-atomic one with no ordering towards concurrent wasm code or other threads (as for wasm's own
 * non-atomic accesses); {@link #grow} is atomic with respect to other grows, from Java or wasm. Once the memory's
 * native state is freed (its instance closed and its last call returned, or {@link #close()} of a created
 * memory), accesses throw {@link IllegalStateException}. {@link #close()} of a created memory must not race with
 * wasm code using it: close the instances that import it first.
 */
public final class Memory implements AutoCloseable {
    private final LinearMemory memory;
    private final boolean owned;
    /** The instance that exported it, or null: importing it makes the importer depend on that instance. */
    Instance exporter;

    Memory(LinearMemory memory, boolean owned) {
        this.memory = memory;
        this.owned = owned;
    }

    /** A zeroed memory of {@code minPages}, growable to {@code maxPages} (-1 for no maximum), guard-page mode. */
    public static Memory create(long minPages, long maxPages) {
        return create(minPages, maxPages, BoundsChecks.GUARD_PAGES);
    }

    /** Like {@link #create(long, long)} for modules compiled with {@code boundsChecks}. */
    public static Memory create(long minPages, long maxPages, BoundsChecks boundsChecks) {
        return new Memory(LinearMemory.create(new MemoryType(new Limits(minPages, maxPages < 0 ? Limits.NO_MAX
                : maxPages)), boundsChecks), true);
    }

    /**
     * A zeroed memory64 memory (Wasm 3.0: {@code i64} addresses) of {@code minPages}, growable to {@code maxPages}
     * (-1 for no maximum), for modules that import {@code (memory i64 ...)}. Its accesses are always bounds-checked
     * explicitly, so it suits code compiled with either {@link BoundsChecks}; the engine reserves at most
     * 16 GiB for it (2^18 pages), and grows beyond that return -1.
     *
     * @throws IllegalArgumentException when {@code minPages} exceeds that limit
     */
    public static Memory create64(long minPages, long maxPages) {
        return new Memory(LinearMemory.create(new MemoryType(new Limits(minPages, maxPages < 0 ? Limits.NO_MAX
                : maxPages, true)), BoundsChecks.EXPLICIT), true);
    }

    /** True for a memory64 memory, whose wasm addresses, sizes and page counts are {@code i64}. */
    public boolean is64() {
        return memory.address64();
    }

    /** The memory's type now: its current size as minimum, its declared maximum and its address type. */
    public MemoryType type() {
        return memory.currentType();
    }

    LinearMemory runtime() {
        return memory;
    }

    /** Current size in pages. */
    public long pages() {
        return memory.pages();
    }

    /** Current size in bytes. */
    public long byteSize() {
        return memory.byteSize();
    }

    /**
     * Grows by {@code deltaPages}; the old size in pages, or -1 if the maximum, the engine's
     * {@link ResourceLimits#maxMemoryBytes()} would be exceeded or its {@link ResourceLimiter} refused (then it
     * throws what the limiter threw).
     */
    public long grow(long deltaPages) {
        try {
            return memory.grow(deltaPages);
        } catch (GrowLimits.Refusal refusal) {
            throw Failures.limiterThrew(refusal);
        }
    }

    /**
     * A view of the memory's current bytes, bounded to the current size. Lifetime rules:
     * <ul>
     * <li>The memory never moves: Isthmus reserves a memory's whole address range up front (guard-page mode: 8 GiB;
     *     explicit bounds checks: the declared maximum) and {@code memory.grow} only changes page protections, so
     *     a segment stays valid, at the same address, after any number of grows. It covers only the size at the
     *     time it was taken: take a new one to reach pages added since.</li>
     * <li>It becomes unusable when the memory's native state is freed — for an instance's memory, after the
     *     instance is closed and its last call has returned; for one made with {@link #create}, when it is closed:
     *     any access then throws {@link IllegalStateException}, never a crash.</li>
     * <li>Accesses are plain: wasm code running on other threads may write concurrently (no ordering is
     *     guaranteed between them and Java's reads, as for a non-shared memory used from several threads).</li>
     * </ul>
     */
    public MemorySegment segment() {
        return memory.segment();
    }

    // -- bounds-checked access (little-endian, as wasm) -------------------------------------------------------------

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The current bytes, after checking that {@code [offset, offset + length)} lies inside them.
     *
     * @throws IndexOutOfBoundsException naming the offset, the length and the memory's size
     */
    private MemorySegment checked(long offset, long length) {
        long size = memory.byteSize();
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("wasm memory access out of bounds: offset " + offset + " (0x"
                    + Long.toHexString(offset) + "), length " + length + ", memory size " + size + " bytes ("
                    + memory.pages() + " pages)");
        }
        return memory.segment();
    }

    /** The byte (i8) at {@code offset}; {@code Byte.toUnsignedInt} for u8. */
    public byte readByte(long offset) {
        return checked(offset, 1).get(ValueLayout.JAVA_BYTE, offset);
    }

    public void writeByte(long offset, byte value) {
        checked(offset, 1).set(ValueLayout.JAVA_BYTE, offset, value);
    }

    /** The little-endian i16 at {@code offset}; {@code Short.toUnsignedInt} for u16. */
    public short readShort(long offset) {
        return checked(offset, 2).get(I16, offset);
    }

    public void writeShort(long offset, short value) {
        checked(offset, 2).set(I16, offset, value);
    }

    /** The little-endian i32 at {@code offset} (any alignment). */
    public int readInt(long offset) {
        return checked(offset, 4).get(I32, offset);
    }

    public void writeInt(long offset, int value) {
        checked(offset, 4).set(I32, offset, value);
    }

    /** The little-endian i64 at {@code offset}. */
    public long readLong(long offset) {
        return checked(offset, 8).get(I64, offset);
    }

    public void writeLong(long offset, long value) {
        checked(offset, 8).set(I64, offset, value);
    }

    /** The f32 at {@code offset} (bits preserved, NaN payloads included). */
    public float readFloat(long offset) {
        return checked(offset, 4).get(F32, offset);
    }

    public void writeFloat(long offset, float value) {
        checked(offset, 4).set(F32, offset, value);
    }

    /** The f64 at {@code offset}. */
    public double readDouble(long offset) {
        return checked(offset, 8).get(F64, offset);
    }

    public void writeDouble(long offset, double value) {
        checked(offset, 8).set(F64, offset, value);
    }

    /** Copies {@code length} bytes at {@code offset}. */
    public byte[] read(long offset, int length) {
        return checked(offset, length).asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Writes {@code bytes} at {@code offset}. */
    public void write(long offset, byte[] bytes) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, checked(offset, bytes.length), offset, bytes.length);
    }

    /**
     * Decodes the {@code byteLength} bytes at {@code offset} as UTF-8 (malformed sequences become U+FFFD, as
     * {@link String#String(byte[], java.nio.charset.Charset)} does).
     */
    public String readString(long offset, int byteLength) {
        return new String(read(offset, byteLength), StandardCharsets.UTF_8);
    }

    /**
     * Decodes the UTF-8 bytes from {@code offset} up to the first NUL byte (excluded).
     *
     * @throws IndexOutOfBoundsException when {@code offset} is outside the memory, or no NUL comes before its end
     */
    public String readCString(long offset) {
        MemorySegment bytes = checked(offset, 0);
        long size = bytes.byteSize();
        for (long end = offset; end < size; end++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, end) == 0) {
                return new String(bytes.asSlice(offset, end - offset).toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8);
            }
        }
        throw new IndexOutOfBoundsException("no NUL byte between offset " + offset + " and the end of the wasm "
                + "memory (size " + size + " bytes)");
    }

    /** Writes {@code text} as UTF-8 at {@code offset}, without a terminator; returns the number of bytes written. */
    public int writeString(long offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(offset, bytes);
        return bytes.length;
    }

    /**
     * Writes {@code text} as UTF-8 followed by a NUL byte at {@code offset}; returns the number of bytes written,
     * the NUL included. (A NUL inside {@code text} is written as is: a C reader stops there.)
     */
    public int writeCString(long offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        write(offset, terminated);
        return terminated.length;
    }

    /** Frees a memory made with {@link #create}; a no-op for an instance's memory (closed with the instance). */
    @Override
    public void close() {
        if (owned) memory.close();
    }
}
