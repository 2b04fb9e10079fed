package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
        List<String> jvmArgs = new ArrayList<>();
        for (String property : List.of("isthmus.wasmStack.size", "isthmus.alignment")) {
            String value = System.getProperty(property);
            if (value != null) jvmArgs.add("-D" + property + "=" + value);
        }
        List<String> lines = ChildJvm.run(variant.toString(), temp, jvmArgs, HostRecursionChild.class,
                List.of(variant.stackCheck().flag(), String.valueOf(variant.framePointer()), variant.tier().name()),
                TIME_LIMIT_SECONDS);
        assertTrue(lines.contains(HostRecursionChild.DONE), () -> variant + ": the child did not finish:\n"
                + String.join("\n", lines));
        List<String> outcomes = lines.stream().filter(l -> l.startsWith(HostRecursionChild.OUTCOME)).toList();
        assertEquals(HostRecursionChild.JAVA_STACK_KIB.length * HostRecursionChild.CALLS_PER_STACK, outcomes.size(),
                () -> String.join("\n", lines));
        List<String> wrong = outcomes.stream()
                .filter(l -> !ACCEPTED.contains(l.substring(l.indexOf(' ', HostRecursionChild.OUTCOME.length()) + 1)))
                .toList();
        assertTrue(wrong.isEmpty(), () -> variant + ": calls that ended otherwise than " + ACCEPTED + ":\n"
                + String.join("\n", wrong));
    }
}
