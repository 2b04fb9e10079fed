package dev.isthmus.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import dev.isthmus.text.Wat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A try_table costs nothing on the path that does not throw: the golden case {@code try-table-call.wat} has the same
 * function with and without a try_table around its call, and the baseline's code of the two is the same instruction
 * for instruction (the call's displacement aside) up to the end of the body; the try's landing pad comes after it,
 * out of line. The same holds for a legacy try, whose catch blocks the baseline compiles out of line. In both
 * tiers: the optimizing tier's landing blocks (one per covered call and clause) are placed after every block of the
 * path that does not throw, and the values they need were live across the call anyway.
 */
class ZeroCostTryTest {
    @ParameterizedTest
    @EnumSource(Tier.class)
    void tryTableAddsNoInstructionOnTheNonThrowingPath(Tier tier) throws Exception {
        MachineCode code = withIsWithoutThenMore("try-table-call", tier, "the landing pad follows the body");
        assertEquals(0, code.unwind(2).handlers().length);
        assertEquals(1, code.unwind(1).handlers()[2], "one try range with one clause");
        assertEquals(6, code.unwind(1).handlers().length, "one covered call");
    }

    /**
     * A legacy try costs nothing in the optimizing tier either (golden {@code legacy-try-call.wat}): its catch
     * block is reached from a landing block placed after the body.
     */
    @Test
    void legacyTryAddsNoInstructionInTheOptimizingTier() throws Exception {
        MachineCode code = withIsWithoutThenMore("legacy-try-call", Tier.OPTIMIZING, "the landing block follows the body");
        assertEquals(6, code.unwind(1).handlers().length, "one covered call, one clause");
    }

    /**
     * The same for a legacy try (golden {@code legacy-try-catches-call.wat}): its catch blocks are compiled out of line,
     * each after its landing pad, so the body falls through to the try's end with nothing to jump over — the code
     * of a block (frame size included).
     */
    @Test
    void legacyTryAddsNoInstructionOnTheNonThrowingPath() throws Exception {
        MachineCode code = withIsWithoutThenMore("legacy-try-catches-call", Tier.BASELINE, "the catch blocks follow the body");
        assertEquals(0, code.unwind(2).handlers().length);
        int[] handlers = code.unwind(1).handlers();
        assertEquals(2, handlers[2], "one try range with two clauses");
        assertEquals(3 + 2 * 3, handlers.length, "nothing around the try: no range names what handles next");
        int bodyEnd = handlers[1];
        assertTrue(handlers[5] >= bodyEnd && handlers[8] > handlers[5], "landing pads after the body, in order");
    }

    /**
     * Compiles golden case {@code name} at {@code tier} and checks that function 1 (with the try) is function 2
     * (without it) instruction for instruction, followed by more code ({@code what}: the out-of-line part).
     */
    private static MachineCode withIsWithoutThenMore(String name, Tier tier, String what) throws Exception {
        String wat = Files.readString(Path.of("src/test/resources/golden/" + name + ".wat"));
        WasmModule m = ModuleDecoder.decode(Wat.toBinary(wat));
        MachineCode code = ModuleCompiler.compile(m, PrologueVariantListingTest.options(tier, StackCheck.GUARD_PAGE, false));
        List<String> with = instructions(PrologueVariantListingTest.listing(code, 1));
        List<String> without = instructions(PrologueVariantListingTest.listing(code, 2));
        assertTrue(with.size() > without.size(), what);
        assertEquals(without, with.subList(0, without.size()));
        return code;
    }

    /** The instruction text of each line, the call's target (a displacement) left out. */
    private static List<String> instructions(String listing) {
        return listing.lines().map(l -> l.substring(l.indexOf("  ", 6)).strip())
                .map(t -> t.startsWith("call 0x") ? "call" : t).toList();
    }
}
