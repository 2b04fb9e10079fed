package dev.isthmus.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * What binaryen's reference interpreter observed when it ran a fuzz module ({@code wasm-opt --fuzz-exec-before}):
 * the exported functions it called, in export order, each with the values the module logged through
 * {@code fuzzing-support.log-*} during the call and how the call ended.
 *
 * <p>The printed form, one line per event (only lines starting with '[' are kept in the corpus):
 * <pre>
 *   [fuzz-exec] calling func_3                      a call starts (after hangLimitInitializer ran silently)
 *   [LoggingExternalInterface logging 163 0]        one log call; an i64 is printed as its low and high i32 halves
 *   [trap final &gt; memory: 4294967295 &gt; 65536]      the call trapped (binaryen's own wording)
 *   [fuzz-exec] note result: func_3 =&gt; 7            the call returned one value ...
 *   [fuzz-exec] note result: func_4 =&gt; (1, -0, 2.5) ... or several (multi-value)
 * </pre>
 * A trap line before the first call means instantiation trapped; log lines before it were made by the start
 * function.
 *
 * <p>binaryen 132 (the corpora of {@code scripts/fuzz/make-corpus-132.sh}) announces every export, functions and
 * globals alike, with {@code [fuzz-exec] export NAME}; a global's "call" is one log line with its value; a call can
 * end in {@code [exception thrown: ...]} (an exception from a {@code call-export} import that nothing caught); the
 * later values of a multi-value result follow on lines of their own, without '['.
 *
 * @param instantiationTrap the trap message printed before any call, or null
 * @param instantiationLogs the values logged while instantiating (by the start function)
 * @param calls the export calls in order
 */
record ExpectedRun(String instantiationTrap, List<List<String>> instantiationLogs, List<Call> calls) {

    /**
     * One export call: its export name, the logged values (one token list per log call) and its outcome (a trap, an
     * uncaught exception, or results).
     */
    record Call(String export, List<List<String>> logs, String trap, String exception, List<String> results) {
        Call(String export, List<List<String>> logs, String trap, List<String> results) {
            this(export, logs, trap, null, results);
        }

        boolean trapped() {
            return trap != null;
        }

        boolean threw() {
            return exception != null;
        }
    }

    private static final String CALLING = "[fuzz-exec] calling ";
    private static final String EXPORT = "[fuzz-exec] export ";
    private static final String EXCEPTION = "[exception thrown: ";
    private static final String RESULT = "[fuzz-exec] note result: ";
    private static final String LOGGING = "[LoggingExternalInterface logging";
    private static final String TRAP = "[trap ";

    /** Parses the interpreter's output; throws IllegalArgumentException on a line it does not understand. */
    static ExpectedRun parse(String text) {
        String instantiationTrap = null;
        List<List<String>> instantiationLogs = new ArrayList<>();
        List<Call> calls = new ArrayList<>();
        String export = null;
        List<List<String>> logs = null;
        String trap = null;
        String exception = null;
        List<String> results = List.of();
        boolean afterResult = false;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith("[")) {
                if (afterResult) {
                    List<String> more = new ArrayList<>(results);
                    more.add(line.strip());
                    results = List.copyOf(more);
                }
                continue;
            }
            afterResult = false;
            if (line.startsWith(CALLING) || line.startsWith(EXPORT)) {
                if (export != null) {
                    calls.add(new Call(export, List.copyOf(logs), trap, exception, results));
                }
                export = line.substring(line.startsWith(CALLING) ? CALLING.length() : EXPORT.length()).strip();
                logs = new ArrayList<>();
                trap = null;
                exception = null;
                results = List.of();
            } else if (line.startsWith(EXCEPTION)) {
                requireCall(export, line);
                exception = line.substring(EXCEPTION.length(), line.length() - 1);
            } else if (line.startsWith(LOGGING)) {
                String values = line.substring(LOGGING.length(), line.length() - 1).strip();
                (export == null ? instantiationLogs : logs).add(values.isEmpty() ? List.of()
                        : List.of(values.split(" ")));
            } else if (line.startsWith(TRAP)) {
                String message = line.substring(TRAP.length(), line.length() - 1);
                if (export == null) {
                    instantiationTrap = message;
                } else {
                    trap = message;
                }
            } else if (line.startsWith(RESULT)) {
                requireCall(export, line);
                String rest = line.substring(RESULT.length());
                String prefix = export + " => ";
                if (!rest.startsWith(prefix)) {
                    throw new IllegalArgumentException("result of another export: " + line);
                }
                results = splitValues(rest.substring(prefix.length()).strip());
                afterResult = true;
            } else if (!line.startsWith("[fuzz-exec] comparing")) {
                throw new IllegalArgumentException("unexpected line: " + line);
            }
        }
        if (export != null) {
            calls.add(new Call(export, List.copyOf(logs), trap, exception, results));
        }
        return new ExpectedRun(instantiationTrap, List.copyOf(instantiationLogs), List.copyOf(calls));
    }

    private static List<String> splitValues(String printed) {
        if (printed.startsWith("(") && printed.endsWith(")")) {
            List<String> values = new ArrayList<>();
            for (String value : printed.substring(1, printed.length() - 1).split(",")) {
                values.add(value.strip());
            }
            return List.copyOf(values);
        }
        return List.of(printed);
    }

    private static void requireCall(String export, String line) {
        if (export == null) {
            throw new IllegalArgumentException("event outside a call: " + line);
        }
    }
}
