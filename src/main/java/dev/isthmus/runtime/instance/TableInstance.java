package dev.isthmus.runtime.instance;

import dev.isthmus.os.NativeHeap;
import dev.isthmus.model.Limits;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.TableLayout;
import dev.isthmus.runtime.memory.GrowLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * One wasm table: a native {@link TableLayout} header and element array that compiled code reads directly.
 * Elements are raw 8-byte values: the address of a func ref (funcref tables) or an {@link ExternRefs} handle
 * (externref tables); 0 is null. Growing reallocates the element array and updates the header.
 *
 * <pre>
 *   header ──elements──▶ [e0][e1]...[e(size-1)]    (calloc'd; replaced by a larger copy on grow)
 *          size, max
 * </pre>
 */
public final class TableInstance implements AutoCloseable {
    /**
     * The largest table this runtime allocates, in elements (8 bytes each: 80 MB), whatever the type allows: a
     * larger initial size fails instantiation with {@link ResourceLimitExceeded}, and {@code table.grow} past it
     * returns -1, as the spec allows.
     */
    public static final long MAX_ELEMENTS = 10_000_000;

    private final ValType elementType;
    private final GrowLimits limits;
    private final long max;
    private final boolean declaredMax;
    /** True for a table64 table (i64 indices). */
    private boolean address64;
    /** The canonical id of a typed reference element type's function type, 0 for other types (or a host table). */
    private int elementTypeId;
    private final long header;
    /** Element arrays replaced by a grow, freed on close (code in another thread may still be reading one). */
    private final List<Long> retired = new ArrayList<>();
    private boolean closed;

    private TableInstance(ValType elementType, long initial, long max, boolean declaredMax, long fill,
                          GrowLimits limits) {
        this.elementType = elementType;
        this.limits = limits;
        this.max = max;
        this.declaredMax = declaredMax;
        if (Long.compareUnsigned(initial, MAX_ELEMENTS) > 0) {
            throw new ResourceLimitExceeded("table of " + Long.toUnsignedString(initial) + " elements exceeds the limit of " + MAX_ELEMENTS
                    + " elements");
        }
        this.header = NativeHeap.allocate(TableLayout.LAYOUT.byteSize());
        long elements = NativeHeap.allocate(Math.max(initial, 1) * TableLayout.ELEMENT_SIZE);
        NativeHeap.putLong(header + TableLayout.ELEMENTS, elements);
        NativeHeap.putLong(header + TableLayout.SIZE, initial);
        NativeHeap.putLong(header + TableLayout.MAX, max);
        for (long i = 0; i < initial; i++) set(i, fill);
    }

    /** A table of {@code type}, min elements, all {@code fill} (raw). */
    public static TableInstance create(TableType type, long fill) {
        return create(type, fill, GrowLimits.NONE);
    }

    /**
     * A table of {@code type} whose grows {@code growLimits} may refuse; the caller checks the initial size against
     * them ({@link GrowLimits#allowsTable} from 0), to report which limit refused it.
     */
    public static TableInstance create(TableType type, long fill, GrowLimits growLimits) {
        Limits limits = type.limits();
        long max;
        if (type.address64()) {                 // table64: any u64 maximum (beyond 2^63-1 as good as none)
            max = limits.hasMax() && limits.max() >= 0 ? limits.max() : Long.MAX_VALUE;
        } else {
            max = limits.hasMax() ? limits.max() : 0xFFFF_FFFFL;
        }
        TableInstance table = new TableInstance(type.elementType(), limits.min(), max, limits.hasMax(), fill,
                growLimits);
        table.address64 = type.address64();
        return table;
    }

    /** The canonical id of the function type of a typed reference element type, 0 for other types. */
    public int elementTypeId() {
        return elementTypeId;
    }

    /** Sets {@link #elementTypeId()} (at instantiation, before the table is shared). */
    void elementTypeId(int id) {
        this.elementTypeId = id;
    }

    /** True for a table64 table: {@code i64} indices and sizes. */
    public boolean address64() {
        return address64;
    }

    /** The header's address (what vmctx.tables[i] holds). */
    public long address() {
        return header;
    }

    public ValType elementType() {
        return elementType;
    }

    public synchronized long size() {
        requireOpen();
        return NativeHeap.getLong(header + TableLayout.SIZE);
    }

    /** The table's type as it is now: current size as minimum, the declared maximum if any. */
    public TableType currentType() {
        return new TableType(elementType, new Limits(size(), declaredMax ? max : Limits.NO_MAX, address64));
    }

    /** The raw element at {@code index}; the caller checked bounds. */
    public synchronized long get(long index) {
        checkIndex(index);
        return NativeHeap.getLong(elements() + index * TableLayout.ELEMENT_SIZE);
    }

    /** Stores a raw element; the caller checked bounds. */
    public synchronized void set(long index, long value) {
        checkIndex(index);
        NativeHeap.putLong(elements() + index * TableLayout.ELEMENT_SIZE, value);
    }

    /**
     * Grows by {@code delta} elements set to {@code fill}; old size, or -1 past the maximum or when the table's
     * {@link GrowLimits} refuse (nothing changes).
     *
     * @throws GrowLimits.Refusal when the limits' callback threw (nothing changes)
     */
    public synchronized long grow(long delta, long fill) {
        long old = size();
        if (closed || delta < 0 || delta > max - old || old + delta > MAX_ELEMENTS) return -1;
        if (delta == 0) return old;
        if (!limits.allowsTable(old, old + delta, declaredMax ? max : -1)) return -1;
        long size = old + delta;
        long fresh = NativeHeap.allocate(size * TableLayout.ELEMENT_SIZE);
        long previous = elements();
        NativeHeap.at(fresh, size * TableLayout.ELEMENT_SIZE).copyFrom(
                NativeHeap.at(previous, old * TableLayout.ELEMENT_SIZE));
        NativeHeap.putLong(header + TableLayout.ELEMENTS, fresh);
        NativeHeap.putLong(header + TableLayout.SIZE, size);
        for (long i = old; i < size; i++) set(i, fill);
        retired.add(previous);
        return old;
    }

    /** Frees the header and element arrays. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        long elements = elements();
        closed = true;
        NativeHeap.free(elements);
        for (long array : retired) NativeHeap.free(array);
        NativeHeap.free(header);
    }

    private long elements() {
        if (closed) throw new IllegalStateException("table is closed");
        return NativeHeap.getLong(header + TableLayout.ELEMENTS);
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("table is closed");
    }

    private void checkIndex(long index) {
        requireOpen();
        long size = NativeHeap.getLong(header + TableLayout.SIZE);
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("table index " + index + " of " + size);
    }

    /** Objects kept reachable as long as this table: instances that may have stored their functions in it. */
    private final java.util.Set<Object> retained = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** Keeps {@code owner} reachable while this table is (its func refs may be stored here). */
    public void retain(Object owner) {
        synchronized (retained) {
            retained.add(owner);
        }
    }
}
