package dev.isthmus.compiler.optimizing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.options.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A test of a value that an instruction just computed may be dropped when that instruction set the zero flag for
 * it; an add emitted as {@code lea} sets none. Both tiers on sums that are zero and not, with the flags before the
 * add saying the opposite (golden: {@code add-three-operand-branch}).
 */
class FlagsReuseTest {
    @Test
    void aBranchOnASumEmittedAsLeaTestsTheSum() throws Exception {
        byte[] wat = Files.readAllBytes(Path.of("src/test/resources/golden/add-three-operand-branch.wat"));
        int[][] args32 = {{1, -1, 0}, {1, 2, 0}, {0, 0, 0}, {5, -5, 7}, {-3, 2, 1}, {Integer.MIN_VALUE, Integer.MIN_VALUE, 0}};
        long[][] args64 = {{1, -1}, {1, 2}, {0, 0}, {Long.MIN_VALUE, Long.MIN_VALUE}, {-9, 4}};
        Object[] expected = new Object[args32.length + args64.length];
        for (Tier tier : new Tier[] {Tier.BASELINE, Tier.OPTIMIZING}) {
            CompiledModule module = Isthmus.builder().tier(tier).build().compile(wat);
            try (Instance instance = module.instantiate()) {
                int k = 0;
                for (int[] a : args32) {
                    Object got = instance.call("sum_branch", a[0], a[1], a[2])[0];
                    int sum = a[0] + a[1];
                    assertEquals(sum != 0 ? 1000 : 2 * sum, got, tier + " sum_branch" + java.util.Arrays.toString(a));
                    if (tier == Tier.BASELINE) expected[k] = got;
                    else assertEquals(expected[k], got);
                    k++;
                }
                for (long[] a : args64) {
                    Object got = instance.call("sum_branch64", a[0], a[1])[0];
                    long sum = a[0] + a[1];
                    assertEquals(sum == 0 ? 7L : sum * sum, got, tier + " sum_branch64" + java.util.Arrays.toString(a));
                }
            }
        }
    }
}
