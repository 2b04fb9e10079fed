package dev.isthmus;

import dev.isthmus.model.GlobalType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.instance.GlobalCell;

/**
 * A wasm global: an instance's export, or one made by the embedder to import ({@link #create}). Values are Java
 * values as in {@link Imports} ({@link V128} for a v128 global).
 *
 * <p>Thread safety: {@link #get} and {@link #set} may be called from any thread, also while wasm code uses the
 * global: each is one aligned 8-byte access (never torn; a {@link V128} is two, so a concurrent reader may see
 * one half old and the other new), with no ordering towards other threads (as for wasm's own
 * {@code global.get}/{@code global.set}). {@link #close()} of a created global must not race with its use, from
 * Java or from wasm.
 */
public final class Global implements AutoCloseable {
    private final GlobalCell cell;
    private final boolean owned;
    /** The instance that exported it, or null: importing it makes the importer depend on that instance. */
    Instance exporter;

    Global(GlobalCell cell, boolean owned) {
        this.cell = cell;
        this.owned = owned;
    }

    /** A global of {@code type}, mutable or not, holding {@code value}. */
    public static Global create(ValType type, boolean mutable, Object value) {
        if (!WasmValues.accepts(type, value)) throw wrongValue(type, value);
        return new Global(new GlobalCell(new GlobalType(type, mutable), WasmValues.toRaw(type, value),
                WasmValues.toRawHigh(type, value)), true);
    }

    GlobalCell runtime() {
        return cell;
    }

    public ValType type() {
        return cell.type().type();
    }

    public boolean isMutable() {
        return cell.type().mutable();
    }

    public Object get() {
        return WasmValues.isWide(type()) ? WasmValues.fromRaw(type(), cell.get(), cell.getHigh())
                : WasmValues.fromRaw(type(), cell.get());
    }

    /** @throws IllegalStateException for an immutable global */
    public void set(Object value) {
        if (!isMutable()) throw new IllegalStateException("global is immutable");
        if (!WasmValues.accepts(type(), value)) throw wrongValue(type(), value);
        if (WasmValues.isWide(type())) cell.set(WasmValues.toRaw(type(), value), WasmValues.toRawHigh(type(), value));
        else cell.set(WasmValues.toRaw(type(), value));
    }

    private static IllegalArgumentException wrongValue(ValType type, Object value) {
        return new IllegalArgumentException("a global of type " + type + " holds " + WasmValues.boxedName(type)
                + ", got " + (value == null ? "null" : "a " + value.getClass().getName()));
    }

    /** Frees a global made with {@link #create}; a no-op for an instance's global. */
    @Override
    public void close() {
        if (owned) cell.close();
    }
}
