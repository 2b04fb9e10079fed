package dev.isthmus.validate;

import dev.isthmus.binary.ParallelBodies;

import dev.isthmus.model.ConstExpr;
import dev.isthmus.model.DataSegment;
import dev.isthmus.model.ElementSegment;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.Global;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.model.Limits;
import dev.isthmus.binary.DecodeException;
import dev.isthmus.model.MemoryType;
import dev.isthmus.model.SegmentMode;
import dev.isthmus.model.TableType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.model.WasmVersion;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The WebAssembly validator (2.0, or 3.0 as far as {@link WasmVersion} says): decides whether a decoded {@link WasmModule} is valid, in time linear in its size.
 *
 * <p>Module-level rules (index spaces, limits, constant expressions, segments, exports, start) are checked here, in
 * the order of the spec's reference interpreter; function bodies by {@link FunctionValidator}. The first broken rule is thrown as an
 * {@link ValidationException} whose {@code reason()} starts with the spec test suite's wording ("type mismatch",
 * "unknown global 3", ...), with the section, and for code the function index and the instruction's byte offset.
 * Beyond 2.0 it accepts the tail calls ({@code return_call}, {@code return_call_indirect}) and, under
 * {@link WasmVersion#V3_0}, typed function references, extended constant expressions and multiple memories.
 */
public final class Validator {
    private static final long TABLE_SIZE_LIMIT = 0xFFFF_FFFFL;

    private final WasmModule module;
    private final WasmVersion version;

    private Validator(WasmModule module, WasmVersion version) {
        this.module = module;
        this.version = version;
    }

    /**
     * Validates {@code module}.
     *
     * @throws ValidationException   on the first rule the module breaks
     * @throws DecodeException if an instruction sequence does not even decode (the decoder normally
     *                                  rejects those first)
     */
    public static void validate(WasmModule module) {
        validate(module, WasmVersion.DEFAULT);
    }

    /**
     * Validates {@code module} by the rules of {@code version} (see {@link WasmVersion} for where they differ).
     *
     * @throws ValidationException   on the first rule the module breaks
     * @throws DecodeException if an instruction sequence does not even decode
     */
    public static void validate(WasmModule module, WasmVersion version) {
        new Validator(module, version).run();
    }

    /** The checks in the reference interpreter's order, so a module breaking several rules gets the same error. */
    private void run() {
        checkFunctionTypeIndices();
        checkImportedLimits();
        ModuleContext context = new ModuleContext(module);
        inSection("type", context::checkTypes);
        inSection("import", () -> checkImportedTypes(context));
        checkTags();
        declareExportedFunctions(context);
        ConstExprValidator constants = new ConstExprValidator(context, version);
        inSection("table", () -> checkTableInits(context, constants));
        checkGlobals(context, constants);
        checkDefinedLimits();
        inSection("element", () -> checkElements(context, constants));
        inSection("data", () -> checkData(context, constants));
        checkCode(context);
        inSection("start", () -> checkStart(context));
        inSection("export", () -> checkExports(context));
        if (!version.multiMemory() && module.memoryCount() > 1) throw invalid("multiple memories", "memory");
    }

    /** Imported and defined functions name their signature by type index. */
    private void checkFunctionTypeIndices() {
        int types = module.types().size();
        for (Import imp : module.imports()) {
            if (imp.desc() instanceof ImportDesc.Func f && !isIndex(f.typeIndex(), types)) {
                throw invalid("unknown type " + f.typeIndex(), "import");
            }
        }
        for (int typeIndex : module.functions()) {
            if (!isIndex(typeIndex, types)) throw invalid("unknown type " + typeIndex, "function");
        }
    }

    /** A tag's type exists and has no results (imported tags are checked in the import section). */
    private void checkTags() {
        int types = module.types().size();
        for (Import imp : module.imports()) {
            if (imp.desc() instanceof ImportDesc.Tag t) checkTagType(t.typeIndex(), types, "import");
        }
        for (int typeIndex : module.tags()) checkTagType(typeIndex, types, "tag");
    }

    private void checkTagType(int typeIndex, int types, String section) {
        if (!isIndex(typeIndex, types)) throw invalid("unknown type " + typeIndex, section);
        if (!module.types().get(typeIndex).results().isEmpty()) throw invalid("non-empty tag result type", section);
    }

    private void checkImportedLimits() {
        for (Import imp : module.imports()) {
            switch (imp.desc()) {
                case ImportDesc.Table t -> checkTable(t.type(), "import");
                case ImportDesc.Memory m -> checkMemory(m.type(), "import");
                default -> { }
            }
        }
    }

    private void checkDefinedLimits() {
        for (TableType t : module.tables()) checkTable(t, "table");
        for (MemoryType m : module.memories()) checkMemory(m, "memory");
    }

    private void checkTable(TableType table, String section) {
        if (table.address64()) {                    // table64: any u64 bound
            checkLimits(table.limits(), -1L, "table size", section);
        } else {
            checkLimits(table.limits(), TABLE_SIZE_LIMIT, "table size must be at most 2^32-1", section);
        }
    }

    private void checkMemory(MemoryType memory, String section) {
        if (memory.address64()) {
            checkLimits(memory.limits(), MemoryType.MAX_PAGES_64, "memory size must be at most 2^48 pages", section);
        } else {
            checkLimits(memory.limits(), MemoryType.MAX_PAGES, "memory size must be at most 65536 pages (4GiB)",
                    section);
        }
    }

    private void checkLimits(Limits limits, long range, String tooLarge, String section) {
        if (Long.compareUnsigned(limits.min(), range) > 0) throw invalid(tooLarge, section);
        if (limits.hasMax()) {
            if (Long.compareUnsigned(limits.max(), range) > 0) throw invalid(tooLarge, section);
            if (Long.compareUnsigned(limits.min(), limits.max()) > 0) {
                throw invalid("size minimum must not be greater than maximum", section);
            }
        }
    }

    /** The value types of imported globals and tables name existing types. */
    private void checkImportedTypes(ModuleContext context) {
        for (Import imp : module.imports()) {
            switch (imp.desc()) {
                case ImportDesc.Table t -> context.checkValType(t.type().elementType());
                case ImportDesc.Global g -> context.checkValType(g.type().type());
                default -> { }
            }
        }
    }

    /**
     * A defined table's element type names an existing type; its initialiser (which may read imported globals only:
     * the global section comes later) produces that type; a table of a non-null type needs one ("type mismatch").
     */
    private void checkTableInits(ModuleContext context, ConstExprValidator constants) {
        constants.visibleGlobals(importedGlobalCount());
        for (TableType t : module.tables()) {
            context.checkValType(t.elementType());
            if (t.init() != null) constants.validate(t.init(), t.elementType(), "table");
            else if (!t.elementType().nullable()) throw new ValidationFailure("type mismatch");
        }
        constants.visibleGlobals(context.globalCount());
    }

    private int importedGlobalCount() {
        int n = 0;
        for (Import imp : module.imports()) if (imp.desc() instanceof ImportDesc.Global) n++;
        return n;
    }

    /** Each initialiser may read the imported globals and (extended constants) the ones defined before it. */
    private void checkGlobals(ModuleContext context, ConstExprValidator constants) {
        int visible = context.globalCount() - module.globals().size();
        for (Global g : module.globals()) {
            constants.visibleGlobals(visible++);
            inSection("global", () -> context.checkValType(g.type().type()));
            constants.validate(g.init(), g.type().type(), "global");
        }
        constants.visibleGlobals(context.globalCount());
    }

    private void checkElements(ModuleContext context, ConstExprValidator constants) {
        for (ElementSegment segment : module.elements()) {
            context.checkValType(segment.type());
            if (segment.mode() == SegmentMode.ACTIVE) {
                ValType tableType = context.tableElementType(segment.tableIndex());
                constants.validate(segment.offset(), context.tableAddressType(segment.tableIndex()), "element");
                if (!context.matches(segment.type(), tableType)) throw invalid("type mismatch", "element");
            }
            for (ConstExpr item : segment.items()) constants.validate(item, segment.type(), "element");
        }
    }

    private void checkData(ModuleContext context, ConstExprValidator constants) {
        for (DataSegment segment : module.data()) {
            if (segment.mode() == SegmentMode.ACTIVE) {
                constants.validate(segment.offset(), context.memoryAddressType(segment.memoryIndex()), "data");
            }
        }
    }

    /**
     * Exported functions belong to C.refs, which function bodies need before the export section is checked (the
     * reference interpreter scans the module for C.refs up front); their indices are checked with the exports.
     */
    private void declareExportedFunctions(ModuleContext context) {
        for (Export export : module.exports()) {
            if (export.kind() == ExternKind.FUNC && export.index() >= 0) context.declareReference(export.index());
        }
    }

    /** Export indices exist and export names are unique. */
    private void checkExports(ModuleContext context) {
        Set<String> names = new HashSet<>();
        for (Export export : module.exports()) {
            int index = export.index();
            switch (export.kind()) {
                case FUNC -> context.functionType(index);
                case TABLE -> context.tableElementType(index);
                case MEMORY -> context.checkMemory(index);
                case GLOBAL -> context.global(index);
                case TAG -> context.tagType(index);
            }
            if (!names.add(export.name())) throw invalid("duplicate export name \"" + export.name() + "\"", "export");
        }
    }

    private void checkStart(ModuleContext context) {
        if (!module.hasStart()) return;
        int typeIndex = context.functionType(module.startFunction());
        FuncType type = module.types().get(typeIndex);
        if (!type.params().isEmpty() || !type.results().isEmpty()) {
            throw invalid("start function must have type [] -> []", "start");
        }
    }

    private void checkCode(ModuleContext context) {
        List<Integer> functions = module.functions();
        if (functions.size() != module.codes().size()) {
            throw new DecodeException("function and code section have inconsistent lengths", "code", -1, -1);
        }
        int firstDefined = module.importedFunctionCount();
        long codeBytes = module.codeBytes();
        // bodies validate independently (the context is only read now): on every core for a large module, the
        // first invalid body's error as in order
        ParallelBodies.forEach(functions.size(), codeBytes, (from, to) -> {
            FunctionValidator bodies = new FunctionValidator(context, version);
            for (int i = from; i < to; i++) bodies.validate(firstDefined + i, module.codes().get(i));
        });
    }

    // ---- helpers

    private static boolean isIndex(int index, int count) {
        return index >= 0 && index < count;
    }

    /** Runs the checks of one section, attaching the section to a failed context lookup. */
    private static void inSection(String section, Runnable checks) {
        try {
            checks.run();
        } catch (ValidationFailure failure) {
            throw invalid(failure.reason(), section);
        }
    }

    private static ValidationException invalid(String reason, String section) {
        return new ValidationException(reason, section, -1, -1);
    }
}
