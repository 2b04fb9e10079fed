package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, interruption: {@code Instance.interrupt()}, {@code Thread.interrupt()}, call timeouts, each scenario of
 * {@link InterruptChild} in a child JVM (an interrupt is a fault the signal shim turns into a trap).
 */
class InterruptTest {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"variants", "host", "thread", "timeout", "isolation", "cycles"})
    void scenario(String scenario) throws Exception {
        List<String> out = ChildJvm.run("interrupt " + scenario, work, List.of(), InterruptChild.class,
                List.of(scenario), 60);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("ok ")), () -> String.join("\n", out));
        assertTrue(out.stream().noneMatch(l -> l.startsWith("FAILED")), () -> String.join("\n", out));
        out.stream().filter(l -> l.startsWith("ok ")).forEach(System.out::println);
    }

    /**
     * The wast engine's watchdog (here after 1 s) interrupts a command that never ends: that command fails as timed
     * out, and the module keeps working for the next command.
     */
    @org.junit.jupiter.api.Test
    void wastWatchdogInterruptsAndTheModuleStaysUsable() throws Exception {
        List<String> out = ChildJvm.run("wast watchdog", work, List.of("-Disthmus.wast.timeoutSeconds=1"),
                WastWatchdogChild.class, List.of(), 60);
        String all = String.join("\n", out);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("command 4 FAILED") && l.contains("timed out")), all);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("command 5 PASSED")), all);
    }
}
