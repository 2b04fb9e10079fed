package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue #15: the lazy-compilation stub and the tier-up stub are host exits like any other, so a stack that runs
 * out while they run, a critical entry into a function without code yet, and an interruption of lazily compiled
 * code must end as they do in eager code, never with a dead JVM. Runs {@link LazyCompilationChild} in a child JVM
 * per mode (TIERED with budget 0 requests a tier-up at every first entry, so tier-up calls run at every depth).
 */
class LazyCompilationCrashTest {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} budget {1}")
    @CsvSource({"lazy,0", "tiered,0", "tiered,7"})
    void stubsAtTheStacksLimitCriticalEntriesAndInterruptsAreSafe(String mode, int budget) throws Exception {
        List<String> lines = ChildJvm.run(mode + " " + budget, temp, List.of(), LazyCompilationChild.class,
                List.of(mode, String.valueOf(budget)), 120);
        List<String> expected = new ArrayList<>();
        for (int locals : LazyCompilationChild.LOCALS) {
            for (int i = 0; i < 2; i++) expected.add("chain " + locals + " trap:CALL_STACK_EXHAUSTED");
        }
        expected.add("leaf 42");
        expected.add("interrupt trap:INTERRUPTED");
        List<String> outcomes = lines.stream().filter(l -> l.startsWith(LazyCompilationChild.OUTCOME))
                .map(l -> l.substring(LazyCompilationChild.OUTCOME.length())).toList();
        assertEquals(expected, outcomes, () -> String.join("\n", lines));
        assertEquals(LazyCompilationChild.DONE, lines.getLast());
    }
}
