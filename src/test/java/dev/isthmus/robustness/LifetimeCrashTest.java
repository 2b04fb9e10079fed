package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #14, P0: lifetimes that cannot crash the JVM, and instances nobody closes. Each scenario of
 * {@link LifetimeChild} runs in a child JVM (a use-after-free of unmapped memory would end the process): closing an
 * instance while another thread calls it (a loop on globals, a loop on memory), closing it from a host function
 * inside its own call, closing the module under live instances, closing an exporter before its importers, and
 * 20,000 instances never closed with a 4 GiB heap (their Cleaners must keep up: fault tables grow, reservations
 * retry after a GC).
 */
class LifetimeCrashTest {
    static final long TIME_LIMIT_SECONDS = 120;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"race spinGlobals 3000", "race spinMemory 3000", "host-close", "module-close",
            "import-order", "no-close 20000"})
    void scenarioNeverCrashesTheJvm(String scenario) throws Exception {
        Path output = temp.resolve("child.out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx4g",
                "-XX:ErrorFile=" + temp.resolve("hs_err_%p.log"), "-cp", System.getProperty("java.class.path"),
                LifetimeChild.class.getName()));
        command.addAll(List.of(scenario.split(" ")));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail(scenario + ": the child JVM did not finish in " + TIME_LIMIT_SECONDS + " s:\n" + tail(output));
        }
        if (child.exitValue() != 0) {
            fail(scenario + ": the child JVM exited with " + child.exitValue() + crashReport() + "\noutput:\n"
                    + tail(output));
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        lines.stream().filter(l -> l.startsWith("result ")).forEach(System.out::println);
        assertTrue(lines.contains(LifetimeChild.DONE), () -> scenario + ": the child did not finish:\n" + lines);
    }

    private String crashReport() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            List<Path> reports = files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
            if (reports.isEmpty()) return "";
            List<String> head = Files.readAllLines(reports.getFirst(), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.equals("#")).limit(12).toList();
            return " (JVM crash)\n" + String.join("\n", head);
        }
    }

    private static String tail(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
