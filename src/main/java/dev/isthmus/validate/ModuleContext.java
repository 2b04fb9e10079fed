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
    private final GlobalType[] globals;
    private final int importedGlobalCount;
    private final ValType[] elementTypes;
    private final int dataSegmentCount;
    private final BitSet declaredReferences = new BitSet();

    /** Builds the context; the type indices of imported and defined functions must have been checked already. */
    ModuleContext(WasmModule module) {
        List<FuncType> types = module.types();
        typeParams = new ValType[types.size()][];
        typeResults = new ValType[types.size()][];
        for (int i = 0; i < types.size(); i++) {
            typeParams[i] = types.get(i).params().toArray(ValType[]::new);
            typeResults[i] = types.get(i).results().toArray(ValType[]::new);
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
            }
        }
        importedGlobalCount = globalsSeen;
        for (int typeIndex : module.functions()) functionTypes[functions++] = typeIndex;
        for (TableType t : module.tables()) tableElementTypes[tables++] = t.elementType();
        memoryCount = memories + module.memories().size();
        for (Global g : module.globals()) globals[globalsSeen++] = g.type();

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
