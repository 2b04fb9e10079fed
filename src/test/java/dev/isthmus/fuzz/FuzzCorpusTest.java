package dev.isthmus.fuzz;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.Export;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.Import;
import dev.isthmus.model.ImportDesc;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.validate.Validator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks the differential corpus itself, without executing it: every module decodes and validates in the front end,
 * imports only what {@link FuzzingSupport} implements, and its expected output parses and agrees with the module
 * (calls in function-export order, result counts, one token per logged value — two for an i64).
 */
class FuzzCorpusTest {

    @Test
    void corpusHasAtLeast500Modules() {
        assertTrue(FuzzCorpus.entries().size() >= 500, "corpus size " + FuzzCorpus.entries().size());
    }

    @Test
    void everyModuleIsValidAndItsExpectedOutputAgreesWithIt() {
        List<String> problems = new ArrayList<>();
        for (FuzzCorpus.Entry entry : FuzzCorpus.entries()) {
            try {
                check(entry);
            } catch (RuntimeException | AssertionError e) {
                problems.add(entry.name() + ": " + e);
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " corpus problems, first: " + String.join("\n", problems.subList(0,
                    Math.min(10, problems.size()))));
        }
    }

    private static void check(FuzzCorpus.Entry entry) {
        WasmModule module = ModuleDecoder.decode(entry.wasm());
        Validator.validate(module);
        List<ValType> logTypes = new ArrayList<>();
        for (Import anImport : module.imports()) {
            assertEquals(FuzzingSupport.MODULE, anImport.module(), "import module");
            ValType parameter = FuzzingSupport.IMPORT_NAMES.get(anImport.name());
            assertTrue(parameter != null, "unknown import " + anImport.name());
            FuncType type = module.types().get(((ImportDesc.Func) anImport.desc()).typeIndex());
            assertEquals(FuncType.of(List.of(parameter), List.of()), type, anImport.name());
            logTypes.add(parameter);
        }
        ExpectedRun run = entry.expectedRun();
        List<Export> functionExports = module.exports().stream().filter(e -> e.kind() == ExternKind.FUNC).toList();
        if (run.instantiationTrap() != null) {
            assertTrue(run.calls().isEmpty(), "calls after an instantiation trap");
            return;
        }
        assertEquals(functionExports.stream().map(Export::name).toList(),
                run.calls().stream().map(ExpectedRun.Call::export).toList(), "calls in export order");
        for (int i = 0; i < functionExports.size(); i++) {
            ExpectedRun.Call call = run.calls().get(i);
            FuncType type = module.functionType(functionExports.get(i).index());
            if (!call.trapped()) {
                assertEquals(type.results().size(), call.results().size(), call.export() + " result count");
                for (int r = 0; r < type.results().size(); r++) {
                    assertTrue(parses(type.results().get(r), call.results().get(r)),
                            call.export() + " result " + call.results().get(r));
                }
            }
            for (List<String> log : call.logs()) {
                assertTrue(logTypes.stream().anyMatch(t -> log.size() == (t == ValType.I64 ? 2 : 1)),
                        call.export() + " log " + log);
            }
        }
    }

    /** Whether the token reads as some value of the type (compared against itself through the matcher's parser). */
    private static boolean parses(ValType type, String token) {
        return switch (type.kind()) {
            case I32 -> BinaryenValues.matches(type, token, new java.math.BigInteger(token).intValue());
            case I64 -> BinaryenValues.matches(type, token, new java.math.BigInteger(token).longValue());
            case F32, F64 -> token.contains("nan") || token.contains("inf")
                    || BinaryenValues.matches(ValType.F64, token, Double.parseDouble(token));
            default -> true;
        };
    }
}
