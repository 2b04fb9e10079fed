package dev.isthmus.zydis;

import dev.isthmus.explore.Disassembler;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * How tests obtain a {@link Disassembler}: when Zydis is missing the test is skipped, except under {@code CI=true},
 * where a missing Zydis is a failure (so CI can never pass by silently skipping every encoding check).
 */
public final class ZydisSupport {
    private ZydisSupport() {
    }

    /** An open disassembler, or a skip (locally) / failure (CI) explaining why there is none. */
    public static Disassembler openOrSkip() {
        try {
            return Disassembler.open();
        } catch (Disassembler.UnavailableException e) {
            if ("true".equals(System.getenv("CI"))) {
                return Assertions.fail("CI=true and Zydis is unavailable: " + e.getMessage(), e);
            }
            Assumptions.abort("Zydis unavailable (install libzydis4.0): " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }
}
