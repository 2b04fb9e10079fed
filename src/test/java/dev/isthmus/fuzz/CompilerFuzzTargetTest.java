package dev.isthmus.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.CompiledModule;
import dev.isthmus.HostException;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.UninstantiableException;
import dev.isthmus.UnlinkableException;
import dev.isthmus.UnsupportedFeatureException;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.ModuleRejection;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.Tier;
import dev.isthmus.validate.Validator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The compiler on valid modules (Jazzer target, see {@code dev.isthmus.fuzz.jazzer}). The input is a module's bytes;
 * those that decode and validate are compiled by both tiers, instantiated with the binaryen fuzzing-support host
 * ({@link BinaryenHost}: the seeds are binaryen's fuzz modules, whose exports call each other and log), and every
 * exported function is called in order with zero arguments under a 100 ms call timeout.
 * <ul>
 *   <li>Only documented exceptions may escape: {@link UnsupportedFeatureException} from compiling,
 *       {@link UnlinkableException} / {@link UninstantiableException} from instantiating, {@link dev.isthmus.WasmTrap}
 *       and {@link HostException} (or a wasm exception, {@code WasmThrow}, the host's own included) from calls.</li>
 *   <li>The two tiers must agree (results, trap kinds, logged values; NaNs compare equal), up to the first call
 *       where either was interrupted by the timeout or exhausted the call stack (frame sizes differ between tiers,
 *       so the depth reached and the side effects on the way may differ).</li>
 * </ul>
 * A JVM death is caught by the fuzzer (libFuzzer reports the input that killed the process).
 */
class CompilerFuzzTargetTest {
    private static final Duration TIMEOUT = Duration.ofMillis(100);
    private static final Isthmus BASELINE = Isthmus.builder().tier(Tier.BASELINE).callTimeout(TIMEOUT).build();
    private static final Isthmus OPTIMIZING = Isthmus.builder().tier(Tier.OPTIMIZING).callTimeout(TIMEOUT).build();
    private static final int MAX_CALLS = 32;

    @FuzzTest
    void compileAndRun(byte[] bytes) {
        WasmModule module;
        try {
            module = ModuleDecoder.decode(bytes);
            Validator.validate(module);
        } catch (ModuleRejection e) {
            return; // the front end's side is DecoderFuzzTargetTest's job
        }
        List<String> baseline = run(BASELINE, module);
        List<String> optimizing = run(OPTIMIZING, module);
        if (baseline == null || optimizing == null) return; // declined (unsupported feature)
        int n = Math.min(baseline.size(), optimizing.size());
        for (int i = 0; i < n; i++) {
            String b = baseline.get(i), o = optimizing.get(i);
            if (isUnstable(b) || isUnstable(o)) return;
            if (!b.equals(o)) {
                throw new AssertionError("tiers disagree at event " + i + ":\n  baseline:   " + b
                        + "\n  optimizing: " + o + "\n  baseline log:   " + baseline + "\n  optimizing log: " + optimizing);
            }
        }
        if (baseline.size() != optimizing.size()) {
            throw new AssertionError("tiers disagree on the number of events:\n  baseline:   " + baseline
                    + "\n  optimizing: " + optimizing);
        }
    }

    /** Events after which the two tiers may legitimately differ. */
    private static boolean isUnstable(String event) {
        return event.contains(TrapKind.INTERRUPTED.name()) || event.contains(TrapKind.CALL_STACK_EXHAUSTED.name());
    }

    /** The events of one run: instantiation outcome, then per export call its logs and outcome; null if declined. */
    private static List<String> run(Isthmus engine, WasmModule module) {
        CompiledModule compiled;
        try {
            compiled = engine.compile(module);
        } catch (UnsupportedFeatureException documented) {
            return null;
        }
        List<String> events = new ArrayList<>();
        BinaryenHost host = new BinaryenHost(module);
        try {
            Instance instance;
            try {
                instance = compiled.instantiate(host.imports());
            } catch (UnlinkableException documented) {
                events.add("unlinkable");
                return events;
            } catch (UninstantiableException documented) {
                events.add(logs(host) + "uninstantiable " + (documented.trap() == null ? documented.getMessage() : documented.trap().kind().name()));
                return events;
            }
            host.instantiated();
            try (instance) {
                events.add(logs(host) + "instantiated");
                int calls = 0;
                for (Export export : module.exports()) {
                    if (export.kind() != ExternKind.FUNC || calls++ >= MAX_CALLS) continue;
                    FuncType type = module.functionType(export.index());
                    String outcome;
                    try {
                        Object[] results = instance.call(export.name(), DifferentialRun.zeros(type.params()));
                        outcome = "returned " + describe(results);
                    } catch (dev.isthmus.WasmTrap documented) {
                        outcome = "trap " + documented.kind().name();
                    } catch (HostException documented) {
                        outcome = "host exception " + documented.getCause();
                    } catch (dev.isthmus.WasmThrow documented) {
                        outcome = "wasm exception " + documented.tag().type();
                    }
                    events.add(export.name() + ": " + logs(host) + outcome);
                    if (isUnstable(outcome)) break;
                }
            }
        } finally {
            compiled.close();
        }
        return events;
    }

    private static String logs(BinaryenHost host) {
        StringBuilder b = new StringBuilder();
        for (FuzzingSupport.Logged l : host.drain()) b.append("log ").append(value(l.value())).append("; ");
        return b.toString();
    }

    private static String describe(Object[] results) {
        StringBuilder b = new StringBuilder("[");
        for (Object r : results) b.append(value(r)).append(' ');
        return b.append(']').toString();
    }

    /** A value as compared between tiers: NaNs all alike (as Float/Double.equals), references only null or not. */
    private static String value(Object v) {
        return switch (v) {
            case null -> "null";
            case Float f -> f.isNaN() ? "nan:f32" : Integer.toHexString(Float.floatToRawIntBits(f));
            case Double d -> d.isNaN() ? "nan:f64" : Long.toHexString(Double.doubleToRawLongBits(d));
            case Integer i -> Integer.toString(i);
            case Long l -> l + "L";
            case dev.isthmus.V128 x -> x.toString();
            case byte[] a -> Arrays.toString(a);
            default -> Objects.requireNonNull(v).getClass().getSimpleName();
        };
    }
}
