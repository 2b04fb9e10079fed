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
            if (value == null) throw new LinkFailure("unknown import " + describe(imp));
            String problem = mismatch(module, imp.desc(), value);
            if (problem != null) throw new LinkFailure("incompatible import type " + describe(imp) + ": " + problem);
            values[i] = value;
        }
        return values;
    }

    private static String describe(Import imp) {
        return "\"" + imp.module() + "\" \"" + imp.name() + "\"";
    }

    /** Null when {@code value} matches {@code desc}, else why not. */
    private static String mismatch(WasmModule module, ImportDesc desc, ExternValue value) {
        return switch (desc) {
            case ImportDesc.Func f -> {
                var expected = module.types().get(f.typeIndex());
                var actual = switch (value) {
                    case ExternValue.WasmFunction w -> w.type();
                    case ExternValue.HostFunction h -> h.type();
                    default -> null;
                };
                if (actual == null) yield "expected a function, got " + kind(value);
                yield actual.equals(expected) ? null : "expected " + expected + ", got " + actual;
            }
            case ImportDesc.Global g -> {
                if (!(value instanceof ExternValue.Global global)) yield "expected a global, got " + kind(value);
                yield global.cell().type().equals(g.type()) ? null
                        : "expected " + g.type() + ", got " + global.cell().type();
            }
            case ImportDesc.Table t -> {
                if (!(value instanceof ExternValue.Table table)) yield "expected a table, got " + kind(value);
                var actual = table.table().currentType();
                if (actual.elementType() != t.type().elementType()) {
                    yield "expected " + t.type().elementType() + " elements, got " + actual.elementType();
                }
                yield limitsMismatch(actual.limits(), t.type().limits());
            }
            case ImportDesc.Memory m -> {
                if (!(value instanceof ExternValue.Memory memory)) yield "expected a memory, got " + kind(value);
                yield limitsMismatch(memory.memory().currentType().limits(), m.type().limits());
            }
        };
    }

    private static String limitsMismatch(Limits actual, Limits expected) {
        boolean ok = actual.min() >= expected.min()
                && (!expected.hasMax() || actual.hasMax() && actual.max() <= expected.max());
        return ok ? null : "limits " + actual + " do not match " + expected;
    }

    private static String kind(ExternValue value) {
        return switch (value) {
            case ExternValue.WasmFunction w -> "a function";
            case ExternValue.HostFunction h -> "a function";
            case ExternValue.Global g -> "a global";
            case ExternValue.Table t -> "a table";
            case ExternValue.Memory m -> "a memory";
        };
    }
}
