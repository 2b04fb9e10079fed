package dev.isthmus.fuzz;

import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.UninstantiableException;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.WasmThrow;
import dev.isthmus.WasmTrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one corpus module on Isthmus the way binaryen's {@code --fuzz-exec} runs it, and lists every difference from
 * the reference output:
 * <ol>
 *   <li>instantiate with the {@link FuzzingSupport} imports (a trap here must match a trap before any call);</li>
 *   <li>for each function export in export order: call {@code hangLimitInitializer} (if exported) to reset the
 *       fuel that bounds loops and recursion, then call the export with zeros for every parameter;</li>
 *   <li>compare the values logged during the call, whether it trapped, and its results.</li>
 * </ol>
 * Trap messages are not compared (binaryen words them its own way); that a trap happened, and where, is.
 */
final class DifferentialRun {
    private static final String HANG_LIMIT_INITIALIZER = "hangLimitInitializer";

    private final Isthmus engine;

    DifferentialRun(Isthmus engine) {
        this.engine = engine;
    }

    /** The differences between Isthmus and the reference for {@code entry}; empty when they agree. */
    List<String> differences(FuzzCorpus.Entry entry) {
        return differences(entry, null);
    }

    /**
     * The differences between Isthmus and the reference for {@code entry}; empty when they agree. When {@code trace}
     * is not null, one line per observable event is added to it (instantiation, each export's logs and outcome:
     * results, trap with its message, or exception), NaNs canonicalized: two engine configurations behave the same
     * when their traces are equal ({@link VariantMatrix}).
     */
    List<String> differences(FuzzCorpus.Entry entry, List<String> trace) {
        List<String> sink = trace != null ? trace : new ArrayList<>();
        WasmModule decoded = ModuleDecoder.decode(entry.wasm());
        ExpectedRun expected = entry.expectedRun();
        if (entry.expected().contains("[fuzz-exec] export ")) {
            return differencesFromBinaryen132(entry, decoded, expected, sink);
        }
        FuzzingSupport host = new FuzzingSupport();
        Imports.Builder imports = Imports.builder();
        for (Map.Entry<String, java.lang.invoke.MethodHandle> function : host.functions().entrySet()) {
            if (decoded.imports().stream().anyMatch(i -> i.name().equals(function.getKey()))) {
                imports.function(FuzzingSupport.MODULE, function.getKey(), function.getValue());
            }
        }
        List<String> verdict = new ArrayList<>();
        Instance instance = instantiate(entry, imports.build(), expected, sink, verdict);
        if (instance == null) return verdict;
        try (instance) {
            List<String> differences = new ArrayList<>();
            List<Export> exports = decoded.exports().stream().filter(e -> e.kind() == ExternKind.FUNC).toList();
            if (exports.size() != expected.calls().size()) {
                differences.add("the reference called " + expected.calls().size() + " exports, the module has "
                        + exports.size());
                return differences;
            }
            boolean hasHangLimit = exports.stream().anyMatch(e -> e.name().equals(HANG_LIMIT_INITIALIZER));
            for (int i = 0; i < exports.size(); i++) {
                Export export = exports.get(i);
                ExpectedRun.Call call = expected.calls().get(i);
                if (hasHangLimit) {
                    instance.call(HANG_LIMIT_INITIALIZER);
                }
                FuncType type = decoded.functionType(export.index());
                Object[] results = null;
                WasmTrap trap = null;
                try {
                    results = instance.call(export.name(), zeros(type.params()));
                } catch (WasmTrap t) {
                    trap = t;
                }
                List<FuzzingSupport.Logged> logs = host.drain();
                sink.add(observation(export.name(), logs, type, results, trap, false));
                compare(export.name(), type, call, logs, results, trap, false, differences);
                if (differences.size() > 10) {
                    break;
                }
            }
            return differences;
        }
    }

    /**
     * binaryen 132's way ({@link BinaryenHost}): every export in export order, a global by its value, a function
     * with zero arguments (no hang-limit initializer: 132 bounds loops by itself), whose call may also end in an
     * exception from {@code call-export}.
     */
    private List<String> differencesFromBinaryen132(FuzzCorpus.Entry entry, WasmModule decoded,
                                                     ExpectedRun expected, List<String> trace) {
        BinaryenHost host = new BinaryenHost(decoded);
        List<String> verdict = new ArrayList<>();
        Instance instance = instantiate(entry, host.imports(), expected, trace, verdict);
        if (instance == null) return verdict;
        host.instantiated();
        try (instance) {
            List<String> differences = new ArrayList<>();
            List<FuzzingSupport.Logged> started = host.drain();
            trace.add(observation("start", started, null, new Object[0], null, false));
            if (started.size() != expected.instantiationLogs().size() || !allMatch(started,
                    expected.instantiationLogs())) {
                return List.of("the start function logged " + started + ", the reference "
                        + expected.instantiationLogs());
            }
            List<Export> exports = decoded.exports().stream()
                    .filter(e -> e.kind() == ExternKind.FUNC || e.kind() == ExternKind.GLOBAL).toList();
            if (exports.size() != expected.calls().size()) {
                return List.of("the reference ran " + expected.calls().size() + " exports, the module has "
                        + exports.size());
            }
            for (int i = 0; i < exports.size() && differences.size() <= 10; i++) {
                Export export = exports.get(i);
                ExpectedRun.Call call = expected.calls().get(i);
                if (!call.export().equals(export.name())) {
                    return List.of("export #" + i + " is " + export.name() + ", the reference ran " + call.export());
                }
                if (export.kind() == ExternKind.GLOBAL) {
                    ValType type = decoded.globalType(export.index()).type();
                    Object value = instance.global(export.name()).get();
                    trace.add(export.name() + ": global " + canonical(type, value));
                    boolean same = call.logs().size() == 1 && (type == ValType.I64
                            ? BinaryenValues.matches(type, String.join(" ", call.logs().get(0)), value)
                            : logMatches(new FuzzingSupport.Logged(type, value), call.logs().get(0)));
                    if (!same) {
                        differences.add(export.name() + ": global is " + BinaryenValues.describe(type, value)
                                + ", the reference logged " + call.logs());
                    }
                    continue;
                }
                FuncType type = decoded.functionType(export.index());
                Object[] results = null;
                WasmTrap trap = null;
                List<String> thrown = null;
                try {
                    results = instance.call(export.name(), zeros(type.params()));
                } catch (WasmTrap t) {
                    trap = t;
                } catch (WasmThrow e) {
                    thrown = BinaryenHost.describe(e, instance, decoded);
                }
                List<FuzzingSupport.Logged> logs = host.drain();
                trace.add(observation(export.name(), logs, type, results, trap, thrown != null)
                        + (thrown != null ? " " + String.join(" ", thrown) : ""));
                int before = differences.size();
                compare(export.name(), type, call, logs, results, trap, thrown != null, differences);
                if (thrown != null && call.threw() && differences.size() == before
                        && !exceptionMatches(thrown, call.exception())) {
                    differences.add(export.name() + ": threw " + String.join(" ", thrown) + ", the reference "
                            + call.exception());
                }
            }
            return differences;
        }
    }

    /**
     * Whether an exception Isthmus described ({@link BinaryenHost#describe}) is the one the reference printed: the
     * same tag name and payload count, numbers equal ({@link BinaryenValues#matches}), references null alike.
     */
    private static boolean exceptionMatches(List<String> thrown, String expected) {
        String[] tokens = expected.strip().split(" ");
        if (tokens.length != thrown.size() || !tokens[0].equals(thrown.get(0))) return false;
        for (int i = 1; i < tokens.length; i++) {
            String mine = thrown.get(i);
            if (mine.equals("null") || mine.equals("ref")) {
                if (mine.equals("null") != tokens[i].equals("null")) return false;
            } else if (!mine.equals(tokens[i]) && !numbersMatch(mine, tokens[i])) {
                return false;
            }
        }
        return true;
    }

    /** Two printed numbers that are the same value (e.g. a float printed with another number of digits). */
    private static boolean numbersMatch(String a, String b) {
        try {
            return Double.parseDouble(a) == Double.parseDouble(b)
                    || Double.isNaN(Double.parseDouble(a)) && Double.isNaN(Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** One trace line: what a call logged and how it ended. */
    private static String observation(String export, List<FuzzingSupport.Logged> logs, FuncType type,
                                      Object[] results, WasmTrap trap, boolean threw) {
        StringBuilder line = new StringBuilder(export).append(": logs [");
        for (int i = 0; i < logs.size(); i++) {
            line.append(i == 0 ? "" : ", ").append(logs.get(i).type()).append(' ')
                    .append(canonical(logs.get(i).type(), logs.get(i).value()));
        }
        line.append("] ");
        if (threw) {
            return line.append("threw").toString();
        }
        if (trap != null) {
            return line.append("trapped: ").append(trap.getMessage()).toString();
        }
        line.append("returned [");
        for (int r = 0; r < results.length; r++) {
            line.append(r == 0 ? "" : ", ").append(canonical(type.results().get(r), results[r]));
        }
        return line.append(']').toString();
    }

    /** {@link BinaryenValues#describe}, with every NaN written "nan" (the spec leaves NaN payloads open). */
    private static String canonical(ValType type, Object value) {
        if (value instanceof Float f && f.isNaN() || value instanceof Double d && d.isNaN()) {
            return "nan";
        }
        return BinaryenValues.describe(type, value);
    }

    private static boolean allMatch(List<FuzzingSupport.Logged> logs, List<List<String>> tokens) {
        for (int i = 0; i < logs.size(); i++) if (!logMatches(logs.get(i), tokens.get(i))) return false;
        return true;
    }

    /**
     * Compiles and instantiates the module; null when there is nothing to run: instantiation trapped (recorded in
     * {@code trace}), or it and the reference disagree on whether it traps ({@code verdict} then says how).
     */
    private Instance instantiate(FuzzCorpus.Entry entry, Imports imports, ExpectedRun expected, List<String> trace,
                                 List<String> verdict) {
        Instance instance;
        try {
            instance = engine.compile(entry.wasm()).instantiate(imports);
        } catch (WasmTrap | UninstantiableException e) {
            trace.add("instantiation trapped: " + e.getMessage());
            if (expected.instantiationTrap() == null) {
                verdict.add("instantiation trapped (" + e.getMessage() + "), the reference did not");
            }
            return null;
        }
        if (expected.instantiationTrap() != null) {
            instance.close();
            verdict.add("instantiation succeeded, the reference trapped: " + expected.instantiationTrap());
            return null;
        }
        return instance;
    }

    /** Whether {@code e} or one of its causes is a {@code type}. */
    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    private static void compare(String export, FuncType type, ExpectedRun.Call call, List<FuzzingSupport.Logged> logs,
                                Object[] results, WasmTrap trap, boolean threw, List<String> differences) {
        String where = export + ": ";
        int shared = Math.min(logs.size(), call.logs().size());
        for (int i = 0; i < shared; i++) {
            FuzzingSupport.Logged logged = logs.get(i);
            List<String> tokens = call.logs().get(i);
            if (!logMatches(logged, tokens)) {
                differences.add(where + "log #" + i + " is " + logged.type() + " "
                        + BinaryenValues.describe(logged.type(), logged.value()) + ", the reference logged " + tokens);
                return;
            }
        }
        if (logs.size() != call.logs().size()) {
            differences.add(where + logs.size() + " log calls, the reference made " + call.logs().size()
                    + (trap != null ? " (Isthmus trapped: " + trap.getMessage() + ")" : "")
                    + (call.trapped() ? " (the reference trapped: " + call.trap() + ")" : ""));
            return;
        }
        if (call.threw() != threw) {
            differences.add(where + (threw ? "threw an exception, the reference did not"
                    : "did not throw, the reference threw: " + call.exception()));
            return;
        }
        if (threw) {
            return;
        }
        if (call.trapped() != (trap != null)) {
            differences.add(where + (trap != null ? "trapped (" + trap.getMessage() + "), the reference returned "
                    + call.results() : "returned, the reference trapped: " + call.trap()));
            return;
        }
        if (trap != null) {
            return;
        }
        if (results.length != call.results().size()) {
            differences.add(where + results.length + " results, the reference " + call.results());
            return;
        }
        for (int r = 0; r < results.length; r++) {
            ValType resultType = type.results().get(r);
            if (!BinaryenValues.matches(resultType, call.results().get(r), results[r])) {
                differences.add(where + "result #" + r + " is " + BinaryenValues.describe(resultType, results[r])
                        + ", the reference " + call.results().get(r));
            }
        }
    }

    private static boolean logMatches(FuzzingSupport.Logged logged, List<String> tokens) {
        if (logged.type() == ValType.I64) {
            long value = (Long) logged.value();
            return tokens.size() == 2 && BinaryenValues.matchesI32(tokens.get(0), (int) value)
                    && BinaryenValues.matchesI32(tokens.get(1), (int) (value >>> 32));
        }
        if (logged.type() == ValType.V128) {
            return BinaryenValues.matches(ValType.V128, String.join(" ", tokens), logged.value());
        }
        return tokens.size() == 1 && BinaryenValues.matches(logged.type(), tokens.get(0), logged.value());
    }

    static Object[] zeros(List<ValType> params) {
        Object[] args = new Object[params.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (params.get(i).kind()) {
                case I32 -> 0;
                case I64 -> 0L;
                case F32 -> 0.0f;
                case F64 -> 0.0;
                case V128 -> BinaryenValues.zeroV128();
                default -> null;
            };
        }
        return args;
    }
}
