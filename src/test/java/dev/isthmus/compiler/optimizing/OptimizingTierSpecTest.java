package dev.isthmus.compiler.optimizing;

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
 * The spec scripts (every wasm-2.0 file and the wasm-3.0 tail-call files) with the optimizing tier as default, run
 * by {@code isthmus wast} in a child JVM started with {@code -Disthmus.tier=OPTIMIZING} (the default options read
 * the tier once per JVM) and {@code -Disthmus.tier.strict=true} (internal errors of the tier fail instead of
 * falling back). Every command must pass or be skipped (SIMD execution), and the JVM must exit normally.
 */
class OptimizingTierSpecTest {
    private static final Pattern TOTALS = Pattern.compile(
            "\"totals\":\\s*\\{\"passed\":\\s*(\\d+),\\s*\"failed\":\\s*(\\d+)");

    @Test
    void specScriptsPassWithTheOptimizingTier() throws Exception {
        Path report = Files.createTempFile("isthmus-tier-spec", ".json");
        try {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Disthmus.tier=OPTIMIZING", "-Disthmus.tier.strict=true", "-cp", System.getProperty("java.class.path"),
                    "dev.isthmus.cli.Main", "wast", "--wasm-version", "2.0", "--report", report.toString(),
                    TestsuiteLocation.directory("wasm-2.0").toString(),
                    TestsuiteLocation.directory("wasm-3.0").resolve("return_call.wast").toString(),
                    TestsuiteLocation.directory("wasm-3.0").resolve("return_call_indirect.wast").toString()));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            assertTrue(p.waitFor(15, TimeUnit.MINUTES), "spec run did not finish");
            assertEquals(0, p.exitValue(), "isthmus wast exit code (134/139 would be a JVM crash)");
            Matcher m = TOTALS.matcher(Files.readString(report));
            assertTrue(m.find(), "report totals");
            assertEquals(0, Integer.parseInt(m.group(2)), "failed commands");
            assertTrue(Integer.parseInt(m.group(1)) > 29000, "passed commands: " + m.group(1));
        } finally {
            Files.deleteIfExists(report);
        }
    }
}
