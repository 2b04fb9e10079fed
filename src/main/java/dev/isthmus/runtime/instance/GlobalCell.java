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
    private final long address;
    private boolean closed;

    public GlobalCell(GlobalType type, long rawValue) {
        this.type = type;
        this.address = NativeHeap.allocate(SIZE);
        NativeHeap.putLong(address, rawValue);
    }

    public GlobalType type() {
        return type;
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
