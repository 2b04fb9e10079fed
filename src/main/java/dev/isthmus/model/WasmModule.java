package dev.isthmus.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A decoded WebAssembly module: the immutable result of the binary decoder (and, through it, of the text parser).
 * It is not yet validated; see the validator.
 *
 * <p>{@link #tags()} holds the type index of each <em>defined</em> exception tag (Wasm 3.0).
 *
 * <p>Index spaces: imported entities come first, then the module's own. {@link #functions()} holds the type index of
 * each <em>defined</em> function and {@link #codes()} its body, in the same order.
 */
public record WasmModule(
        List<FuncType> types,
        List<Import> imports,
        List<Integer> functions,
        List<TableType> tables,
        List<MemoryType> memories,
        List<Global> globals,
        List<Export> exports,
        int startFunction,
        List<ElementSegment> elements,
        int dataCount,
        List<FunctionBody> codes,
        List<DataSegment> data,
        List<CustomSection> customSections,
        NameSection names,
        List<Integer> tags,
        List<Integer> recGroupSizes) {

    /** {@link #startFunction()} when there is no start section. */
    public static final int NO_START = -1;
    /** {@link #dataCount()} when there is no data count section. */
    public static final int NO_DATA_COUNT = -1;

    public WasmModule {
        types = List.copyOf(types);
        imports = List.copyOf(imports);
        functions = List.copyOf(functions);
        tables = List.copyOf(tables);
        memories = List.copyOf(memories);
        globals = List.copyOf(globals);
        exports = List.copyOf(exports);
        elements = List.copyOf(elements);
        codes = List.copyOf(codes);
        data = List.copyOf(data);
        customSections = List.copyOf(customSections);
        if (names == null) names = NameSection.EMPTY;
        tags = List.copyOf(tags);
        recGroupSizes = List.copyOf(recGroupSizes);
    }

    /** A module whose types are each a recursion group of its own (no {@code rec}). */
    public WasmModule(List<FuncType> types, List<Import> imports, List<Integer> functions, List<TableType> tables,
            List<MemoryType> memories, List<Global> globals, List<Export> exports, int startFunction,
            List<ElementSegment> elements, int dataCount, List<FunctionBody> codes, List<DataSegment> data,
            List<CustomSection> customSections, NameSection names, List<Integer> tags) {
        this(types, imports, functions, tables, memories, globals, exports, startFunction, elements, dataCount,
                codes, data, customSections, names, tags, List.of());
    }

    /**
     * The recursion group of type {@code index} as {start, size}: {@link #recGroupSizes()} lists the size of each
     * group in order (empty when every type is a group of its own, as without {@code rec}).
     */
    public int[] recGroupOf(int index) {
        if (recGroupSizes.isEmpty()) return new int[] {index, 1};
        int start = 0;
        for (int size : recGroupSizes) {
            if (index < start + size) return new int[] {start, size};
            start += size;
        }
        return new int[] {index, 1};
    }

    /** A module without exception tags (the shape before exception handling). */
    public WasmModule(List<FuncType> types, List<Import> imports, List<Integer> functions, List<TableType> tables,
            List<MemoryType> memories, List<Global> globals, List<Export> exports, int startFunction,
            List<ElementSegment> elements, int dataCount, List<FunctionBody> codes, List<DataSegment> data,
            List<CustomSection> customSections, NameSection names) {
        this(types, imports, functions, tables, memories, globals, exports, startFunction, elements, dataCount,
                codes, data, customSections, names, List.of(), List.of());
    }

    public boolean hasStart() {
        return startFunction != NO_START;
    }

    public List<Import> importsOf(ExternKind kind) {
        List<Import> out = new ArrayList<>();
        for (Import i : imports) if (i.desc().kind() == kind) out.add(i);
        return out;
    }

    public int importedFunctionCount() {
        return countImports(ExternKind.FUNC);
    }

    public int importedTableCount() {
        return countImports(ExternKind.TABLE);
    }

    public int importedMemoryCount() {
        return countImports(ExternKind.MEMORY);
    }

    public int importedGlobalCount() {
        return countImports(ExternKind.GLOBAL);
    }

    private int countImports(ExternKind kind) {
        int n = 0;
        for (Import i : imports) if (i.desc().kind() == kind) n++;
        return n;
    }

    /** The signature of function {@code index} in the function index space (imports first). */
    public FuncType functionType(int index) {
        return types.get(functionTypeIndex(index));
    }

    /** The type index of function {@code index} in the function index space (imports first). */
    public int functionTypeIndex(int index) {
        int imported = 0;
        for (Import i : imports) {
            if (i.desc() instanceof ImportDesc.Func f) {
                if (imported == index) return f.typeIndex();
                imported++;
            }
        }
        return functions.get(index - imported);
    }

    /** The bytes of instructions in all function bodies (what the front end and compilers size their work by). */
    public long codeBytes() {
        long bytes = 0;
        for (FunctionBody body : codes) bytes += body.codeUnsafe().length;
        return bytes;
    }

    public int functionCount() {
        return importedFunctionCount() + functions.size();
    }

    public int tableCount() {
        return importedTableCount() + tables.size();
    }

    public int memoryCount() {
        return importedMemoryCount() + memories.size();
    }

    public int globalCount() {
        return importedGlobalCount() + globals.size();
    }

    public int importedTagCount() {
        return countImports(ExternKind.TAG);
    }

    /** Tags in the tag index space: imported ones first, then {@link #tags()} (each a type index). */
    public int tagCount() {
        return importedTagCount() + tags.size();
    }

    /** The type index of tag {@code index} in the tag index space. */
    public int tagTypeIndex(int index) {
        int imported = 0;
        for (Import i : imports) {
            if (i.desc() instanceof ImportDesc.Tag t) {
                if (imported == index) return t.typeIndex();
                imported++;
            }
        }
        return tags.get(index - imported);
    }

    /** The type of table {@code index} in the table index space. */
    public TableType tableType(int index) {
        int imported = 0;
        for (Import i : imports) {
            if (i.desc() instanceof ImportDesc.Table t) {
                if (imported == index) return t.type();
                imported++;
            }
        }
        return tables.get(index - imported);
    }

    /** The type of memory {@code index} in the memory index space. */
    public MemoryType memoryType(int index) {
        int imported = 0;
        for (Import i : imports) {
            if (i.desc() instanceof ImportDesc.Memory m) {
                if (imported == index) return m.type();
                imported++;
            }
        }
        return memories.get(index - imported);
    }

    /** The type of global {@code index} in the global index space. */
    public GlobalType globalType(int index) {
        int imported = 0;
        for (Import i : imports) {
            if (i.desc() instanceof ImportDesc.Global g) {
                if (imported == index) return g.type();
                imported++;
            }
        }
        return globals.get(index - imported).type();
    }
}
