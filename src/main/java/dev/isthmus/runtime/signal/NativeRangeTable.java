package dev.isthmus.runtime.signal;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fixed-capacity table of non-overlapping address ranges {@code [start, end)}, each with a 64-bit datum, kept in
 * native memory so that machine code (the signal shim) can search it without calling Java.
 *
 * <p>Java writes, machine code reads ({@link RangeLookupEmitter}). Two snapshots alternate: a writer fills the one
 * readers are not using and then publishes it by flipping {@code active}. Each snapshot has a reader count; a reader
 * increments the count of the snapshot it is about to use and then re-reads {@code active}, backing off if it
 * changed; a writer waits for the count of the snapshot it is about to overwrite to drop to zero. A reader never
 * waits (a signal handler may interrupt the writing thread itself); a writer waits at most for handlers running on
 * other threads to finish one binary search.
 *
 * <pre>
 *   offset                       field
 *   ---------------------------  -------------------------------------------------------------
 *   0                            active        0 or 1: the snapshot readers use
 *   8                            readers[0]    readers inside snapshot 0 (lock add ±1)
 *   16                           readers[1]    readers inside snapshot 1
 *   24                           (padding)
 *   32 + s * snapshotSize        snapshots[s]: count, then entries[capacity] sorted by start:
 *        + 0                       count
 *        + 8 + i * 24               { start, end, data }     start &lt;= key &lt; end  means a hit
 * </pre>
 * Offsets are derived from {@link #layout()}. Keys are user-space addresses (below 2^47), so the machine code's
 * unsigned comparisons and Java's signed ones agree.
 */
public final class NativeRangeTable {
    /** One range and its datum. */
    public static final StructLayout ENTRY = MemoryLayout.structLayout(
            JAVA_LONG.withName("start"),
            JAVA_LONG.withName("end"),
            JAVA_LONG.withName("data")).withName("entry");

    /** Offset of {@code start} in an entry. */
    public static final long ENTRY_START = ENTRY.byteOffset(groupElement("start"));
    /** Offset of {@code end} in an entry. */
    public static final long ENTRY_END = ENTRY.byteOffset(groupElement("end"));
    /** Offset of {@code data} in an entry. */
    public static final long ENTRY_DATA = ENTRY.byteOffset(groupElement("data"));

    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final String name;
    private final int capacity;
    private final StructLayout layout;
    private final MemorySegment memory;
    private final TreeMap<Long, long[]> entries = new TreeMap<>();

    private final long activeOffset;
    private final long readersOffset;
    private final long snapshotsOffset;
    private final long snapshotSize;
    private final long countOffset;
    private final long entriesOffset;

    /**
     * A table in memory that is never freed (the shim may read it at any time for the rest of the process).
     *
     * @param name for messages
     * @param capacity the most ranges it will hold
     */
    public NativeRangeTable(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
        StructLayout snapshot = MemoryLayout.structLayout(
                JAVA_LONG.withName("count"),
                MemoryLayout.sequenceLayout(capacity, ENTRY).withName("entries")).withName("snapshot");
        this.layout = MemoryLayout.structLayout(
                JAVA_LONG.withName("active"),
                MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("readers"),
                MemoryLayout.paddingLayout(8),
                MemoryLayout.sequenceLayout(2, snapshot).withName("snapshots")).withName(name);
        this.memory = Arena.global().allocate(layout.byteSize(), 64);
        this.activeOffset = layout.byteOffset(groupElement("active"));
        this.readersOffset = layout.byteOffset(groupElement("readers"));
        this.snapshotsOffset = layout.byteOffset(groupElement("snapshots"));
        this.snapshotSize = snapshot.byteSize();
        this.countOffset = snapshot.byteOffset(groupElement("count"));
        this.entriesOffset = snapshot.byteOffset(groupElement("entries"));
    }

    /** The native address of the table: what the lookup routine takes. */
    public long address() {
        return memory.address();
    }

    /** The most ranges the table holds. */
    public int capacity() {
        return capacity;
    }

    /** The layout of this table (its size depends on the capacity). */
    public StructLayout layout() {
        return layout;
    }

    /** Offset of {@code active}. */
    public long activeOffset() {
        return activeOffset;
    }

    /** Offset of {@code readers[0]}; {@code readers[s]} is 8 bytes further per snapshot. */
    public long readersOffset() {
        return readersOffset;
    }

    /** Offset of {@code snapshots[0]}. */
    public long snapshotsOffset() {
        return snapshotsOffset;
    }

    /** Size of one snapshot. */
    public long snapshotSize() {
        return snapshotSize;
    }

    /** Offset of {@code count} inside a snapshot. */
    public long countOffset() {
        return countOffset;
    }

    /** Offset of {@code entries[0]} inside a snapshot. */
    public long entriesOffset() {
        return entriesOffset;
    }

    /**
     * Adds {@code [start, end)} with {@code data} and publishes the new contents.
     *
     * @throws IllegalStateException when the range overlaps another or the table is full
     */
    public synchronized void add(long start, long end, long data) {
        if (Long.compareUnsigned(start, end) >= 0) {
            throw new IllegalArgumentException("empty range [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + ")");
        }
        Map.Entry<Long, long[]> below = entries.floorEntry(end - 1);
        if (below != null && below.getValue()[1] > start) {
            throw new IllegalStateException(name + ": [0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end)
                    + ") overlaps [0x" + Long.toHexString(below.getValue()[0]) + ", 0x"
                    + Long.toHexString(below.getValue()[1]) + ")");
        }
        if (entries.size() == capacity) {
            throw new IllegalStateException(name + " is full (" + capacity + " ranges)");
        }
        entries.put(start, new long[] {start, end, data});
        publish();
    }

    /**
     * Removes the range starting at {@code start} and publishes the new contents. When this returns, no reader is
     * still looking at a snapshot that contains the range.
     *
     * @return whether there was one
     */
    public synchronized boolean remove(long start) {
        if (entries.remove(start) == null) {
            return false;
        }
        publish();
        // Readers may still search the snapshot that had the range; publish once more so that both snapshots are
        // free of it (publish waits for the readers of the snapshot it overwrites).
        publish();
        return true;
    }

    /** The datum of the range containing {@code address}, from the Java copy (for tests and diagnostics). */
    public synchronized Long find(long address) {
        Map.Entry<Long, long[]> candidate = entries.floorEntry(address);
        if (candidate != null && address < candidate.getValue()[1]) {
            return candidate.getValue()[2];
        }
        return null;
    }

    /** The ranges as {@code {start, end, data}} triples, sorted by start. */
    public synchronized List<long[]> ranges() {
        List<long[]> copy = new ArrayList<>();
        for (long[] entry : entries.values()) {
            copy.add(entry.clone());
        }
        return copy;
    }

    /** The number of ranges. */
    public synchronized int size() {
        return entries.size();
    }

    private void publish() {
        long active = (long) LONG.getVolatile(memory, activeOffset);
        int target = (int) (1 - active);
        long readers = readersOffset + 8L * target;
        while ((long) LONG.getVolatile(memory, readers) != 0) {
            Thread.onSpinWait();
        }
        long snapshot = snapshotsOffset + target * snapshotSize;
        long entry = snapshot + entriesOffset;
        for (long[] range : entries.values()) {
            memory.set(JAVA_LONG, entry + ENTRY_START, range[0]);
            memory.set(JAVA_LONG, entry + ENTRY_END, range[1]);
            memory.set(JAVA_LONG, entry + ENTRY_DATA, range[2]);
            entry += ENTRY.byteSize();
        }
        memory.set(JAVA_LONG, snapshot + countOffset, entries.size());
        LONG.setVolatile(memory, activeOffset, (long) target);
    }
}
