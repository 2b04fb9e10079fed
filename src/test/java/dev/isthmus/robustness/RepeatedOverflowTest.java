package dev.isthmus.robustness;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.robustness.RecursionModule.Runaway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #5, robustness: endless recursion trapped 1,000 times in a row on one thread, in every prologue variant.
 * The kinds of {@link Runaway} take turns; every trap must be "call stack exhausted" with a backtrace naming
 * the recursive function, and the instance must keep computing right results between the traps and after a GC.
 */
class RepeatedOverflowTest {
    static final int OVERFLOWS = 1_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void thousandOverflowsInARowOnOneThread(PrologueVariant variant) {
        Runaway[] kinds = Runaway.values();
        CompiledModule module = RecursionModule.compile(variant);
        try (Instance instance = module.instantiate()) {
            RecursionModule.assertStillWorks(instance);
            for (int i = 0; i < OVERFLOWS; i++) {
                RecursionModule.assertExhausts(instance, kinds[i % kinds.length]);
                if (i % 100 == 99) RecursionModule.assertStillWorks(instance);
            }
            System.gc();
            RecursionModule.assertStillWorks(instance);
            RecursionModule.assertExhausts(instance, Runaway.SELF);
        } finally {
            module.close();
        }
        System.gc();
    }
}
