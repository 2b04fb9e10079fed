package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a scenario that might kill a JVM in a child JVM on this test's class path: the test fails with the head of
 * the child's {@code hs_err} file when it crashes, with its output's tail when it exits non-zero or overruns its
 * time limit; otherwise the child's output lines come back for the test to check.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param label   names the scenario in failure messages
     * @param work    a directory for the output and any hs_err file
     * @param jvmArgs extra JVM options (native access and the error file are added)
     * @param main    the child's main class; {@code args} its arguments
     * @return the child's output (stdout and stderr), line by line
     */
    public static List<String> run(String label, Path work, List<String> jvmArgs, Class<?> main, List<String> args,
            long timeLimitSeconds) throws IOException, InterruptedException {
        Path output = work.resolve("child.out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=" + work.resolve("hs_err_%p.log")));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(timeLimitSeconds, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail(label + ": the child JVM did not finish in " + timeLimitSeconds + " s:\n" + tail(output));
        }
        if (child.exitValue() != 0) {
            fail(label + ": the child JVM exited with " + child.exitValue() + crashReport(work) + "\noutput:\n"
                    + tail(output));
        }
        return Files.readAllLines(output, StandardCharsets.UTF_8);
    }

    /** The head of the child's hs_err file, if it wrote one. */
    private static String crashReport(Path work) throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            List<Path> reports = files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
            if (reports.isEmpty()) return "";
            List<String> head = Files.readAllLines(reports.getFirst(), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.equals("#")).limit(12).toList();
            return " (JVM crash)\n" + String.join("\n", head);
        }
    }

    /** The last lines of the output, without hs_err's '#' lines. */
    static String tail(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
