package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CodeAlignment;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.signal.ListingFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Precise-output listings of the seed's ackermann under every prologue variant: each {@link StackCheck} with and
 * without frame pointer in the optimizing tier, each {@link StackCheck} in the baseline tier (which always keeps
 * the frame pointer). Approved files under {@code src/test/resources/compiler/variants/}; re-bless with
 * {@code -Disthmus.bless=true}.
 */
class PrologueVariantListingTest {
    /** Options independent of the system properties a test run may set. */
    static CompilerOptions options(Tier tier, StackCheck check, boolean framePointer) {
        return new CompilerOptions(BoundsChecks.GUARD_PAGES, tier, check, framePointer, CodeAlignment.DEFAULT);
    }

    static String listing(MachineCode code, int function) throws Disassembler.UnavailableException {
        try (Disassembler d = Disassembler.open()) {
            return d.listing(code.functionCode(function), 0);
        }
    }

    @TestFactory
    List<DynamicTest> ackermannUnderEveryVariant() throws Exception {
        WasmModule m = TestInstance.load(Files.readAllBytes(Path.of("examples/ackermann/ackermann.wasm")));
        List<DynamicTest> tests = new ArrayList<>();
        for (StackCheck check : StackCheck.values()) {
            for (boolean fp : new boolean[] {true, false}) {
                String name = "ackermann-optimizing-" + check.flag() + (fp ? "-fp" : "-nofp");
                tests.add(DynamicTest.dynamicTest(name, () -> ListingFiles.assertApproved(
                        "compiler/variants/" + name + ".listing",
                        listing(ModuleCompiler.compile(m, options(Tier.OPTIMIZING, check, fp)), 0))));
            }
            String name = "ackermann-baseline-" + check.flag();
            tests.add(DynamicTest.dynamicTest(name, () -> ListingFiles.assertApproved(
                    "compiler/variants/" + name + ".listing",
                    listing(ModuleCompiler.compile(m, options(Tier.BASELINE, check, true)), 0))));
        }
        return tests;
    }
}
