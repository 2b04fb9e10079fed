package dev.isthmus.fuzz;

import dev.isthmus.Caller;
import dev.isthmus.FunctionRef;
import dev.isthmus.FunctionRefCalls;
import dev.isthmus.Global;
import dev.isthmus.HostFunction;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Table;
import dev.isthmus.Tag;
import dev.isthmus.WasmThrow;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.GlobalType;
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
 *   <li>{@code sleep (ms, id) -> i32}: returns id at once;</li>
 *   <li>{@code call-ref (funcref, flags)}, {@code call-ref-catch (funcref) -> i32}: as {@code call-export} and
 *       {@code call-export-catch}, for the function the reference names (a null reference throws);</li>
 *   <li>{@code table-get (index) -> funcref}, {@code table-set (index, funcref)}: read and write the table exported
 *       as {@code "table"}; no such table, or an index at or beyond its size, throws;</li>
 *   <li>{@code throw (n)}: throws a JavaScript error when n is 0, else a wasm exception of the host's wasm tag with
 *       payload n;</li>
 *   <li>tags {@code wasmtag} (param i32) and {@code jstag} (param externref): the host's two tags, which a module may
 *       import to catch them by tag.</li>
 * </ul>
 * While the start function runs the exports do not exist yet: {@code call-export} and {@code table-get}/{@code set}
 * throw then ({@code call-ref} works). "Throws" above means a JavaScript error: an exception of {@link #JS_TAG} whose payload is the {@code externref}
 * {@link JsError}, which wasm catches with {@code catch_all} (or by the imported {@code jstag}), and which
 * {@code call-export-catch} and {@code call-ref-catch} catch like any wasm exception coming out of the call. The
 * interpreter prints an uncaught one as {@code [exception thrown: imported-js-tag jserror]}, one of the wasm tag as
 * {@code imported-wasm-tag N}, one of the module's own tag k as {@code tag$k} and the payload ({@link #describe}).
 * An immutable {@code externref} global imported from any other module (the generator imports
 * {@code "__fuzz_import" "extern$"}) is an {@link Extern} whose payload is the sum of the characters of the module
 * and field names, modulo 251, printed {@code externref(N)}: the interpreter's synthesized globals.
 */
final class BinaryenHost {
    /** Every import name this host implements. */
    static final Set<String> IMPORT_NAMES = Set.of("log-i32", "log-i64", "log-f32", "log-f64", "log-v128",
            "call-export", "call-export-catch", "sleep", "call-ref", "call-ref-catch", "table-get", "table-set",
            "throw", "wasmtag", "jstag");

    /** The tag of the wasm exceptions {@code throw (n)} throws for n ≠ 0 (imported as {@code wasmtag}). */
    static final Tag WASM_TAG = new Tag(FuncType.of(List.of(ValType.I32), List.of()));
    /** The tag of JavaScript errors (imported as {@code jstag}): what the host throws when a call fails. */
    static final Tag JS_TAG = new Tag(FuncType.of(List.of(ValType.EXTERNREF), List.of()));

    /** The payload of a JavaScript error (an {@code externref}). */
    record JsError() {
        @Override
        public String toString() {
            return "jserror";
        }
    }

    private static final JsError JS_ERROR = new JsError();

    /** A JavaScript error thrown by the host (why: for the reader of this code; the interpreter prints none). */
    static WasmThrow jsError(String why) {
        return new WasmThrow(JS_TAG, JS_ERROR);
    }

    /**
     * How the interpreter names the tag of {@code thrown} and prints its payload, as tokens: the host's tags
     * {@code imported-wasm-tag} and {@code imported-js-tag}, a tag the module defines {@code tag$K} (K its index
     * among the defined tags), then one token per payload value ({@link BinaryenValues#describe} for numbers;
     * references are only told apart as null or not: {@code null} / {@code ref}).
     */
    static List<String> describe(WasmThrow thrown, Instance instance, WasmModule module) {
        List<String> tokens = new ArrayList<>();
        Tag tag = thrown.tag();
        if (tag.equals(WASM_TAG)) {
            tokens.add("imported-wasm-tag");
        } else if (tag.equals(JS_TAG)) {
            tokens.add("imported-js-tag");
        } else {
            int index = dev.isthmus.InstanceTags.indexOf(instance, tag);
            int imported = module.tagCount() - module.tags().size();
            tokens.add(index < imported ? "tag-import-" + index : "tag$" + (index - imported));
        }
        List<ValType> types = tag.type().params();
        Object[] payload = thrown.payload();
        for (int i = 0; i < payload.length; i++) {
            ValType type = types.get(i);
            if (type.isReference()) tokens.add(payload[i] == null ? "null" : "ref");
            else tokens.add(BinaryenValues.describe(type, payload[i]));
        }
        return tokens;
    }

    /** A host reference of the reference interpreter (an {@code externref} value): its payload identifies it. */
    record Extern(int payload) {
        @Override
        public String toString() {
            return "externref(" + payload + ")";
        }

        /** The interpreter's payload for a synthesized global import {@code module.name}. */
        static Extern forImport(String module, String name) {
            int payload = 0;
            for (char c : (module + name).toCharArray()) payload = (payload + c) % 251;
            return new Extern(payload);
        }
    }

    private final WasmModule module;
    private final List<FuzzingSupport.Logged> logged = new ArrayList<>();
    /** Whether instantiation has finished: before, the exports are not reachable (the start function runs). */
    private boolean instantiated;

    /** Instantiation has finished: {@code call-export}, {@code table-get} and {@code table-set} work from now on. */
    void instantiated() {
        instantiated = true;
    }

    BinaryenHost(WasmModule module) {
        this.module = module;
    }

    /**
     * Whether {@code type} is a signature the implementation of fuzzing-support function {@code name} can serve
     * (binaryen's own: the logs take one value; call-export and call-export-catch an i32 export index first, the
     * catching one returns i32; sleep (ms, id) returns id; call-ref(-catch) take a function reference; table-get
     * takes an i32 and returns a reference, table-set an i32 and a reference).
     */
    static boolean fits(String name, FuncType type) {
        List<ValType> p = type.params(), r = type.results();
        return switch (name) {
            case "log-i32", "log-i64", "log-f32", "log-f64", "log-v128" -> p.size() == 1 && r.isEmpty()
                    && p.get(0).kind() == switch (name) {
                        case "log-i32" -> ValType.Kind.I32;
                        case "log-i64" -> ValType.Kind.I64;
                        case "log-f32" -> ValType.Kind.F32;
                        case "log-f64" -> ValType.Kind.F64;
                        default -> ValType.Kind.V128;
                    };
            case "call-export" -> !p.isEmpty() && p.get(0).kind() == ValType.Kind.I32 && r.isEmpty();
            case "call-export-catch" -> !p.isEmpty() && p.get(0).kind() == ValType.Kind.I32
                    && r.equals(List.of(ValType.I32));
            case "sleep" -> p.size() == 2 && p.get(1).kind() == ValType.Kind.I32 && r.equals(List.of(ValType.I32));
            case "throw" -> p.size() == 1 && p.get(0).kind() == ValType.Kind.I32 && r.isEmpty();
            case "call-ref" -> !p.isEmpty() && p.get(0).kind() == ValType.Kind.FUNCREF && r.isEmpty();
            case "call-ref-catch" -> !p.isEmpty() && p.get(0).kind() == ValType.Kind.FUNCREF
                    && r.equals(List.of(ValType.I32));
            case "table-get" -> p.size() == 1 && p.get(0).kind() == ValType.Kind.I32 && r.size() == 1
                    && r.get(0).isReference();
            case "table-set" -> p.size() == 2 && p.get(0).kind() == ValType.Kind.I32 && p.get(1).isReference()
                    && r.isEmpty();
            default -> true;
        };
    }

    /** The imports the module asks for. */
    Imports imports() {
        Imports.Builder imports = Imports.builder();
        for (Import anImport : module.imports()) {
            if (anImport.desc() instanceof ImportDesc.Global(GlobalType g) && !g.mutable()
                    && g.type().kind() == ValType.Kind.EXTERNREF
                    && !anImport.module().equals(FuzzingSupport.MODULE)) {
                imports.global(anImport.module(), anImport.name(), Global.create(g.type(), false,
                        Extern.forImport(anImport.module(), anImport.name())));
                continue;
            }
            if (anImport.desc() instanceof ImportDesc.Tag && anImport.module().equals(FuzzingSupport.MODULE)) {
                switch (anImport.name()) {
                    case "wasmtag" -> imports.tag(anImport.module(), anImport.name(), WASM_TAG);
                    case "jstag" -> imports.tag(anImport.module(), anImport.name(), JS_TAG);
                    default -> { }
                }
                continue;
            }
            if (!(anImport.desc() instanceof ImportDesc.Func f) || !anImport.module().equals(FuzzingSupport.MODULE)) {
                continue;
            }
            FuncType type = module.types().get(f.typeIndex());
            String name = anImport.name();
            // a module that declares the function with another signature (a mutated module) gets no function:
            // instantiation fails as unlinkable, as it would without this host
            if (!fits(name, type)) continue;
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
                    } catch (WasmThrow e) {
                        return new Object[] {1};
                    }
                };
                case "throw" -> (caller, args) -> {
                    int n = (Integer) args[0];
                    throw n == 0 ? jsError("throw(0)") : new WasmThrow(WASM_TAG, n);
                };
                case "sleep" -> (caller, args) -> new Object[] {args[1]};
                case "call-ref" -> (caller, args) -> {
                    callRef(caller, (FunctionRef) args[0]);
                    return new Object[0];
                };
                case "call-ref-catch" -> (caller, args) -> {
                    try {
                        callRef(caller, (FunctionRef) args[0]);
                        return new Object[] {0};
                    } catch (WasmThrow e) {
                        return new Object[] {1};
                    }
                };
                case "table-get" -> (caller, args) -> {
                    Table table = exportedTable(caller);
                    return new Object[] {table.get(tableIndex(table, (Integer) args[0]))};
                };
                case "table-set" -> (caller, args) -> {
                    Table table = exportedTable(caller);
                    table.set(tableIndex(table, (Integer) args[0]), args[1]);
                    return new Object[0];
                };
                default -> null;
            };
            if (function != null) imports.function(anImport.module(), name, type, function);
        }
        return imports.build();
    }

    private void callExport(Caller caller, int index) {
        if (!instantiated) throw jsError("the exports do not exist while the start function runs");
        List<Export> exports = module.exports();
        if (index < 0 || index >= exports.size()) throw jsError("no export " + index);
        Export export = exports.get(index);
        if (export.kind() != ExternKind.FUNC) throw jsError("export " + index + " is not a function");
        FuncType type = module.functionType(export.index());
        requireCallableFromJavaScript(type, "export " + index);
        caller.instance().call(export.name(), DifferentialRun.zeros(type.params()));
    }

    /** {@code call-ref}: the function {@code ref} names, called as JavaScript would (null throws). */
    private static void callRef(Caller caller, FunctionRef ref) {
        if (ref == null) throw jsError("call-ref of a null reference");
        Instance instance = caller.instance();
        int index = FunctionRefCalls.functionIndex(instance, ref);
        if (index < 0) throw new IllegalStateException("call-ref: " + ref + " is none of the instance's functions");
        FuncType type = FunctionRefCalls.type(instance, index);
        requireCallableFromJavaScript(type, "function " + index);
        FunctionRefCalls.call(instance, index, DifferentialRun.zeros(type.params()));
    }

    /**
     * JavaScript's rules as the interpreter models them: an i64 parameter (the host passes 0, not a BigInt), a v128
     * or exception reference ({@code exnref}, {@code nullexnref}: no JavaScript value) parameter or result, or a
     * parameter without a default value (a non-nullable reference) throws before the call.
     */
    private static void requireCallableFromJavaScript(FuncType type, String what) {
        boolean callable = true;
        for (ValType result : type.results()) {
            if (result == ValType.V128 || result.kind() == ValType.Kind.EXNREF) callable = false;
        }
        for (ValType param : type.params()) {
            if (param == ValType.I64 || param == ValType.V128 || param.kind() == ValType.Kind.EXNREF
                    || param.isReference() && !param.nullable()) {
                callable = false;
            }
        }
        if (!callable) throw jsError(what + " cannot be called from JavaScript: " + type);
    }

    private Table exportedTable(Caller caller) {
        if (!instantiated) throw jsError("the exports do not exist while the start function runs");
        if (caller.instance().exportKinds().get("table") != ExternKind.TABLE) {
            throw jsError("no table exported as \"table\"");
        }
        return caller.instance().table("table");
    }

    private static long tableIndex(Table table, int index) {
        long unsigned = Integer.toUnsignedLong(index);
        if (unsigned >= table.size()) throw jsError("table index " + unsigned + " out of bounds");
        return unsigned;
    }

    /** The values logged since the last call, and forgets them. */
    List<FuzzingSupport.Logged> drain() {
        List<FuzzingSupport.Logged> copy = List.copyOf(logged);
        logged.clear();
        return copy;
    }
}
