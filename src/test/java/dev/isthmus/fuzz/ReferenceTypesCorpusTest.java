package dev.isthmus.fuzz;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.model.Import;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference-types corpus of binaryen 132 ({@code src/test/resources/fuzz/reftypes-corpus}, profile reftypes of
 * {@code scripts/fuzz/profiles.tsv}: Wasm 2.0 + reference-types + extended-const, with the initial content
 * {@code scripts/fuzz/initial/reftypes.wat}: three tables, one of externref, and every table instruction) against
 * binaryen's reference interpreter, through {@link BinaryenHost}'s {@code call-ref}, {@code table-get},
 * {@code table-set} and the synthesized {@code externref} global: both tiers, and the optimizing tier with explicit
 * bounds checks. Typed function references are not in it: binaryen 132 generates them only with GC enabled, and then
 * with GC types in every module (docs/reliability.md).
 */
class ReferenceTypesCorpusTest extends CorpusDifferentialTest {
    private static final List<FuzzCorpus.Entry> CORPUS = FuzzCorpus.entries("reftypes-corpus");

    @Test
    void corpusHasOverAHundredModulesWithSeveralTablesAndTheHostsReferenceImports() {
        assertTrue(CORPUS.size() >= 100, "reftypes corpus size " + CORPUS.size());
        Set<String> imported = new TreeSet<>();
        for (FuzzCorpus.Entry entry : CORPUS) {
            WasmModule module = ModuleDecoder.decode(entry.wasm());
            assertTrue(module.tableCount() >= 3, entry.name() + " has " + module.tableCount() + " tables");
            assertTrue(java.util.stream.IntStream.range(0, module.tableCount()).anyMatch(
                    t -> module.tableType(t).elementType().kind() == ValType.Kind.EXTERNREF),
                    entry.name() + " has no externref table");
            for (Import anImport : module.imports()) imported.add(anImport.module() + "." + anImport.name());
        }
        assertTrue(imported.containsAll(Set.of("fuzzing-support.call-ref", "fuzzing-support.call-ref-catch",
                "fuzzing-support.table-get", "fuzzing-support.table-set", "__fuzz_import.extern$")), imported.toString());
        for (String name : imported) {
            assertTrue(name.startsWith("__fuzz_import.")
                    || BinaryenHost.IMPORT_NAMES.contains(name.substring("fuzzing-support.".length())), name);
        }
    }

    @Override
    List<FuzzCorpus.Entry> corpus() {
        return CORPUS;
    }
}
