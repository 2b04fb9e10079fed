package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.WasmTrap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue #5, robustness: functions with large frames recursing without end ({@link LargeFrameModule}), in every
 * prologue variant. The frame sizes straddle the thresholds of {@link StackGeometry}: a page, a few pages, just
 * under and just over {@link StackGeometry#MAX_UNCHECKED_FRAME} (where explicit checks start comparing
 * {@code rsp - frame}), just over the {@link StackGeometry#GUARD} (a frame that could step over the guard page
 * entirely, as in {@code skip-stack-guard-page.wast}) and more than the whole window below the limit. Each must
 * compute right results when the recursion ends, trap "call stack exhausted" when it does not (three times in a
 * row), and never crash.
 */
class LargeFrameOverflowTest {
    /** Numbers of i64 locals: frames of about 8 bytes times these. */
    static final int[] LOCALS = {
        512,                                               // 4 KiB
        2_048,                                             // 16 KiB
        StackGeometry.MAX_UNCHECKED_FRAME / 8 - 64,        // just under MAX_UNCHECKED_FRAME
        StackGeometry.MAX_UNCHECKED_FRAME / 8 + 128,       // just over it
        StackGeometry.GUARD / 8 + 64,                      // more than the guard
        20_000,                                            // 160 KiB: more than header + guard + reserve
    };

    @TestFactory
    List<DynamicNode> largeFramesRecursing() {
        List<DynamicNode> variants = new ArrayList<>();
        for (PrologueVariant variant : PrologueVariant.all()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (int locals : LOCALS) {
                tests.add(DynamicTest.dynamicTest(locals + " i64 locals (" + locals * 8 / 1024 + " KiB)",
                        () -> recurse(variant, locals)));
            }
            variants.add(DynamicContainer.dynamicContainer(variant.toString(), tests));
        }
        return variants;
    }

    private static void recurse(PrologueVariant variant, int locals) {
        CompiledModule module = variant.engine().compile(LargeFrameModule.text(locals)
                .getBytes(StandardCharsets.UTF_8));
        try (Instance instance = module.instantiate()) {
            assertArrayEquals(new Object[] {LargeFrameModule.expected(locals, 3)}, instance.call("big", 3));
            for (int i = 0; i < 3; i++) {
                WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("big", -1));
                RecursionModule.assertExhaustion(trap, Set.of("big"));
            }
            assertArrayEquals(new Object[] {LargeFrameModule.expected(locals, 5)}, instance.call("big", 5));
        } finally {
            module.close();
        }
    }
}
