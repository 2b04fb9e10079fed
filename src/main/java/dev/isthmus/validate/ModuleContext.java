package dev.isthmus.validate;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.Global;
import dev.isthmus.model.GlobalType;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;

import java.util.BitSet;
import java.util.List;

/**
 * The spec's validation context C, flattened into arrays once per module so that every lookup during validation is
 * O(1): types, the function/table/memory/global index spaces (imports first), element segment types, the number of
 * data segments, and C.refs, the functions that {@code ref.func} may name.
 *
 * <p>Lookups of a missing index throw a {@link ValidationFailure} worded as the spec suite expects
 * ("unknown function 7"); the caller attaches the location.
 */
final class ModuleContext {
    private final ValType[][] typeParams;
    private final ValType[][] typeResults;
    private final int[] functionTypes;
    private final ValType[] tableElementTypes;
    private final int memoryCount;
    /** Per table and per memory: true for an i64 address type (table64, memory64). */
    private final boolean[] table64;
    private final boolean[] memory64;
    private final GlobalType[] globals;
    private final int importedGlobalCount;
    private final ValType[] elementTypes;
    private final int dataSegmentCount;
    private final BitSet declaredReferences = new BitSet();
    /** The type index of each tag (imports first). */
    private final int[] tagTypes;
    /** Per type index, the least index of a type equivalent to it (3.0's isorecursive equivalence). */
    private final int[] canonical;
    /** For each type, the index just past its recursion group (what its typed references may name at most - 1). */
    private final int[] recGroupEnd;

    /** Builds the context; the type indices of imported and defined functions must have been checked already. */
    ModuleContext(WasmModule module) {
        List<FuncType> types = module.types();
        typeParams = new ValType[types.size()][];
        typeResults = new ValType[types.size()][];
        for (int i = 0; i < types.size(); i++) {
            typeParams[i] = types.get(i).params().toArray(ValType[]::new);
            typeResults[i] = types.get(i).results().toArray(ValType[]::new);
        }
        canonical = canonicalTypes(types, module);
        recGroupEnd = new int[types.size()];
        for (int i = 0; i < recGroupEnd.length; i++) {
            int[] group = module.recGroupOf(i);
            recGroupEnd[i] = group[0] + group[1];
        }

        int functions = 0, tables = 0, memories = 0, globalsSeen = 0;
        functionTypes = new int[module.functionCount()];
        tableElementTypes = new ValType[module.tableCount()];
        globals = new GlobalType[module.globalCount()];
        for (Import imp : module.imports()) {
            switch (imp.desc()) {
                case ImportDesc.Func f -> functionTypes[functions++] = f.typeIndex();
                case ImportDesc.Table t -> tableElementTypes[tables++] = t.type().elementType();
                case ImportDesc.Memory m -> memories++;
                case ImportDesc.Global g -> globals[globalsSeen++] = g.type();
                case ImportDesc.Tag t -> { }
            }
        }
        tagTypes = new int[module.tagCount()];
        for (int i = 0; i < tagTypes.length; i++) tagTypes[i] = module.tagTypeIndex(i);
        importedGlobalCount = globalsSeen;
        for (int typeIndex : module.functions()) functionTypes[functions++] = typeIndex;
        for (TableType t : module.tables()) tableElementTypes[tables++] = t.elementType();
        memoryCount = memories + module.memories().size();
        for (Global g : module.globals()) globals[globalsSeen++] = g.type();

        table64 = new boolean[module.tableCount()];
        for (int i = 0; i < table64.length; i++) table64[i] = module.tableType(i).address64();
        memory64 = new boolean[memoryCount];
        for (int i = 0; i < memoryCount; i++) memory64[i] = module.memoryType(i).address64();

        elementTypes = new ValType[module.elements().size()];
        for (int i = 0; i < elementTypes.length; i++) elementTypes[i] = module.elements().get(i).type();
        dataSegmentCount = module.dataCount() != WasmModule.NO_DATA_COUNT ? module.dataCount() : module.data().size();
    }

    // ---- types

    /** The parameters of type {@code typeIndex}; "unknown type" when there is none. */
    ValType[] params(int typeIndex) {
        return typeParams[checkType(typeIndex)];
    }

    /** The results of type {@code typeIndex}; "unknown type" when there is none. */
    ValType[] results(int typeIndex) {
        return typeResults[checkType(typeIndex)];
    }

    /**
     * Function types are grouped in recursion groups (a type defined without {@code rec} is a group of its own);
     * a type may refer to the members of its group and to earlier types. Two types are equivalent when they sit at
     * the same position of equal groups: the same structures, with references to members of the group compared by
     * position and references to earlier types by equivalence (iso-recursive equivalence, without subtypes). The
     * key of type i spells that out; the least index with the same key is its canonical type. A reference past the
     * group is left to {@link #checkTypes} ("unknown type").
     */
    private static int[] canonicalTypes(List<FuncType> types, WasmModule module) {
        int[] canonical = new int[types.size()];
        java.util.Map<String, Integer> byKey = new java.util.HashMap<>();
        for (int i = 0; i < types.size(); i++) {
            int[] group = module.recGroupOf(i);
            String key = structureKey(types, i, group, canonical);
            if (group[1] > 1) {
                // a member of a rec group: equivalent only to the same position of an equal group
                StringBuilder all = new StringBuilder("rec{");
                for (int k = group[0]; k < group[0] + group[1]; k++) {
                    all.append(k == i ? key : structureKey(types, k, group, canonical)).append('|');
                }
                key = all.append("}#").append(i - group[0]).toString();
            }
            Integer earlier = byKey.putIfAbsent(key, i);
            canonical[i] = earlier == null ? i : earlier;
        }
        return canonical;
    }

    private static String structureKey(List<FuncType> types, int i, int[] group, int[] canonical) {
        StringBuilder key = new StringBuilder();
        for (ValType t : types.get(i).params()) key.append(canonicalKey(t, group, canonical)).append(',');
        key.append("->");
        for (ValType t : types.get(i).results()) key.append(canonicalKey(t, group, canonical)).append(',');
        return key.toString();
    }

    private static String canonicalKey(ValType t, int[] group, int[] canonical) {
        if (!t.isTypedFuncRef()) return t.text();
        int h = t.heapType();
        String heap = h >= group[0] && h < group[0] + group[1] ? "rec" + (h - group[0])
                : h < group[0] ? "t" + canonical[h] : "later" + h;
        return (t.nullable() ? "null " : "") + heap;
    }

    /** Whether type indices {@code a} and {@code b} denote equivalent types (both must exist). */
    boolean equivalentTypes(int a, int b) {
        return canonical[a] == canonical[b];
    }

    /**
     * Whether {@code a} matches (is a subtype of) {@code b}: number and vector types only themselves; a reference
     * type {@code (ref n1 h1)} matches {@code (ref n2 h2)} when n1 implies n2 and h1 is h2 (type indices compared
     * by equivalence) or h1 is a type index and h2 is {@code func}. A null type (the algorithm's Unknown)
     * matches everything.
     */
    boolean matches(ValType a, ValType b) {
        if (a == b || a == null || b == null) return true;
        if (!a.isReference() || !b.isReference()) return false;
        if (a.nullable() && !b.nullable()) return false;
        int ha = a.heapType(), hb = b.heapType();
        if (ha == hb) return true;
        if (ha == ValType.HEAP_NOEXN) return hb == ValType.HEAP_EXN;
        if (ha >= 0 && hb >= 0) return ha < canonical.length && hb < canonical.length && canonical[ha] == canonical[hb];
        return ha >= 0 && hb == ValType.HEAP_FUNC;
    }

    /** Whether each of {@code a} matches the corresponding one of {@code b} (same lengths). */
    boolean matches(ValType[] a, ValType[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (!matches(a[i], b[i])) return false;
        return true;
    }

    /** Fails with "unknown type" when {@code t} refers to a type index the module does not have. */
    ValType checkValType(ValType t) {
        if (t != null && t.isTypedFuncRef()) checkType(t.heapType());
        return t;
    }

    /**
     * Every type the type section spells out refers to an existing type, and only to a member of its recursion
     * group or an earlier type (a later group is out of scope): "unknown type".
     */
    void checkTypes() {
        for (int i = 0; i < typeParams.length; i++) {
            int groupEnd = recGroupEnd[i];
            for (ValType[] list : new ValType[][] {typeParams[i], typeResults[i]}) {
                for (ValType t : list) {
                    if (t.isTypedFuncRef() && t.heapType() >= groupEnd) throw unknown("type", t.heapType());
                }
            }
        }
    }

    int checkType(int typeIndex) {
        if (typeIndex < 0 || typeIndex >= typeParams.length) throw unknown("type", typeIndex);
        return typeIndex;
    }

    // ---- functions

    int functionCount() {
        return functionTypes.length;
    }

    /** The type index of function {@code index}; "unknown function" when there is none. */
    int functionType(int index) {
        if (index < 0 || index >= functionTypes.length) throw unknown("function", index);
        return functionTypes[index];
    }

    /** The type index of tag {@code index}: "unknown tag" when there is none. */
    int tagType(int index) {
        if (index < 0 || index >= tagTypes.length) throw unknown("tag", index);
        return tagTypes[index];
    }

    /** Adds {@code index} to C.refs: it occurs outside function bodies, so {@code ref.func} may name it. */
    void declareReference(int index) {
        declaredReferences.set(index);
    }

    boolean isDeclaredReference(int index) {
        return declaredReferences.get(index);
    }

    // ---- tables, memories, globals, segments

    int tableCount() {
        return tableElementTypes.length;
    }

    /** The element type of table {@code index}; "unknown table" when there is none. */
    ValType tableElementType(int index) {
        if (index < 0 || index >= tableElementTypes.length) throw unknown("table", index);
        return tableElementTypes[index];
    }

    int memoryCount() {
        return memoryCount;
    }

    /** Fails with "unknown memory" unless memory {@code index} exists. */
    void checkMemory(int index) {
        if (index < 0 || index >= memoryCount) throw unknown("memory", index);
    }

    /** The address type of memory {@code index} (i64 for memory64); "unknown memory" when there is none. */
    ValType memoryAddressType(int index) {
        checkMemory(index);
        return memory64[index] ? ValType.I64 : ValType.I32;
    }

    /** The address type of table {@code index} (i64 for table64); "unknown table" when there is none. */
    ValType tableAddressType(int index) {
        tableElementType(index);
        return table64[index] ? ValType.I64 : ValType.I32;
    }

    int globalCount() {
        return globals.length;
    }

    /** The type of global {@code index}; "unknown global" when there is none. */
    GlobalType global(int index) {
        if (index < 0 || index >= globals.length) throw unknown("global", index);
        return globals[index];
    }

    /**
     * The type of global {@code index} as constant expressions see it: in Wasm 2.0 they may only read imported
     * globals, so the defined ones are "unknown" there.
     */
    GlobalType importedGlobal(int index) {
        if (index < 0 || index >= importedGlobalCount) throw unknown("global", index);
        return globals[index];
    }

    /** The reference type of element segment {@code index}; "unknown elem segment" when there is none. */
    ValType elementType(int index) {
        if (index < 0 || index >= elementTypes.length) throw unknown("elem segment", index);
        return elementTypes[index];
    }

    /** Fails with "unknown data segment" unless data segment {@code index} exists (per the data count section). */
    void checkDataSegment(int index) {
        if (index < 0 || index >= dataSegmentCount) throw unknown("data segment", index);
    }

    private static ValidationFailure unknown(String what, int index) {
        return new ValidationFailure("unknown " + what + " " + Integer.toUnsignedString(index));
    }
}
