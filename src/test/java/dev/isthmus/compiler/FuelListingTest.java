package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.signal.ListingFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code fuel metering adds ({@code compiler.machine.FuelMetering}), pinned on the seed's ackermann at both tiers
 * (approved files {@code src/test/resources/compiler/variants/ackermann-*-fuel.listing}; re-bless with
 * {@code -Disthmus.bless=true}); without it the code is the code of the other options (the golden listings and
 * {@code MachineCodeDigestTest} pin that for every case).
 */
class FuelListingTest {
    private static WasmModule ackermann() throws Exception {
        return TestInstance.load(Files.readAllBytes(Path.of("examples/ackermann/ackermann.wasm")));
    }

    @TestFactory
    List<DynamicTest> ackermannWithFuel() throws Exception {
        WasmModule m = ackermann();
        List<DynamicTest> tests = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            String name = "ackermann-" + tier.name().toLowerCase(java.util.Locale.ROOT) + "-fuel";
            tests.add(DynamicTest.dynamicTest(name, () -> ListingFiles.assertApproved(
                    "compiler/variants/" + name + ".listing", PrologueVariantListingTest.listing(ModuleCompiler.compile(
                            m, PrologueVariantListingTest.options(tier, StackCheck.GUARD_PAGE, tier == Tier.BASELINE)
                                    .withFuel(true)), 0))));
        }
        return tests;
    }

    @Test
    void offIsTheCodeWithoutIt() throws Exception {
        WasmModule m = ackermann();
        for (Tier tier : Tier.values()) {
            var plain = PrologueVariantListingTest.options(tier, StackCheck.GUARD_PAGE, false);
            MachineCode off = ModuleCompiler.compile(m, plain.withFuel(true).withFuel(false));
            assertArrayEquals(ModuleCompiler.compile(m, plain).code(), off.code());
            MachineCode on = ModuleCompiler.compile(m, plain.withFuel(true));
            assertFalse(Arrays.equals(off.code(), on.code()));
            assertFalse(off.fuelMetered());
            assertTrue(on.fuelMetered());
        }
    }
}
