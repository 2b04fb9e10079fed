package dev.isthmus.text;

/** The module-wide names an instruction can refer to, filled by the first pass over the module's fields. */
final class ModuleContext {
    final TypeTable types = new TypeTable();
    final IndexSpace funcs = new IndexSpace("func", "function");
    final IndexSpace tables = new IndexSpace("table", "table");
    final IndexSpace memories = new IndexSpace("memory", "memory");
    final IndexSpace globals = new IndexSpace("global", "global");
    final IndexSpace tags = new IndexSpace("tag", "tag");
    final IndexSpace elems = new IndexSpace("elem", "elem segment");
    final IndexSpace datas = new IndexSpace("data", "data segment");
    /**
     * Wasm 3.0's text (memory64 and table64): {@code i64} address types, limits and memarg offsets up to 2^64-1.
     * False for Wasm 2.0, whose limits and offsets beyond 2^32-1 are "i32 constant out of range".
     */
    boolean memory64 = true;
    /** Set when code uses memory.init or data.drop, which need the data count section. */
    boolean usesDataCount;

    /** The index space named by a field or import kind keyword (func, table, memory, global). */
    IndexSpace space(Token kind, TokenStream in) {
        return switch (kind.text()) {
            case "func" -> funcs;
            case "table" -> tables;
            case "memory" -> memories;
            case "global" -> globals;
            case "tag" -> tags;
            default -> throw in.unexpected(kind);
        };
    }
}
