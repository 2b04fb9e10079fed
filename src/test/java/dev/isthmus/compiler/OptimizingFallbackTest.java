package dev.isthmus.compiler;

import dev.isthmus.model.WasmVersion;
import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.TailCallEffects;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.ValType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;
import dev.isthmus.wast.IsthmusFrontEnd;
import dev.isthmus.wast.ModuleLoad;
import dev.isthmus.wast.ModuleLoader;
import dev.isthmus.wast.ScriptFile;
import dev.isthmus.wast.TestsuiteLocation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The optimizing tier's fallback counter: compiles every function of every module of the wasm-2.0 spec suite (SIMD
 * included: a SIMD function declined for a missing lowering would show as a new reason), of the 3.0 scripts of tail
 * calls and typed function references, of every kernel of {@code bench/kernels/wasm} and of the differential fuzz
 * corpora with the optimizing tier alone, counts the functions it declines (leaves to the
 * baseline) per reason, prints the table, and compares it with the committed ratchet
 * {@code src/test/resources/conformance/optimizing-fallbacks.txt} ({@code COUNT<tab>REASON} per line). A reason
 * counted more often than the file allows fails (a regression); one counted less often fails too, asking to lower
 * the ratchet, so the file only goes down. {@code -Disthmus.ratchet.update=true} rewrites the file with the
 * current counts.
 */
class OptimizingFallbackTest {
    private static final Path RATCHET = Path.of("src/test/resources/conformance/optimizing-fallbacks.txt");
    private static final Path KERNELS = Path.of("bench/kernels/wasm");
    /**
     * The 3.0 scripts of features beyond 2.0: tail calls, typed function references, exception handling (whose
     * functions the tier does not compile yet: counted, so the ratchet shows them); and those of memory64
     * ({@code Memory64Scripts}).
     */
    private static final List<String> WASM30_SCRIPTS = List.of("return_call.wast", "return_call_indirect.wast",
            "return_call_ref.wast", "call_ref.wast", "br_on_null.wast", "br_on_non_null.wast",
            "ref_as_non_null.wast", "local_init.wast", "table-sub.wast", "tag.wast", "throw.wast", "throw_ref.wast",
            "try_table.wast", "legacy/throw.wast", "legacy/try_catch.wast", "legacy/try_delegate.wast",
            "legacy/rethrow.wast");
    /** The differential fuzz corpora (binaryen-made modules; tail calls and multi-value among them). */
    private static final List<Path> CORPORA = List.of(Path.of("src/test/resources/fuzz/corpus"),
            Path.of("src/test/resources/fuzz/wasm2-corpus"), Path.of("src/test/resources/fuzz/simd-corpus"),
            Path.of("src/test/resources/fuzz/multimemory-corpus"), Path.of("src/test/resources/fuzz/reftypes-corpus"),
            Path.of("src/test/resources/fuzz/memory64-corpus"));

    @Test
    void fallbacksOnlyGoDown() throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        int[] functions = new int[1];
        int modules = 0;

        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd(WasmVersion.V2_0);
        modules += countScripts(new IsthmusFrontEnd(WasmVersion.V2_0),
                ScriptFile.collect(List.of(TestsuiteLocation.directory("wasm-2.0"))), counts, functions);
        Path wasm30 = TestsuiteLocation.directory("wasm-3.0");
        List<Path> wasm30Scripts = new ArrayList<>();
        for (String name : WASM30_SCRIPTS) wasm30Scripts.add(wasm30.resolve(name));
        for (String name : dev.isthmus.wast.Memory64Scripts.FILES) wasm30Scripts.add(wasm30.resolve(name));
        modules += countScripts(new IsthmusFrontEnd(WasmVersion.V3_0), ScriptFile.collect(wasm30Scripts), counts,
                functions);
        IsthmusFrontEnd corpusFrontEnd = new IsthmusFrontEnd(WasmVersion.V3_0);   // multiple memories
        for (Path corpus : CORPORA) {
            List<Path> files;
            try (Stream<Path> list = Files.list(corpus)) {
                files = list.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
            }
            if (files.isEmpty()) fail("expected the fuzz corpus in " + corpus.toAbsolutePath());
            for (Path file : files) {
                WasmModule module = corpusFrontEnd.decode(Files.readAllBytes(file));
                corpusFrontEnd.validate(module);
                modules++;
                count(module, counts, functions);
            }
        }
        List<Path> kernels;
        try (Stream<Path> files = Files.list(KERNELS)) {
            kernels = files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        }
        if (kernels.size() < 16) fail("expected the kernels in " + KERNELS.toAbsolutePath());
        for (Path kernel : kernels) {
            WasmModule module = frontEnd.decode(Files.readAllBytes(kernel));
            frontEnd.validate(module);
            modules++;
            count(module, counts, functions);
        }

        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder table = new StringBuilder();
        table.append("[fallbacks] ").append(modules).append(" modules (").append(kernels.size())
                .append(" kernels), ").append(functions[0])
                .append(" functions, ").append(total).append(" declined by the optimizing tier\n");
        counts.forEach((reason, n) -> table.append(String.format("[fallbacks] %6d  %s%n", n, reason)));
        System.out.print(table);
        if (counts.containsKey("internal error of the tier")) {
            fail("the optimizing tier failed (internal errors above)\n" + table);
        }

        if (Boolean.getBoolean("isthmus.ratchet.update")) {
            StringBuilder b = new StringBuilder("# Functions the optimizing tier declines (COUNT<tab>REASON), over the "
                    + "wasm-2.0 spec suite (SIMD included), the 3.0 tail-call, function-reference, exception and memory64 scripts, "
                    + "bench/kernels and "
                    + "the fuzz corpora; only goes down (OptimizingFallbackTest).\n");
            counts.forEach((reason, n) -> b.append(n).append('\t').append(reason).append('\n'));
            Files.writeString(RATCHET, b.toString(), StandardCharsets.UTF_8);
            System.out.println("[fallbacks] ratchet rewritten: " + RATCHET);
            return;
        }

        Map<String, Integer> allowed = load();
        List<String> problems = new ArrayList<>();
        for (String reason : new TreeSet<>(union(counts, allowed))) {
            int now = counts.getOrDefault(reason, 0);
            int limit = allowed.getOrDefault(reason, 0);
            if (now > limit) {
                problems.add("more fallbacks for \"" + reason + "\": " + now + " (ratchet " + limit + ")");
            } else if (now < limit) {
                problems.add("fewer fallbacks for \"" + reason + "\": lower the ratchet to " + now + " (is " + limit
                        + "; -Disthmus.ratchet.update=true rewrites " + RATCHET + ")");
            }
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems) + "\n" + table);
    }

    /**
     * Explicit bounds-check mode ({@code --bounds-checks explicit}): the optimizing tier checks 32-bit memories'
     * accesses itself (as memory64's), so over the wasm-2.0 spec suite (SIMD included) and the kernels it declines
     * no function at all, as in the default mode.
     */
    @Test
    void explicitBoundsChecksDeclineNothingInTheWasm20SuiteAndTheKernels() throws IOException {
        CompilerOptions explicit = CompilerOptions.DEFAULT.withBoundsChecks(BoundsChecks.EXPLICIT);
        Map<String, Integer> counts = new TreeMap<>();
        int[] functions = new int[1];
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd(WasmVersion.V2_0);
        int modules = countScripts(frontEnd, ScriptFile.collect(List.of(TestsuiteLocation.directory("wasm-2.0"))),
                counts, functions, explicit);
        List<Path> kernels;
        try (Stream<Path> files = Files.list(KERNELS)) {
            kernels = files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        }
        for (Path kernel : kernels) {
            WasmModule module = frontEnd.decode(Files.readAllBytes(kernel));
            frontEnd.validate(module);
            modules++;
            count(module, counts, functions, explicit);
        }
        if (modules < 1500 || functions[0] < 8000) {
            fail("expected the wasm-2.0 suite and the kernels: " + modules + " modules, " + functions[0] + " functions");
        }
        if (!counts.isEmpty()) fail("declined in explicit mode over " + functions[0] + " functions: " + counts);
    }

    private static java.util.Set<String> union(Map<String, Integer> a, Map<String, Integer> b) {
        java.util.Set<String> s = new TreeSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private static Map<String, Integer> load() throws IOException {
        Map<String, Integer> allowed = new TreeMap<>();
        if (!Files.isRegularFile(RATCHET)) return allowed;
        for (String line : Files.readAllLines(RATCHET, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int tab = line.indexOf('\t');
            allowed.put(line.substring(tab + 1), Integer.parseInt(line.substring(0, tab).strip()));
        }
        return allowed;
    }

    /** Counts the functions of every module the scripts define; returns the number of modules. */
    private static int countScripts(IsthmusFrontEnd frontEnd, List<ScriptFile> scripts, Map<String, Integer> counts,
                                    int[] functions) throws IOException {
        return countScripts(frontEnd, scripts, counts, functions, CompilerOptions.DEFAULT);
    }

    private static int countScripts(IsthmusFrontEnd frontEnd, List<ScriptFile> scripts, Map<String, Integer> counts,
                                    int[] functions, CompilerOptions options) throws IOException {
        ModuleLoader loader = new ModuleLoader(frontEnd);
        int modules = 0;
        for (ScriptFile script : scripts) {
            String text = Files.readString(script.path(), StandardCharsets.UTF_8);
            for (WastCommand c : frontEnd.parse(text, script.name())) {
                ModuleSource source = switch (c) {
                    case WastCommand.ModuleCommand m -> m.source();
                    case WastCommand.ModuleDefinition d -> d.source();
                    default -> null;
                };
                if (source == null || !(loader.load(source) instanceof ModuleLoad.Loaded loaded)) continue;
                modules++;
                count(loaded.module(), counts, functions, options);
            }
        }
        return modules;
    }

    /** Compiles every defined function with the optimizing tier, counting the declined ones per reason. */
    private static void count(WasmModule module, Map<String, Integer> counts, int[] functions) {
        count(module, counts, functions, CompilerOptions.DEFAULT);
    }

    private static void count(WasmModule module, Map<String, Integer> counts, int[] functions,
                              CompilerOptions options) {
        VmContextLayout vm = VmContextLayout.of(module);
        TailCallEffects effects = TailCallEffects.of(module);
        for (int f = module.importedFunctionCount(); f < module.functionCount(); f++) {
            functions[0]++;
            String[] reason = new String[1];
            OptimizingCompiler.tryCompile(module, vm, options, CpuFeatures.host(), f,
                    why -> reason[0] = why, effects);
            if (reason[0] != null) {
                String key = reason[0].startsWith("internal error") ? "internal error of the tier" : reason[0];
                if (!key.equals(reason[0])) System.out.println("[fallbacks] " + reason[0]);
                counts.merge(key, 1, Integer::sum);
            }
        }
    }

}
