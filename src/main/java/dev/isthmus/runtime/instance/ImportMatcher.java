package dev.isthmus.runtime.instance;

import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.Limits;
import dev.isthmus.model.WasmModule;

/**
 * Resolves a module's imports and checks each against its declared type, as the spec's import matching rules say:
 * functions by exact signature, globals by value type and mutability, tables by element type, memories and tables
 * by limits (the provided current size at least the declared minimum; a declared maximum requires a provided
 * maximum no larger).
 */
final class ImportMatcher {
    private ImportMatcher() {
    }

    /** The value for each import, in import order. */
    static ExternValue[] resolve(WasmModule module, ImportResolver resolver) {
        ExternValue[] values = new ExternValue[module.imports().size()];
        for (int i = 0; i < values.length; i++) {
            Import imp = module.imports().get(i);
            ExternValue value = resolver.resolve(imp.module(), imp.name());
            if (value == null) {
                throw new LinkFailure("unknown import " + describe(imp) + ": expected " + expected(module, imp.desc())
                        + ", nothing provided");
            }
            String problem = mismatch(module, imp.desc(), value);
            if (problem != null) {
                throw new LinkFailure("incompatible import type " + describe(imp) + ": expected "
                        + expected(module, imp.desc()) + ", got " + actual(value)
                        + (problem.isEmpty() ? "" : " (" + problem + ")"));
            }
            values[i] = value;
        }
        return values;
    }

    private static String describe(Import imp) {
        return "\"" + imp.module() + "\" \"" + imp.name() + "\"";
    }

    /** The type an import declares, in the text format. */
    static String expected(WasmModule module, ImportDesc desc) {
        return switch (desc) {
            case ImportDesc.Func f -> module.types().get(f.typeIndex()).toString();
            case ImportDesc.Global g -> g.type().toString();
            case ImportDesc.Table t -> t.type().toString();
            case ImportDesc.Memory m -> m.type().toString();
            case ImportDesc.Tag t -> "tag " + module.types().get(t.typeIndex());
        };
    }

    /** The type of a provided value, in the text format. */
    private static String actual(ExternValue value) {
        return switch (value) {
            case ExternValue.WasmFunction w -> w.type().toString();
            case ExternValue.HostFunction h -> h.type().toString();
            case ExternValue.Global g -> g.cell().type().toString();
            case ExternValue.Table t -> t.table().currentType().toString();
            case ExternValue.Memory m -> m.memory().currentType().toString();
            case ExternValue.Tag t -> "tag " + t.tag().type();
        };
    }

    /** Null when {@code value} matches {@code desc}, else why not ("" when the two types say it all). */
    private static String mismatch(WasmModule module, ImportDesc desc, ExternValue value) {
        return switch (desc) {
            case ImportDesc.Func f -> {
                var expected = module.types().get(f.typeIndex());
                var actual = switch (value) {
                    case ExternValue.WasmFunction w -> w.type();
                    case ExternValue.HostFunction h -> h.type();
                    default -> null;
                };
                if (actual == null) yield "";
                if (actual.equals(expected)) yield null;
                // a wasm function of another module: equal when the canonical type ids are (types naming other
                // types by index are equivalent by structure, not by index)
                if (value instanceof ExternValue.WasmFunction w) {
                    long id = dev.isthmus.os.NativeHeap.getLong(w.funcRef() + dev.isthmus.runtime.abi.FuncRefLayout.TYPE_ID);
                    yield id == dev.isthmus.runtime.abi.TypeIds.of(module, f.typeIndex()) ? null : "";
                }
                yield "";
            }
            case ImportDesc.Global g -> {
                if (!(value instanceof ExternValue.Global global)) yield "";
                var actual = global.cell().type();
                var expected = g.type();
                if (actual.mutable() != expected.mutable()) yield "";
                int actualId = global.cell().heapTypeId(), expectedId = typeId(module, expected.type());
                // a mutable global's type must be the same; an immutable one may provide a subtype ((ref func) for
                // funcref)
                boolean ok = expected.mutable()
                        ? sameType(actual.type(), actualId, expected.type(), expectedId)
                        : sameType(actual.type(), actualId, expected.type(), expectedId)
                                || referenceSubtype(actual.type(), actualId, expected.type(), expectedId);
                yield ok ? null : "";
            }
            case ImportDesc.Tag t -> {
                if (!(value instanceof ExternValue.Tag tag)) yield "";
                yield tag.tag().typeId() == dev.isthmus.runtime.abi.TypeIds.of(module, t.typeIndex()) ? null : "";
            }
            case ImportDesc.Table t -> {
                if (!(value instanceof ExternValue.Table table)) yield "";
                var actual = table.table().currentType();
                if (!sameType(actual.elementType(), table.table().elementTypeId(), t.type().elementType(),
                        typeId(module, t.type().elementType()))) {
                    yield "";
                }
                yield limitsMismatch(actual.limits(), t.type().limits());
            }
            case ImportDesc.Memory m -> {
                if (!(value instanceof ExternValue.Memory memory)) yield "";
                yield limitsMismatch(memory.memory().currentType().limits(), m.type().limits());
            }
        };
    }

    /**
     * The canonical id ({@link dev.isthmus.runtime.abi.TypeIds}) of the function type a typed reference
     * {@code (ref null? $t)} of {@code module} names, 0 for every other type: typed references of two modules are
     * the same type when these ids are, whatever their type indices.
     */
    static int typeId(WasmModule module, dev.isthmus.model.ValType type) {
        return type.isTypedFuncRef() ? dev.isthmus.runtime.abi.TypeIds.of(module, type.heapType()) : 0;
    }

    /**
     * Whether {@code a} (of the exporting side, its function type's id {@code aId}, 0 when unknown: a host-made
     * global or table, compared by index) is the same type as {@code b} of the importing module (id {@code bId}).
     */
    private static boolean sameType(dev.isthmus.model.ValType a, int aId, dev.isthmus.model.ValType b, int bId) {
        if (a.isTypedFuncRef() && b.isTypedFuncRef() && aId != 0) return a.nullable() == b.nullable() && aId == bId;
        return a.equals(b);
    }

    /**
     * Whether reference type {@code a} (ids as for {@link #sameType}) is a subtype of {@code b}: non-null matches
     * nullable, a typed function reference matches {@code func} and a typed reference of the same function type.
     */
    private static boolean referenceSubtype(dev.isthmus.model.ValType a, int aId, dev.isthmus.model.ValType b, int bId) {
        if (!a.isReference() || !b.isReference()) return false;
        if (a.nullable() && !b.nullable()) return false;
        if (a.isTypedFuncRef() && b.isTypedFuncRef()) return aId != 0 ? aId == bId : a.heapType() == b.heapType();
        if (a.isTypedFuncRef()) return b.heapType() == dev.isthmus.model.ValType.HEAP_FUNC;
        return !b.isTypedFuncRef() && a.heapType() == b.heapType();
    }

    private static String limitsMismatch(Limits actual, Limits expected) {
        if (actual.address64() != expected.address64()) {
            return "address type " + actual.addressType() + ", where " + expected.addressType() + " is required";
        }
        boolean ok = Long.compareUnsigned(actual.min(), expected.min()) >= 0
                && (!expected.hasMax() || actual.hasMax() && Long.compareUnsigned(actual.max(), expected.max()) <= 0);
        if (ok) return null;
        return Long.compareUnsigned(actual.min(), expected.min()) < 0
                ? "minimum " + Long.toUnsignedString(actual.min()) + " below " + Long.toUnsignedString(expected.min())
                : !actual.hasMax() ? "no maximum, where at most " + Long.toUnsignedString(expected.max())
                        + " is required"
                : "maximum " + Long.toUnsignedString(actual.max()) + " above " + Long.toUnsignedString(expected.max());
    }
}
