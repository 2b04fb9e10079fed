package dev.isthmus;

import dev.isthmus.runtime.memory.GrowLimits;
import dev.isthmus.model.Limits;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.instance.TableInstance;

/**
 * A wasm table of references: an instance's export, or one made by the embedder to import
 * ({@link #create}; close it when no instance uses it any more). Elements are {@link FunctionRef}s (funcref
 * tables) or any Java objects (externref tables); null is the null reference.
 *
 * <p>Thread safety: thread-safe. {@link #get}, {@link #set}, {@link #size} and {@link #grow} are atomic with respect
 * to each other and to wasm's {@code table.grow} (they lock the table). Wasm's own {@code table.get},
 * {@code table.set} and {@code call_indirect} read the elements without a lock: racing with a grow, they may act on
 * the elements as they were before it (a store may be lost), never on freed memory — replaced element arrays stay
 * allocated until the table is freed. {@link #close()} of a created table must not race with its use.
 */
public final class Table implements AutoCloseable {
    private final TableInstance table;
    private final boolean owned;
    /** The instance that exported it, or null: importing it makes the importer depend on that instance. */
    Instance exporter;

    Table(TableInstance table, boolean owned) {
        this.table = table;
        this.owned = owned;
    }

    /**
     * A table of {@code elementType} (FUNCREF or EXTERNREF) with {@code min} null elements; max -1 for none.
     *
     * @throws IllegalArgumentException when {@code min} exceeds the runtime's limit of 10,000,000 elements
     */
    public static Table create(ValType elementType, long min, long max) {
        if (!elementType.isReference()) throw new IllegalArgumentException("not a reference type: " + elementType);
        try {
            return new Table(TableInstance.create(new TableType(elementType, new Limits(min, max < 0 ? Limits.NO_MAX
                    : max)), 0), true);
        } catch (dev.isthmus.runtime.instance.ResourceLimitExceeded e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * A table64 table (Wasm 3.0: {@code i64} indices) of {@code elementType} with {@code min} null elements; max -1
     * for none.
     *
     * @throws IllegalArgumentException when {@code min} exceeds the runtime's limit of 10,000,000 elements
     */
    public static Table create64(ValType elementType, long min, long max) {
        if (!elementType.isReference()) throw new IllegalArgumentException("not a reference type: " + elementType);
        try {
            return new Table(TableInstance.create(new TableType(elementType, new Limits(min, max < 0 ? Limits.NO_MAX
                    : max, true)), 0), true);
        } catch (dev.isthmus.runtime.instance.ResourceLimitExceeded e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** True for a table64 table, whose wasm indices and sizes are {@code i64}. */
    public boolean is64() {
        return table.address64();
    }

    TableInstance runtime() {
        return table;
    }

    public ValType elementType() {
        return table.elementType();
    }

    public long size() {
        return table.size();
    }

    /** The element at {@code index}. */
    public Object get(long index) {
        return WasmValues.fromRaw(table.elementType(), table.get(index));
    }

    /**
     * Stores {@code value} at {@code index}.
     *
     * @throws IllegalArgumentException when {@code value} is not of the element type (null for a non-nullable one)
     */
    public void set(long index, Object value) {
        table.set(index, WasmValues.toRaw(table.elementType(), checked(value)));
    }

    private Object checked(Object value) {
        if (!WasmValues.accepts(table.elementType(), value)) {
            throw new IllegalArgumentException("a table of " + table.elementType() + " takes "
                    + WasmValues.boxedName(table.elementType()) + ", got "
                    + (value == null ? "null" : "a " + value.getClass().getName()));
        }
        return value;
    }

    /**
     * Grows by {@code delta} elements set to {@code init}; the old size, or -1 past the maximum or the engine's
     * {@link ResourceLimits#maxTableElements()}, or when its {@link ResourceLimiter} refused (then it throws what
     * the limiter threw).
     */
    public long grow(long delta, Object init) {
        try {
            return table.grow(delta, WasmValues.toRaw(table.elementType(), checked(init)));
        } catch (GrowLimits.Refusal refusal) {
            throw Failures.limiterThrew(refusal);
        }
    }

    /** Frees a table made with {@link #create}; a no-op for an instance's table. */
    @Override
    public void close() {
        if (owned) table.close();
    }
}
