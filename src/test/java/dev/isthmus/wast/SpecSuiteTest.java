package dev.isthmus.wast;

import dev.isthmus.model.WasmVersion;
import dev.isthmus.wast.engine.IsthmusEngine;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The official WebAssembly 2.0 spec test suite, executed by {@link IsthmusEngine}, one dynamic test per command
 * ({@code file.wast:LINE kind}), checked against the ratchet {@code src/test/resources/conformance/wasm-2.0.passing}:
 * <ul>
 *   <li>passed: the test passes;</li>
 *   <li>skipped (the engine declined the script): the test is aborted with the reason;</li>
 *   <li>failed and listed in the ratchet: the test fails (a regression);</li>
 *   <li>failed and not listed: the test is aborted as "not passing yet".</li>
 * </ul>
 * Ratchet ids that no command produces any more fail one extra test. Also runs the 3.0 suite, asserting only that
 * the front end never breaks (every rejection is a DecodeException or ValidationException).
 *
 * <p>{@code -Disthmus.spec.only=NAME[,NAME...]} runs only the scripts whose file name contains one of the NAMEs
 * (e.g. {@code br_table,simd_lane}); the ratchet is then checked for those scripts only and cannot be rewritten.
 */
class SpecSuiteTest {
    static final String ONLY_PROPERTY = "isthmus.spec.only";

    @TestFactory
    List<DynamicNode> wasm20() {
        // every script, SIMD included (compiler.SimdSpecTest also runs the simd_* scripts per tier and AVX mode in
        // a child JVM)
        return suite("wasm-2.0", ScriptFile.collect(List.of(TestsuiteLocation.directory("wasm-2.0"))),
                WasmVersion.V2_0);
    }

    /** The tail-call scripts of the 3.0 suite, executed too; ratchet {@code wasm-3.0-tail-calls.passing}. */
    @TestFactory
    List<DynamicNode> wasm30TailCalls() {
        Path dir = TestsuiteLocation.directory("wasm-3.0");
        return suite("wasm-3.0-tail-calls", ScriptFile.collect(List.of(dir.resolve("return_call.wast"),
                dir.resolve("return_call_indirect.wast"))), WasmVersion.V3_0);
    }

    /** The multiple-memory scripts of the 3.0 suite ({@link MultiMemoryScripts}); ratchet {@code wasm-3.0-multi-memory.passing}. */
    @TestFactory
    List<DynamicNode> wasm30MultiMemory() {
        Path dir = TestsuiteLocation.directory("wasm-3.0");
        return suite("wasm-3.0-multi-memory", ScriptFile.collect(MultiMemoryScripts.FILES.stream().map(dir::resolve)
                .toList()), WasmVersion.V3_0);
    }

    /** The memory64 and table64 scripts of the 3.0 suite ({@link Memory64Scripts}); ratchet {@code wasm-3.0-memory64.passing}. */
    @TestFactory
    List<DynamicNode> wasm30Memory64() {
        Path dir = TestsuiteLocation.directory("wasm-3.0");
        return suite("wasm-3.0-memory64", ScriptFile.collect(Memory64Scripts.FILES.stream().map(dir::resolve)
                .toList()), WasmVersion.V3_0);
    }

    /**
     * The exception-handling scripts of the 3.0 suite, the legacy form included ({@link ExceptionScripts});
     * ratchet {@code wasm-3.0-exceptions.passing}.
     */
    @TestFactory
    List<DynamicNode> wasm30Exceptions() {
        return suite("wasm-3.0-exceptions", ExceptionScripts.scripts(TestsuiteLocation.directory("wasm-3.0")),
                WasmVersion.V3_0);
    }

    /**
     * The scripts of the 3.0 suite about typed function references and extended constants, and those whose modules
     * use them (3.0 rules, {@link WasmVersion#V3_0}); ratchet {@code wasm-3.0-funcref.passing}. Some are not
     * complete: {@code ref_null.wast} needs GC's and exception handling's heap types (any, none, exn, ...),
     * {@code linking.wast} and {@code type-equivalence.wast} type
     * equivalence across modules and recursion groups (docs/conformance.md).
     */
    @TestFactory
    List<DynamicNode> wasm30FunctionReferences() {
        Path dir = TestsuiteLocation.directory("wasm-3.0");
        List<Path> files = new ArrayList<>();
        for (String name : FUNCREF_SCRIPTS) files.add(dir.resolve(name + ".wast"));
        return suite("wasm-3.0-funcref", ScriptFile.collect(files), WasmVersion.V3_0);
    }

    static final List<String> FUNCREF_SCRIPTS = List.of("call_ref", "return_call_ref", "br_on_null",
            "br_on_non_null", "ref_as_non_null", "ref_null", "ref_func", "ref_is_null", "ref", "local_init",
            "func", "table", "table-sub", "global", "elem", "data", "select", "br_table", "br_if", "local_tee",
            "linking", "unreached-valid", "unreached-invalid", "type-equivalence");

    /**
     * The SIMD and relaxed-SIMD scripts of the 3.0 suite ({@code simd_*.wast} but {@code simd_memory-multi.wast},
     * which is among the multiple-memory scripts, and {@code *relaxed*.wast}); ratchet {@code wasm-3.0-simd.passing}.
     */
    @TestFactory
    List<DynamicNode> wasm30Simd() throws java.io.IOException {
        Path dir = TestsuiteLocation.directory("wasm-3.0");
        List<Path> files;
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
            files = s.filter(p -> {
                String f = p.getFileName().toString();
                return f.endsWith(".wast") && (f.startsWith("simd_") && !f.equals("simd_memory-multi.wast")
                        || f.contains("relaxed"));
            }).sorted().toList();
        }
        return suite("wasm-3.0-simd", ScriptFile.collect(files), WasmVersion.V3_0);
    }

    private static List<DynamicNode> suite(String name, List<ScriptFile> scripts, WasmVersion version) {
        Ratchet ratchet = new Ratchet(name);
        Set<String> mustPass = ratchet.load();
        List<FileReport> reports = runAll(scripts, true, version);

        List<String> passing = new ArrayList<>();
        Set<String> produced = new HashSet<>();
        List<DynamicNode> files = new ArrayList<>();
        for (FileReport report : reports) {
            List<DynamicNode> tests = new ArrayList<>();
            for (CommandResult r : report.results()) {
                produced.add(r.id());
                if (r.verdict() == Verdict.PASSED) passing.add(r.id());
                tests.add(DynamicTest.dynamicTest(r.id(), () -> judge(name, r, mustPass.contains(r.id()))));
            }
            files.add(DynamicContainer.dynamicContainer(report.file(), tests));
        }
        Set<String> vanished = new LinkedHashSet<>();
        for (String id : mustPass) {
            if (!produced.contains(id) && selected(id.substring(0, id.indexOf(':')))) vanished.add(id);
        }
        files.add(DynamicTest.dynamicTest("ratchet ids still exist", () -> Assertions.assertTrue(vanished.isEmpty(),
                vanished.size() + " ids listed in " + name + ".passing are no longer produced, e.g. "
                        + vanished.stream().limit(10).toList())));
        printTotals(name, reports);
        if (Ratchet.updateRequested() && System.getProperty(ONLY_PROPERTY) != null) {
            throw new IllegalStateException("-D" + Ratchet.UPDATE_PROPERTY + " needs the whole suite; drop -D"
                    + ONLY_PROPERTY);
        }
        if (Ratchet.updateRequested()) {
            System.out.println("[spec] ratchet rewritten: " + ratchet.write(passing) + " (" + passing.size() + " ids)");
        }
        return files;
    }

    private static void judge(String name, CommandResult r, boolean inRatchet) {
        switch (r.verdict()) {
            case PASSED -> { }
            case SKIPPED -> Assumptions.abort(r.message());
            case FAILED -> {
                if (inRatchet) Assertions.fail("regression (listed in " + name + ".passing): " + r.message());
                Assumptions.abort("not passing yet: " + r.message());
            }
        }
    }

    @Test
    void wasm30RunsWithoutTheFrontEndBreaking() {
        Path dir = TestsuiteLocation.directory("wasm-3.0");
        List<FileReport> reports = runAll(ScriptFile.collect(List.of(dir)), false, WasmVersion.V3_0);
        printTotals("wasm-3.0", reports);
        List<String> broken = new ArrayList<>();
        for (FileReport f : reports) {
            for (CommandResult r : f.failures()) {
                if (r.message() != null && r.message().contains("front end threw")) {
                    broken.add(r.id() + ": " + r.message());
                }
            }
        }
        Assertions.assertTrue(broken.isEmpty(), broken.size() + " commands made the front end throw something "
                + "other than Malformed/ValidationException:\n" + String.join("\n",
                broken.subList(0, Math.min(20, broken.size()))));
    }

    /** Runs {@code scripts}, executing them with the Isthmus engine when {@code execute}, else the front end only. */
    private static List<FileReport> runAll(List<ScriptFile> scripts, boolean execute, WasmVersion version) {
        IsthmusFrontEnd frontEnd = new IsthmusFrontEnd(version);
        try (IsthmusEngine engine = execute ? IsthmusEngine.create() : null) {
            SuiteRunner runner = new SuiteRunner(frontEnd, new WastRunner(frontEnd, engine));
            List<FileReport> reports = new ArrayList<>();
            for (ScriptFile script : scripts) {
                if (selected(script.name())) reports.add(runner.run(script));
            }
            return reports;
        }
    }

    /** Whether {@code -Disthmus.spec.only} (if given) selects the script {@code name}. */
    private static boolean selected(String name) {
        String only = System.getProperty(ONLY_PROPERTY);
        if (only == null || only.isBlank()) return true;
        for (String part : only.split(",")) if (!part.isBlank() && name.contains(part.strip())) return true;
        return false;
    }

    private static void printTotals(String suite, List<FileReport> reports) {
        Tally total = new Tally();
        Map<CommandKind, Tally> byKind = new EnumMap<>(CommandKind.class);
        for (FileReport f : reports) {
            total.add(f.tally());
            f.tallyByKind().forEach((k, t) -> byKind.computeIfAbsent(k, x -> new Tally()).add(t));
        }
        System.out.println("[spec] " + suite + ": " + reports.size() + " files, " + total);
        byKind.forEach((k, t) -> System.out.println("[spec]   " + k.text() + ": " + t));
    }
}
