package dev.isthmus.runtime.code;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A copy of a {@link CodeRegistry}'s ranges in native memory, for machine code that must ask "is this PC ours?"
 * without calling Java — a signal handler cannot safely upcall. {@link CodeRangeLookupStub} is such a reader.
 *
 * <pre>
 *   header (fixed address for the table's lifetime)
 *   +0  table ─────────▶ table (replaced only to grow; old tables stay mapped while this object lives)
 *                          +0   sequence   even: stable, odd: being rewritten
 *                          +8   count      valid entries
 *                          +16  capacity   entries allocated
 *                          +24  entries[capacity] { start, end }   sorted by start, half-open, disjoint
 * </pre>
 *
 * <p>Protocol (a sequence lock; one writer at a time, held under the registry's lock): the writer makes
 * {@code sequence} odd, rewrites {@code count} and the entries, then makes it even again. A reader loads the table
 * pointer, reads an even {@code sequence}, searches (clamping {@code count} to {@code capacity}), then re-reads
 * {@code sequence} and retries if it changed. Readers never block writers and never see a torn table.
 */
final class NativeCodeTable {
    /** The table a header points to. */
    static final StructLayout TABLE_HEADER_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sequence"),
            JAVA_LONG.withName("count"),
            JAVA_LONG.withName("capacity"));
    /** One entry of the table. */
    static final StructLayout ENTRY_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("start"),
            JAVA_LONG.withName("end"));

    static final long SEQUENCE_OFFSET = TABLE_HEADER_LAYOUT.byteOffset(groupElement("sequence"));
    static final long COUNT_OFFSET = TABLE_HEADER_LAYOUT.byteOffset(groupElement("count"));
    static final long CAPACITY_OFFSET = TABLE_HEADER_LAYOUT.byteOffset(groupElement("capacity"));
    static final long ENTRIES_OFFSET = TABLE_HEADER_LAYOUT.byteSize();
    static final long ENTRY_START_OFFSET = ENTRY_LAYOUT.byteOffset(groupElement("start"));
    static final long ENTRY_END_OFFSET = ENTRY_LAYOUT.byteOffset(groupElement("end"));
    static final long ENTRY_SIZE = ENTRY_LAYOUT.byteSize();

    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final int INITIAL_CAPACITY = 64;

    /** Keeps the header and every table allocated so far alive as long as this object is. */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment header = arena.allocate(JAVA_LONG);
    private final List<MemorySegment> tables = new CopyOnWriteArrayList<>();
    private MemorySegment table;   // the current table; written only by the (serialised) writer

    NativeCodeTable() {
        table = newTable(INITIAL_CAPACITY);
        LONG.setVolatile(header, 0L, table.address());
    }

    /** The address of the header cell, which holds the address of the current table. */
    long headerAddress() {
        return header.address();
    }

    /** Replaces the contents with {@code count} sorted ranges. Callers serialise calls (the registry's lock). */
    void publish(long[] starts, long[] ends, int count) {
        if (count > capacity(table)) {
            MemorySegment grown = newTable(Math.max(count, 2 * capacity(table)));
            writeEntries(grown, starts, ends, count);
            LONG.setVolatile(grown, COUNT_OFFSET, (long) count);
            table = grown;
            LONG.setVolatile(header, 0L, grown.address());   // readers of the old table still see a consistent one
            return;
        }
        long sequence = (long) LONG.getVolatile(table, SEQUENCE_OFFSET);
        LONG.setVolatile(table, SEQUENCE_OFFSET, sequence + 1);            // odd: rewriting
        VarHandle.storeStoreFence();                                       // keep the entry stores after it
        writeEntries(table, starts, ends, count);
        LONG.set(table, COUNT_OFFSET, (long) count);
        LONG.setVolatile(table, SEQUENCE_OFFSET, sequence + 2);            // even: stable again
    }

    /**
     * The reader protocol in Java (the same steps {@link CodeRangeLookupStub} emits): the start of the range
     * containing {@code address}, or 0.
     */
    long lookup(long address) {
        while (true) {
            MemorySegment current = tableAt((long) LONG.getVolatile(header, 0L));
            long sequence = (long) LONG.getVolatile(current, SEQUENCE_OFFSET);
            if ((sequence & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long count = Math.min((long) LONG.get(current, COUNT_OFFSET), capacity(current));
            long low = 0;
            long high = count;
            while (low < high) {                                   // first entry with start > address
                long mid = (low + high) >>> 1;
                if (entryStart(current, mid) > address) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            long found = 0;
            if (low > 0 && address < entryEnd(current, low - 1)) {
                found = entryStart(current, low - 1);
            }
            VarHandle.loadLoadFence();
            if ((long) LONG.getVolatile(current, SEQUENCE_OFFSET) == sequence) {
                return found;
            }
        }
    }

    private MemorySegment newTable(long capacity) {
        MemorySegment created = arena.allocate(ENTRIES_OFFSET + capacity * ENTRY_SIZE, 64);
        LONG.set(created, CAPACITY_OFFSET, capacity);
        tables.add(created);
        return created;
    }

    private MemorySegment tableAt(long address) {
        for (MemorySegment candidate : tables) {              // a handful at most: capacity doubles
            if (candidate.address() == address) {
                return candidate;
            }
        }
        throw new IllegalStateException("header points at an unknown table");
    }

    private static void writeEntries(MemorySegment target, long[] starts, long[] ends, int count) {
        for (int i = 0; i < count; i++) {
            long entry = ENTRIES_OFFSET + i * ENTRY_SIZE;
            LONG.set(target, entry + ENTRY_START_OFFSET, starts[i]);
            LONG.set(target, entry + ENTRY_END_OFFSET, ends[i]);
        }
    }

    private static long capacity(MemorySegment table) {
        return (long) LONG.get(table, CAPACITY_OFFSET);
    }

    private static long entryStart(MemorySegment table, long index) {
        return (long) LONG.get(table, ENTRIES_OFFSET + index * ENTRY_SIZE + ENTRY_START_OFFSET);
    }

    private static long entryEnd(MemorySegment table, long index) {
        return (long) LONG.get(table, ENTRIES_OFFSET + index * ENTRY_SIZE + ENTRY_END_OFFSET);
    }
}
