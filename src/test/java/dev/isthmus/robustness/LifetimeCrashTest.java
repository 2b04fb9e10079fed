package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #14, P0: lifetimes that cannot crash the JVM, and instances nobody closes. Each scenario of
 * {@link LifetimeChild} runs in a child JVM (a use-after-free of unmapped memory would end the process): closing an
 * instance while another thread calls it (a loop on globals, a loop on memory: 10,000 races; a bounded leaf entered
 * through a critical downcall: 3,000; and 2,000 with the trampoline's own fence in place of the process-wide
 * barrier), closing it from a host function
 * inside its own call, closing the module under live instances, closing an exporter before its importers, and
 * 20,000 instances never closed with a 4 GiB heap (their Cleaners must keep up: fault tables grow, reservations
 * retry after a GC).
 */
class LifetimeCrashTest {
    static final long TIME_LIMIT_SECONDS = 120;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"race spinGlobals 5000", "race spinMemory 5000", "race bumpMemory 3000",
            "fenced race spinGlobals 2000",
            "host-close", "module-close", "import-order", "no-close 20000"})
    void scenarioNeverCrashesTheJvm(String scenario) throws Exception {
        // "fenced": without membarrier, so the entry trampoline orders the call's store and the guard read itself
        boolean fenced = scenario.startsWith("fenced ");
        List<String> jvmArgs = fenced ? List.of("-Xmx4g", "-Disthmus.membarrier=false") : List.of("-Xmx4g");
        List<String> lines = ChildJvm.run(scenario, temp, jvmArgs, LifetimeChild.class,
                List.of(scenario.substring(fenced ? "fenced ".length() : 0).split(" ")), TIME_LIMIT_SECONDS);
        lines.stream().filter(l -> l.startsWith("result ")).forEach(System.out::println);
        assertTrue(lines.contains(LifetimeChild.DONE), () -> scenario + ": the child did not finish:\n" + lines);
    }
}
