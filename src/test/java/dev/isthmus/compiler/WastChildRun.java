package dev.isthmus.compiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code isthmus wast --report} on spec scripts in a child JVM (a miscompiled sequence must not take the test
 * JVM down) at one tier, strictly (no fallback), with AVX or without, and returns the report's counts per file.
 */
public final class WastChildRun {
    private static final Pattern FILE = Pattern.compile(
            "\\{\"file\": \"([^\"]+)\", \"passed\": (\\d+), \"failed\": (\\d+), \"skipped\": (\\d+)");

    private WastChildRun() {}

    /** Per script file name: {passed, failed, skipped}. */
    public static Map<String, int[]> run(String tier, boolean avx, List<Path> files) throws Exception {
        Path report = Files.createTempFile("isthmus-wast-child", ".json");
        try {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Disthmus.tier=" + tier, "-Disthmus.tier.strict=true", "-Disthmus.avx=" + avx,
                    "-cp", System.getProperty("java.class.path"), "dev.isthmus.cli.Main", "wast", "--report",
                    report.toString()));
            for (Path f : files) command.add(f.toString());
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("the spec run did not finish");
            }
            // 0: all passed, 1: some failed; anything else (134, 139) is a crash of the child JVM
            assertTrue(p.exitValue() == 0 || p.exitValue() == 1, tier + ": isthmus wast exit code " + p.exitValue());
            Map<String, int[]> counts = new TreeMap<>();
            Matcher m = FILE.matcher(Files.readString(report));
            while (m.find()) {
                counts.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4))});
            }
            assertTrue(counts.size() == files.size(), "report covers " + counts.size() + " of " + files.size());
            return counts;
        } finally {
            Files.deleteIfExists(report);
        }
    }
}
