package dev.isthmus.fuzz;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.UninstantiableException;
import dev.isthmus.WasmTrap;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuel metering on the Wasm 2.0 differential corpus ({@code src/test/resources/fuzz/wasm2-corpus}, see
 * {@link Wasm2DifferentialTest}): with fuel on and a budget no module exhausts, every module still agrees with
 * binaryen's reference interpreter (so metering changes no result), at both tiers; and the two tiers consume exactly
 * the same fuel, export by export.
 */
class FuelDifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("wasm2-corpus");
    private static final long BUDGET = 1L << 60;

    private static Isthmus engine(Tier tier) {
        return Isthmus.builder().compilerOptions(CompilerOptions.DEFAULT.withTier(tier)).consumeFuel(true)
                .initialFuel(BUDGET).build();
    }

    @TestFactory
    Stream<DynamicTest> optimizingWithFuelAgreesWithTheReference() {
        DifferentialRun run = new DifferentialRun(engine(Tier.OPTIMIZING));
        return CORPUS.stream().map(entry -> DynamicTest.dynamicTest(entry.name(),
                () -> DifferentialTest.check(run, entry)));
    }

    @TestFactory
    Stream<DynamicTest> baselineWithFuelAgreesWithTheReference() {
        DifferentialRun run = new DifferentialRun(engine(Tier.BASELINE));
        return CORPUS.stream().map(entry -> DynamicTest.dynamicTest(entry.name(),
                () -> DifferentialTest.check(run, entry)));
    }

    @TestFactory
    Stream<DynamicTest> bothTiersConsumeTheSameFuel() {
        Isthmus optimizing = engine(Tier.OPTIMIZING);
        Isthmus baseline = engine(Tier.BASELINE);
        return CORPUS.stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            long failed = OptimizingCompiler.statistics()[2];
            List<String> fast = consumption(optimizing, entry);
            assertEquals(failed, OptimizingCompiler.statistics()[2], "the optimizing tier failed on fuel code");
            assertEquals(consumption(baseline, entry), fast);
        }));
    }

    /** Instantiates and calls every function export as binaryen 132's run does; one line per step with the fuel. */
    private static List<String> consumption(Isthmus engine, FuzzCorpus.Entry entry) {
        WasmModule decoded = ModuleDecoder.decode(entry.wasm());
        BinaryenHost host = new BinaryenHost(decoded);
        List<String> steps = new ArrayList<>();
        Instance instance;
        try {
            instance = engine.compile(entry.wasm()).instantiate(host.imports());
        } catch (WasmTrap | UninstantiableException e) {
            steps.add("instantiation trapped: " + e.getMessage());
            return steps;
        }
        host.instantiated();
        try (instance) {
            steps.add("start: " + (BUDGET - instance.fuel()));
            for (Export export : decoded.exports()) {
                if (export.kind() != ExternKind.FUNC) continue;
                String outcome;
                try {
                    Object[] results = instance.call(export.name(),
                            DifferentialRun.zeros(decoded.functionType(export.index()).params()));
                    outcome = "returned " + results.length;
                } catch (WasmTrap t) {
                    outcome = "trapped " + t.kind();
                } catch (dev.isthmus.WasmThrow e) {
                    outcome = "threw";
                }
                steps.add(export.name() + ": " + outcome + ", consumed " + (BUDGET - instance.fuel()));
            }
        }
        return steps;
    }
}
