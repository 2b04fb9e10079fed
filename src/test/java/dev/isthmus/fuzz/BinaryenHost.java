package dev.isthmus.fuzz;

import dev.isthmus.Caller;
import dev.isthmus.HostFunction;
import dev.isthmus.Imports;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The host side of binaryen 132's {@code fuzzing-support} module, as its reference interpreter implements it (found
 * by running it on small modules):
 * <ul>
 *   <li>{@code log-i32/i64/f32/f64/v128 (x)}: records x;</li>
 *   <li>{@code call-export (index, flags)}: calls export {@code index} of the module's export list (all kinds, in
 *       binary order) with zeros for every parameter, the way JavaScript would; an index out of range, an export
 *       that is not a function, or a function the interpreter's JavaScript model cannot call (a v128 or i64
 *       parameter, a v128 result) throws an exception; traps propagate;</li>
 *   <li>{@code call-export-catch (index) -> i32}: the same, returning 1 when an exception was thrown (caught) and 0
 *       otherwise; traps still propagate;</li>
 *   <li>{@code sleep (ms, id) -> i32}: returns id at once.</li>
 * </ul>
 */
final class BinaryenHost {
    /** Every import name this host implements. */
    static final Set<String> IMPORT_NAMES = Set.of("log-i32", "log-i64", "log-f32", "log-f64", "log-v128",
            "call-export", "call-export-catch", "sleep");

    /** The exception {@code call-export} throws (binaryen's "[exception thrown: ...]"). */
    static final class FuzzException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FuzzException(String message) {
            super(message, null, false, false);
        }
    }

    private final WasmModule module;
    private final List<FuzzingSupport.Logged> logged = new ArrayList<>();

    BinaryenHost(WasmModule module) {
        this.module = module;
    }

    /** The imports the module asks for. */
    Imports imports() {
        Imports.Builder imports = Imports.builder();
        for (Import anImport : module.imports()) {
            if (!(anImport.desc() instanceof ImportDesc.Func f) || !anImport.module().equals(FuzzingSupport.MODULE)) {
                continue;
            }
            FuncType type = module.types().get(f.typeIndex());
            String name = anImport.name();
            HostFunction.WithCaller function = switch (name) {
                case "log-i32", "log-i64", "log-f32", "log-f64", "log-v128" -> (caller, args) -> {
                    logged.add(new FuzzingSupport.Logged(type.params().get(0), args[0]));
                    return new Object[0];
                };
                case "call-export" -> (caller, args) -> {
                    callExport(caller, (Integer) args[0]);
                    return new Object[0];
                };
                case "call-export-catch" -> (caller, args) -> {
                    try {
                        callExport(caller, (Integer) args[0]);
                        return new Object[] {0};
                    } catch (RuntimeException e) {
                        if (DifferentialRun.causedBy(e, FuzzException.class)) return new Object[] {1};
                        throw e;
                    }
                };
                case "sleep" -> (caller, args) -> new Object[] {args[1]};
                default -> null;
            };
            if (function != null) imports.function(anImport.module(), name, type, function);
        }
        return imports.build();
    }

    private void callExport(Caller caller, int index) {
        List<Export> exports = module.exports();
        if (index < 0 || index >= exports.size()) throw new FuzzException("no export " + index);
        Export export = exports.get(index);
        if (export.kind() != ExternKind.FUNC) throw new FuzzException("export " + index + " is not a function");
        FuncType type = module.functionType(export.index());
        if (type.params().contains(ValType.V128) || type.params().contains(ValType.I64)
                || type.results().contains(ValType.V128)) {
            throw new FuzzException("export " + index + " cannot be called from JavaScript: " + type);
        }
        caller.instance().call(export.name(), DifferentialRun.zeros(type.params()));
    }

    /** The values logged since the last call, and forgets them. */
    List<FuzzingSupport.Logged> drain() {
        List<FuzzingSupport.Logged> copy = List.copyOf(logged);
        logged.clear();
        return copy;
    }
}
