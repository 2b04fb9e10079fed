package dev.isthmus.runtime.instance;

import dev.isthmus.os.NativeHeap;
import dev.isthmus.model.GlobalType;

/**
 * One wasm global: a 16-byte native cell holding its raw value (i32/f32 in the low 4 bytes, i64/f64 and references
 * in the low 8, v128 all 16), shared by every instance that imports or exports it (vmctx.globals[i] points here).
 */
public final class GlobalCell implements AutoCloseable {
    /** Bytes of a cell. */
    public static final long SIZE = 16;

    private final GlobalType type;
    /** The canonical id ({@code TypeIds}) of a typed reference's function type, 0 for other types or unknown. */
    private final int heapTypeId;
    private final long address;
    private boolean closed;

    public GlobalCell(GlobalType type, long rawValue) {
        this(type, rawValue, 0);
    }

    /** A cell holding {@code low} in bytes 0..7 and {@code high} in bytes 8..15 (a v128). */
    public GlobalCell(GlobalType type, long low, long high) {
        this(type, low, high, 0);
    }

    /**
     * A cell as {@link #GlobalCell(GlobalType, long, long)} whose typed reference type {@code (ref null? $t)} is
     * function type {@code heapTypeId} (its canonical id, for matching imports across modules).
     */
    public GlobalCell(GlobalType type, long low, long high, int heapTypeId) {
        this.type = type;
        this.heapTypeId = heapTypeId;
        this.address = NativeHeap.allocate(SIZE);
        NativeHeap.putLong(address, low);
        NativeHeap.putLong(address + 8, high);
    }

    public GlobalType type() {
        return type;
    }

    /** The canonical id of the function type of a typed reference global, 0 for other types (or made by the host). */
    public int heapTypeId() {
        return heapTypeId;
    }

    /** The cell's address. */
    public long address() {
        return address;
    }

    /** The raw value (low 8 bytes). */
    public long get() {
        if (closed) throw new IllegalStateException("global is closed");
        return NativeHeap.getLong(address);
    }

    /** The high 8 bytes (a v128's bytes 8..15; zero for every other type). */
    public long getHigh() {
        if (closed) throw new IllegalStateException("global is closed");
        return NativeHeap.getLong(address + 8);
    }

    /**
     * Stores a v128: {@code low} in bytes 0..7, {@code high} in 8..15 (two 8-byte stores: a reader on another
     * thread may see one half old and one new, as wasm's own v128 global accesses between unsynchronized threads).
     */
    public void set(long low, long high) {
        if (closed) throw new IllegalStateException("global is closed");
        NativeHeap.putLong(address, low);
        NativeHeap.putLong(address + 8, high);
    }

    /** Stores a raw value (low 8 bytes; i32/f32 must be zero-extended). */
    public void set(long raw) {
        if (closed) throw new IllegalStateException("global is closed");
        NativeHeap.putLong(address, raw);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        NativeHeap.free(address);
    }

    /** Objects kept reachable as long as this global: instances that may have stored their functions in it. */
    private final java.util.Set<Object> retained = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** Keeps {@code owner} reachable while this global is (its func refs may be stored here). */
    public void retain(Object owner) {
        synchronized (retained) {
            retained.add(owner);
        }
    }
}
