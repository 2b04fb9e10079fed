package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #5, robustness: endless recursion that goes through a Java host function at every level (wasm → Java →
 * wasm → ...), in every prologue variant. Both stacks grow together, and either may run out first: the wasm stack
 * or the Java stack (where a {@link StackOverflowError} could hit the JVM's upcall machinery itself, which ends the
 * process). Either way the outcome must be a "call stack exhausted" trap: the host-call bridge refuses upcalls
 * too close to the end of the Java stack, and a StackOverflowError inside a host function is turned into the same
 * trap. The JVM must survive, so the scenario runs in a child JVM ({@link HostRecursionChild}) on Java stacks of
 * several sizes; the test fails when the child crashes (its {@code hs_err} file is quoted), when a call ends any
 * other way, or when the instance does not work afterwards.
 */
class HostRecursionCrashTest {
    static final Set<String> ACCEPTED = Set.of("trap:CALL_STACK_EXHAUSTED");
    static final long TIME_LIMIT_SECONDS = 60;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void endlessRecursionThroughTheHostNeverCrashesTheJvm(PrologueVariant variant) throws Exception {
        Path output = temp.resolve("child.out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=" + temp.resolve("hs_err_%p.log"),
                "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("isthmus.wasmStack.size", "isthmus.alignment")) {
            String value = System.getProperty(property);
            if (value != null) command.add("-D" + property + "=" + value);
        }
        command.addAll(List.of(HostRecursionChild.class.getName(), variant.stackCheck().flag(),
                String.valueOf(variant.framePointer()), variant.tier().name()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail(variant + ": the child JVM did not finish in " + TIME_LIMIT_SECONDS + " s:\n" + tail(output));
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        if (child.exitValue() != 0) {
            fail(variant + ": the child JVM exited with " + child.exitValue() + crashReport() + "\noutput:\n"
                    + tail(output));
        }
        String tail = tail(output);
        assertTrue(lines.contains(HostRecursionChild.DONE), () -> variant + ": the child did not finish:\n" + tail);
        List<String> outcomes = lines.stream().filter(l -> l.startsWith(HostRecursionChild.OUTCOME)).toList();
        assertEquals(HostRecursionChild.JAVA_STACK_KIB.length * HostRecursionChild.CALLS_PER_STACK, outcomes.size(),
                () -> String.join("\n", lines));
        List<String> wrong = outcomes.stream()
                .filter(l -> !ACCEPTED.contains(l.substring(l.indexOf(' ', HostRecursionChild.OUTCOME.length()) + 1)))
                .toList();
        assertTrue(wrong.isEmpty(), () -> variant + ": calls that ended otherwise than " + ACCEPTED + ":\n"
                + String.join("\n", wrong));
    }

    /** The head of the child's hs_err file, if it wrote one. */
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
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }
}
