package dev.isthmus.fuzz;

import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.Import;
import dev.isthmus.model.WasmModule;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exception-handling corpus of binaryen 132 ({@code src/test/resources/fuzz/eh-corpus}, profile eh of
 * {@code scripts/fuzz/profiles.tsv}: Wasm 2.0 + reference types + extended-const + exception handling, no GC, with
 * the initial content {@code scripts/fuzz/initial/eh.wat}) against binaryen's reference interpreter, through
 * {@link BinaryenHost}'s {@code throw}, its tags {@code wasmtag} and {@code jstag}, and its JavaScript errors
 * (exceptions wasm's {@code catch_all} catches): both tiers, and the optimizing tier with explicit bounds checks
 * (which leaves functions with exception-handling instructions to the baseline until it compiles them). Both forms
 * are in it: try_table with every clause kind, throw_ref and exnref values from the generator, the legacy try with
 * catch and catch_all from the generator, rethrow and delegate from the initial content (the generator makes
 * neither).
 */
class ExceptionHandlingCorpusTest extends CorpusDifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("eh-corpus");

    @Test
    void corpusHasOverAHundredModulesWithBothFormsOfExceptionHandling() {
        assertTrue(CORPUS.size() >= 100, "eh corpus size " + CORPUS.size());
        Set<String> imported = new TreeSet<>();
        Set<Opcode> used = EnumSet.noneOf(Opcode.class);
        int uncaught = 0;
        for (FuzzCorpus.Entry entry : CORPUS) {
            WasmModule module = ModuleDecoder.decode(entry.wasm());
            for (Import anImport : module.imports()) imported.add(anImport.module() + "." + anImport.name());
            for (FunctionBody body : module.codes()) {
                byte[] code = body.codeUnsafe();
                InstructionReader r = new InstructionReader(new ByteReader(code, 0, code.length, body.codeOffset(),
                        "unexpected end"));
                while (!r.atEnd()) used.add(r.next());
            }
            if (entry.expected().contains("[exception thrown: ")) uncaught++;
        }
        assertTrue(used.containsAll(EnumSet.of(Opcode.TRY_TABLE, Opcode.THROW, Opcode.THROW_REF, Opcode.TRY,
                Opcode.CATCH, Opcode.CATCH_ALL, Opcode.RETHROW, Opcode.DELEGATE)), used.toString());
        assertTrue(imported.containsAll(Set.of("fuzzing-support.throw", "fuzzing-support.wasmtag",
                "fuzzing-support.jstag")), imported.toString());
        for (String name : imported) {
            assertTrue(name.startsWith("__fuzz_import.")
                    || BinaryenHost.IMPORT_NAMES.contains(name.substring("fuzzing-support.".length())), name);
        }
        assertTrue(uncaught >= 20, uncaught + " modules with an uncaught exception");
    }

    @Override
    List<FuzzCorpus.Entry> corpus() {
        return CORPUS;
    }
}
