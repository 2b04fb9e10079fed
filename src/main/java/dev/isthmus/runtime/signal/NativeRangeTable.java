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
 * A growable table of non-overlapping address ranges {@code [start, end)}, each with a 64-bit datum, kept in native
 * memory so that machine code (the signal shim) can search it without calling Java.
 *
 * <p>Java writes, machine code reads ({@link RangeLookupEmitter}). Two snapshots alternate: a writer fills the one
 * readers are not using and then publishes it by flipping {@code active}. Each snapshot has a reader count; a reader
 * increments the count of the snapshot it is about to use and then re-reads {@code active}, backing off if it
 * changed; only then does it load the snapshot's address and search it. A writer waits for the count of the snapshot
 * it is about to overwrite to drop to zero; while it is zero no reader can be inside that snapshot or get in
 * (a late reader sees {@code active} still pointing at the other one and backs off before loading the address), so
 * the writer may then also replace a snapshot too small for the new contents by a larger one (twice the capacity)
 * and free the old block. A reader never waits (a signal handler may interrupt the writing thread itself); a writer
 * waits at most for handlers running on other threads to finish one binary search.
 *
 * <pre>
 *   header (fixed, never moves or is freed)       snapshot block (one per snapshot, replaced when it grows)
 *   offset  field                                 offset       field
 *   ------  ------------------------------------  -----------  ----------------------------------------------
 *   0       active        0 or 1                  0            count
 *   8       readers[0]    lock add ±1             8 + i * 24   entries[i] = { start, end, data }, sorted by
 *   16      readers[1]                                         start; start &lt;= key &lt; end means a hit
 *   24      (padding)
 *   32      snapshots[0]  address of block 0  ──▶
 *   40      snapshots[1]  address of block 1  ──▶
 * </pre>
 * Offsets are derived from {@link #HEADER} and {@link #BLOCK}. Keys are user-space addresses (below 2^47), so the
 * machine code's unsigned comparisons and Java's signed ones agree.
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

    static {
        if (ENTRY_START != 0 || ENTRY_END != 8 || ENTRY_DATA != 16) throw new AssertionError("publish copies entries flat");
    }

    /** The fixed header every table has. */
    public static final StructLayout HEADER = MemoryLayout.structLayout(
            JAVA_LONG.withName("active"),
            MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("readers"),
            MemoryLayout.paddingLayout(8),
            MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("snapshots")).withName("range_table");

    /** The start of a snapshot block; {@code entries} follow for the block's capacity. */
    public static final StructLayout BLOCK = MemoryLayout.structLayout(
            JAVA_LONG.withName("count"),
            MemoryLayout.sequenceLayout(0, ENTRY).withName("entries")).withName("snapshot");

    /** Offset of {@code active} in the header. */
    public static final long ACTIVE = HEADER.byteOffset(groupElement("active"));
    /** Offset of {@code readers[0]}; {@code readers[s]} is 8 bytes further per snapshot. */
    public static final long READERS = HEADER.byteOffset(groupElement("readers"));
    /** Offset of {@code snapshots[0]}, the address of snapshot block 0; {@code snapshots[1]} follows. */
    public static final long SNAPSHOTS = HEADER.byteOffset(groupElement("snapshots"));
    /** Offset of {@code count} in a snapshot block. */
    public static final long COUNT = BLOCK.byteOffset(groupElement("count"));
    /** Offset of {@code entries[0]} in a snapshot block. */
    public static final long ENTRIES = BLOCK.byteOffset(groupElement("entries"));

    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private final String name;
    private final MemorySegment memory;
    private final TreeMap<Long, long[]> entries = new TreeMap<>();
    /** Each snapshot's block and the arena that frees it. */
    private final MemorySegment[] blocks = new MemorySegment[2];
    private final Arena[] arenas = new Arena[2];
    private final int[] capacities = new int[2];

    /**
     * A table in memory whose header is never freed (the shim may read it at any time for the rest of the process).
     *
     * @param name for messages
     * @param initialCapacity ranges each snapshot holds before it grows
     */
    public NativeRangeTable(String name, int initialCapacity) {
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + initialCapacity);
        }
        this.name = name;
        this.memory = Arena.global().allocate(HEADER.byteSize(), 64);
        for (int s = 0; s < 2; s++) replaceBlock(s, initialCapacity);
    }

    /** The native address of the table: what the lookup routine takes. */
    public long address() {
        return memory.address();
    }

    /** The ranges the active snapshot's block holds before it grows (for tests). */
    public synchronized int capacity() {
        return capacities[(int) (long) LONG.getVolatile(memory, ACTIVE)];
    }

    /**
     * Adds {@code [start, end)} with {@code data} and publishes the new contents, growing the snapshots if needed.
     *
     * @throws IllegalStateException when the range overlaps another
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
        long active = (long) LONG.getVolatile(memory, ACTIVE);
        int target = (int) (1 - active);
        long readers = READERS + 8L * target;
        while ((long) LONG.getVolatile(memory, readers) != 0) {
            Thread.onSpinWait();
        }
        // No reader is inside snapshot `target` now, and none can get in before `active` flips to it.
        if (capacities[target] < entries.size()) {
            replaceBlock(target, Math.max(entries.size(), 2 * capacities[target]));
        }
        MemorySegment block = blocks[target];
        long[] flat = new long[3 * entries.size()];              // { start, end, data } per entry, as ENTRY
        int i = 0;
        for (long[] range : entries.values()) {
            flat[i++] = range[0];
            flat[i++] = range[1];
            flat[i++] = range[2];
        }
        MemorySegment.copy(flat, 0, block, JAVA_LONG, ENTRIES, flat.length);
        block.set(JAVA_LONG, COUNT, entries.size());
        LONG.setVolatile(memory, ACTIVE, (long) target);
    }

    /** Gives snapshot {@code s} a fresh empty block of {@code capacity} entries; no reader may be using it. */
    private void replaceBlock(int s, int capacity) {
        Arena arena = Arena.ofShared();
        MemorySegment block = arena.allocate(ENTRIES + capacity * ENTRY.byteSize(), 64);
        LONG.setVolatile(memory, SNAPSHOTS + 8L * s, block.address());
        Arena old = arenas[s];
        blocks[s] = block;
        arenas[s] = arena;
        capacities[s] = capacity;
        if (old != null) old.close();
    }
}
