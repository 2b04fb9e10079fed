package dev.isthmus.model;

/**
 * A table's element type (a reference type) and size limits, and for a table the module defines, the constant
 * expression its elements start as (typed function references: {@code (table 10 (ref $t) (ref.func $f))}; null
 * for null references, and always null for an imported table).
 */
public record TableType(ValType elementType, Limits limits, ConstExpr init) {
    public TableType(ValType elementType, Limits limits) {
        this(elementType, limits, null);
    }

    /** True for a table64 table: {@code i64} indices and sizes. */
    public boolean address64() {
        return limits.address64();
    }

    /** This type without its initialiser, what imports and exports compare. */
    public TableType withoutInit() {
        return init == null ? this : new TableType(elementType, limits);
    }

    /** The type in the text format: {@code (table 1 10 funcref)}. */
    @Override
    public String toString() {
        return "(table " + limits + " " + elementType.text() + ")";
    }
}
