package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.WasmTrap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #5, robustness: stack overflows across the host boundary, in every prologue variant.
 * <ul>
 *   <li>wasm calls a host function that calls wasm that recurses forever: the inner "call stack exhausted" trap
 *       surfaces — through the host function, unchanged, out of the outer call, as {@link dev.isthmus.HostFunction}
 *       promises for whatever a host function throws — or the host function catches it and the outer call returns
 *       normally; either way the instance keeps working;</li>
 *   <li>endless recursion calling a host function (or a runtime builtin, which runs Java code too) at every level:
 *       sooner or later a host exit happens close to the limit, and it must end in "call stack exhausted" (the
 *       host-exit check) rather than in host code running out of stack;</li>
 *   <li>a host function overflows the Java stack (endless Java recursion): its {@link StackOverflowError} becomes a
 *       "call stack exhausted" trap whose backtrace is the wasm frames below the host call (as
 *       {@code HostFunction} documents), and the instance keeps working, also on a thread with a small Java
 *       stack.</li>
 * </ul>
 * Endless recursion that alternates between wasm and Java, where either stack may run out first, is
 * {@link HostRecursionCrashTest} (in a child JVM, because it used to end the JVM).
 * Each runs with 0 and with thousands of wasm frames below the host call.
 */
class HostBoundaryOverflowTest {
    static final int[] WASM_DEPTHS = {0, 1_000, 5_000};

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void wasmOverflowInsideAHostCallSurfacesAsTheInnerTrap(PrologueVariant variant) {
        AtomicReference<WasmTrap> inner = new AtomicReference<>();
        try (HostBoundaryModule m = HostBoundaryModule.instantiate(variant, (instance, argument) -> {
            try {
                return (int) instance.call("forever", argument)[0];
            } catch (WasmTrap trap) {
                inner.set(trap);
                throw trap;
            }
        })) {
            for (int depth : WASM_DEPTHS) {
                for (int i = 0; i < 5; i++) {
                    inner.set(null);
                    WasmTrap outer = assertThrows(WasmTrap.class, () -> m.call("deepThenReenter", depth));
                    assertNotNull(inner.get(), "the inner call did not trap");
                    assertSame(inner.get(), outer, "the host function's exception is rethrown unchanged");
                    RecursionModule.assertExhaustion(outer, Set.of("forever"));
                    assertEquals(6765, m.call("fib", 20));
                }
            }
            System.gc();
            assertEquals(6765, m.call("fib", 20));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void hostCatchingTheInnerOverflowReturnsNormally(PrologueVariant variant) {
        try (HostBoundaryModule m = HostBoundaryModule.instantiate(variant, (instance, argument) -> {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("forever", argument));
            RecursionModule.assertExhaustion(trap, Set.of("forever"));
            return 7;
        })) {
            for (int depth : WASM_DEPTHS) {
                for (int i = 0; i < 5; i++) assertEquals(7 + depth, m.call("deepThenReenter", depth));
            }
            System.gc();
            assertEquals(6765, m.call("fib", 20));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void hostExitsNearTheLimitTrapInsteadOfRunningOutOfStack(PrologueVariant variant) {
        try (HostBoundaryModule m = HostBoundaryModule.instantiate(variant, (instance, argument) -> argument)) {
            for (int i = 0; i < 20; i++) {
                long before = m.observed();
                WasmTrap trap = assertThrows(WasmTrap.class, () -> m.call("hostEveryLevel", 0));
                RecursionModule.assertExhaustion(trap, Set.of("hostEveryLevel"));
                assertTrue(m.observed() - before > 1_000, "the host function ran at the levels before the limit");
                trap = assertThrows(WasmTrap.class, () -> m.call("builtinEveryLevel", 0));
                RecursionModule.assertExhaustion(trap, Set.of("builtinEveryLevel"));
                assertEquals(6765, m.call("fib", 20));
            }
            System.gc();
            assertEquals(6765, m.call("fib", 20));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.isthmus.robustness.PrologueVariant#all")
    void hostOverflowingTheJavaStackLeavesTheInstanceUsable(PrologueVariant variant) throws Exception {
        try (HostBoundaryModule m = HostBoundaryModule.instantiate(variant, (instance, argument) -> argument)) {
            Runnable overflowThenWork = () -> {
                for (int depth : WASM_DEPTHS) {
                    for (int i = 0; i < 3; i++) {
                        WasmTrap trap = assertThrows(WasmTrap.class, () -> m.call("deepThenJavaOverflow", depth));
                        RecursionModule.assertExhaustion(trap, Set.of("deepThenJavaOverflow"));
                        assertEquals(6765, m.call("fib", 20));
                        assertEquals(depth, m.call("deepThenReenter", depth));
                    }
                }
            };
            overflowThenWork.run();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread small = Thread.ofPlatform().stackSize(512 << 10).start(() -> {
                try {
                    overflowThenWork.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            small.join();
            if (failure.get() != null) throw new AssertionError("on a thread with a 512 KiB Java stack", failure.get());
            System.gc();
            assertEquals(6765, m.call("fib", 20));
        }
    }
}
