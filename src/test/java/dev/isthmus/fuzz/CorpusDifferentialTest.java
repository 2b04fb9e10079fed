package dev.isthmus.fuzz;

import dev.isthmus.Isthmus;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A committed binaryen-132 corpus against its reference outputs ({@link DifferentialTest#check}), one dynamic test
 * per module: at the optimizing tier, at the baseline tier and — unless a subclass says its corpus needs no second
 * bounds-check mode — at the optimizing tier with explicit bounds checks. A subclass names its corpus and adds the
 * checks of what the corpus must contain.
 */
abstract class CorpusDifferentialTest {
    /** The corpus ({@link FuzzCorpus#entries}). */
    abstract List<FuzzCorpus.Entry> corpus();

    /** Whether the corpus also runs with explicit bounds checks. */
    boolean withExplicitBoundsChecks() {
        return true;
    }

    @TestFactory
    Stream<DynamicTest> optimizing() {
        return run(CompilerOptions.DEFAULT);
    }

    @TestFactory
    Stream<DynamicTest> baseline() {
        return run(CompilerOptions.DEFAULT.withTier(Tier.BASELINE));
    }

    @TestFactory
    Stream<DynamicTest> optimizingWithExplicitBoundsChecks() {
        if (!withExplicitBoundsChecks()) return Stream.empty();
        return run(CompilerOptions.DEFAULT.withBoundsChecks(BoundsChecks.EXPLICIT));
    }

    private Stream<DynamicTest> run(CompilerOptions options) {
        DifferentialRun run = new DifferentialRun(Isthmus.builder().compilerOptions(options).build());
        return corpus().stream().map(entry -> DynamicTest.dynamicTest(entry.name(),
                () -> DifferentialTest.check(run, entry)));
    }
}
