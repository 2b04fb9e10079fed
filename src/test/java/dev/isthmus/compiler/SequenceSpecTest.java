package dev.isthmus.compiler;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.wast.TestsuiteLocation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spec scripts covering the shared instruction sequences ({@code dev.isthmus.compiler.machine.sequences}:
 * conversions, float min/max and sign operations, division, parallel moves of call arguments and block results,
 * bulk memory)
 * under each tier explicitly. The call and control scripts declare {@code memory.grow} in their modules, which the
 * {@link TestInstance} harness cannot host, so they run through {@code isthmus wast} in a child JVM per tier (the
 * default options read the tier once per JVM; {@code isthmus.tier.strict} makes an internal error of the optimizing
 * tier fail instead of falling back).
 */
class SequenceSpecTest {
    private static final Path SUITE = Path.of("/work/shared/testsuite/wasm-2.0");
    private static final List<String> FILES = List.of("conversions.wast", "float_exprs.wast", "f32.wast", "f64.wast",
            "i32.wast", "i64.wast", "float_misc.wast", "int_exprs.wast", "f32_bitwise.wast", "f64_bitwise.wast");
    /** Call arguments, block and branch results, multi-value: the parallel moves. */
    private static final List<String> MOVE_FILES = List.of("call.wast", "call_indirect.wast", "func.wast", "fac.wast",
            "block.wast", "loop.wast", "if.wast", "br.wast", "br_if.wast", "br_table.wast", "return.wast",
            "left-to-right.wast", "func_ptrs.wast", "stack.wast");
    /** Bulk memory: copy, fill, init, drop, size and grow. */
    private static final List<String> BULK_FILES = List.of("memory_copy.wast", "memory_fill.wast",
            "memory_init.wast", "bulk.wast", "memory_grow.wast", "memory_size.wast");
    private static final Pattern TOTALS = Pattern.compile(
            "\"totals\":\\s*\\{\"passed\":\\s*(\\d+),\\s*\"failed\":\\s*(\\d+)");

    @TestFactory
    Stream<DynamicTest> bothTiers() {
        return Stream.of(Tier.values()).flatMap(tier -> FILES.stream().map(f -> DynamicTest.dynamicTest(
                tier + " " + f, () -> {
                    SpecScriptRunner.Result r = SpecScriptRunner.run(SUITE.resolve(f),
                            CompilerOptions.DEFAULT.withTier(tier));
                    System.out.println(tier + " " + r);
                    assertEquals(List.of(), r.failures(), f);
                })));
    }

    @TestFactory
    Stream<DynamicTest> movesBothTiers() {
        return Stream.of(Tier.values()).map(tier -> DynamicTest.dynamicTest(tier + " calls and blocks", () -> {
            List<Path> files = new ArrayList<>();
            for (String f : MOVE_FILES) files.add(TestsuiteLocation.directory("wasm-2.0").resolve(f));
            files.add(TestsuiteLocation.directory("wasm-3.0").resolve("return_call.wast"));
            files.add(TestsuiteLocation.directory("wasm-3.0").resolve("return_call_indirect.wast"));
            int passed = runChild(tier, List.of(), files);
            System.out.println(tier + " calls and blocks: " + passed + " passed");
            assertTrue(passed > 1700, "passed commands: " + passed);
        }));
    }

    /** The bulk-memory scripts (BulkMemory's inline copy and fill; memory.size/grow/init in the optimizing tier). */
    @TestFactory
    Stream<DynamicTest> bulkMemoryBothTiersBothBoundsModes() {
        return Stream.of(Tier.values()).flatMap(tier -> Stream.of("guard-pages", "explicit").map(bounds ->
                DynamicTest.dynamicTest(tier + " bulk memory, bounds " + bounds, () -> {
                    List<Path> files = new ArrayList<>();
                    for (String f : BULK_FILES) files.add(TestsuiteLocation.directory("wasm-2.0").resolve(f));
                    int passed = runChild(tier, List.of("--bounds-checks", bounds), files);
                    System.out.println(tier + " bulk memory " + bounds + ": " + passed + " passed");
                    assertTrue(passed >= 5045, "passed commands: " + passed);
                })));
    }

    /** Runs {@code isthmus wast} on {@code files} in a child JVM with the tier strict; the passed count (none failed). */
    private static int runChild(Tier tier, List<String> options, List<Path> files) throws Exception {
        Path report = Files.createTempFile("isthmus-sequence-spec", ".json");
        try {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Disthmus.tier=" + tier, "-Disthmus.tier.strict=true",
                    "-cp", System.getProperty("java.class.path"), "dev.isthmus.cli.Main", "wast"));
            command.addAll(options);
            command.add("--report");
            command.add(report.toString());
            for (Path f : files) command.add(f.toString());
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "spec run did not finish");
            assertEquals(0, p.exitValue(), "isthmus wast exit code (134/139 would be a JVM crash)");
            Matcher m = TOTALS.matcher(Files.readString(report));
            assertTrue(m.find(), "report totals");
            assertEquals(0, Integer.parseInt(m.group(2)), "failed commands");
            return Integer.parseInt(m.group(1));
        } finally {
            Files.deleteIfExists(report);
        }
    }
}
