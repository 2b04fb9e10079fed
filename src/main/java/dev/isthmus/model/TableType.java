package dev.isthmus.model;

/** A table's element type (a reference type) and size limits. */
public record TableType(ValType elementType, Limits limits) {
    /** The type in the text format: {@code (table 1 10 funcref)}. */
    @Override
    public String toString() {
        return "(table " + limits + " " + elementType.text() + ")";
    }
}
