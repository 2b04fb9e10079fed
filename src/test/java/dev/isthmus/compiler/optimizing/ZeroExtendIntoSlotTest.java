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
 * A zero-extending move whose result is spilled must leave its source alone: it once zero-extended the source's
 * register in place before storing it ({@code mov r12d, r12d; mov [slot], r12}), so a parameter masked to its low
 * half ({@code i64.and 0xFFFFFFFF}, emitted as such a move) and used again later lost its upper half. The module is
 * the random expression ({@code RandomExpressionTest}) that found it, with the arguments it failed on; both tiers.
 */
class ZeroExtendIntoSlotTest {
    @Test
    void aSpilledZeroExtensionKeepsItsSource() throws Exception {
        byte[] wat = Files.readAllBytes(Path.of("src/test/resources/compiler/zero-extend-into-slot.wat"));
        Object[] args = {20778954226534L, -83622298242645580L, -531139L, 13346335940244L, -113254669L, 12811L,
                -307543537502644229L, 1954736695290L, -14040438756056467L};
        for (Tier tier : new Tier[] {Tier.BASELINE, Tier.OPTIMIZING}) {
            CompiledModule module = Isthmus.builder().tier(tier).build().compile(wat);
            try (Instance instance = module.instantiate()) {
                // (-531139 & 0xFFFFFFFF) ^ 3: the quotient reads the parameter's whole 64 bits after the mask
                assertEquals(4294436158L, instance.call("f", args)[0], tier.toString());
            }
        }
    }
}
