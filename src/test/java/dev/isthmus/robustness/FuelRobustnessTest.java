package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fuel's slow path under stress, each scenario of {@link FuelChild} in a child JVM, at both tiers. */
class FuelRobustnessTest {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"errors", "deep", "interrupt", "threads"})
    void scenario(String scenario) throws Exception {
        List<String> out = ChildJvm.run("fuel " + scenario, work, List.of(), FuelChild.class, List.of(scenario), 120);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("ok ")), () -> String.join("\n", out));
        assertTrue(out.stream().noneMatch(l -> l.startsWith("FAILED")), () -> String.join("\n", out));
        out.stream().filter(l -> l.startsWith("ok ")).forEach(System.out::println);
    }
}
