package dev.isthmus.compiler.optimizing;

import dev.isthmus.wast.ExceptionScripts;
import dev.isthmus.wast.TestsuiteLocation;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spec scripts (every wasm-2.0 file and the wasm-3.0 tail-call files; the exception-handling scripts, 3.0 rules)
 * with the optimizing tier as default, run
 * by {@code isthmus wast} in a child JVM started with {@code -Disthmus.tier=OPTIMIZING} (the default options read
 * the tier once per JVM) and {@code -Disthmus.tier.strict=true} (internal errors of the tier fail instead of
 * falling back). Every command must pass or be skipped (SIMD execution), and the JVM must exit normally.
 */
class OptimizingTierSpecTest {
    private static final Pattern TOTALS = Pattern.compile(
            "\"totals\":\\s*\\{\"passed\":\\s*(\\d+),\\s*\"failed\":\\s*(\\d+)");

    @Test
    void specScriptsPassWithTheOptimizingTier() throws Exception {
        int[] totals = run("2.0", List.of(TestsuiteLocation.directory("wasm-2.0").toString(),
                TestsuiteLocation.directory("wasm-3.0").resolve("return_call.wast").toString(),
                TestsuiteLocation.directory("wasm-3.0").resolve("return_call_indirect.wast").toString()));
        assertEquals(0, totals[1], "failed commands");
        assertTrue(totals[0] > 29000, "passed commands: " + totals[0]);
    }

    /**
     * The exception-handling scripts (3.0 and legacy/, those of the wasm-3.0-exceptions ratchet) strict under the
     * optimizing tier, which compiles every function of them (OptimizingFallbackTest: no fallback): every command
     * of the ratchet passes, none fails.
     */
    @Test
    void exceptionScriptsPassWithTheOptimizingTier() throws Exception {
        Path dir = TestsuiteLocation.directory("wasm-3.0");
        List<String> files = ExceptionScripts.FILES.stream().map(f -> dir.resolve(f).toString()).toList();
        long ratchet = Files.readAllLines(Path.of("src/test/resources/conformance/wasm-3.0-exceptions.passing"))
                .stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        int[] totals = run("3.0", files);
        assertEquals(0, totals[1], "failed commands");
        assertTrue(totals[0] >= ratchet, "passed commands: " + totals[0] + " (ratchet " + ratchet + ")");
    }

    /** Runs {@code isthmus wast} on {@code paths} in a child JVM, strict optimizing tier: {passed, failed}. */
    private static int[] run(String version, List<String> paths) throws Exception {
        Path report = Files.createTempFile("isthmus-tier-spec", ".json");
        try {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new java.util.ArrayList<>(List.of(java.toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Disthmus.tier=OPTIMIZING", "-Disthmus.tier.strict=true",
                    "-cp", System.getProperty("java.class.path"), "dev.isthmus.cli.Main", "wast", "--wasm-version",
                    version, "--report", report.toString()));
            command.addAll(paths);
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            assertTrue(p.waitFor(15, TimeUnit.MINUTES), "spec run did not finish");
            assertEquals(0, p.exitValue(), "isthmus wast exit code (134/139 would be a JVM crash)");
            Matcher m = TOTALS.matcher(Files.readString(report));
            assertTrue(m.find(), "report totals");
            return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        } finally {
            Files.deleteIfExists(report);
        }
    }
}
