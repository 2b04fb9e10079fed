package dev.isthmus.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmFrame;
import dev.isthmus.WasmTrap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;

/**
 * {@code src/test/resources/robustness/recursion.wat}: five kinds of recursion that never end, each of which must
 * trap "call stack exhausted", beside finite functions that must keep computing the right results afterwards.
 *
 * <pre>
 *   forever(n)    self recursion            fib(n)          two calls per level
 *   ping(n, x)    ping ⇄ pong               depth(n)        recursion n deep: 1 + ... + n
 *   viaTable(n)   through call_indirect     fibViaTable(n)  fib, reached through the table
 *   floats(x)     f64 state across calls
 *   tailA(n)      calls mixed with return_calls that shrink and grow the stack-argument area
 * </pre>
 */
final class RecursionModule {
    private RecursionModule() {
    }

    /** The kinds of endless recursion the module exports. */
    enum Runaway {
        SELF("forever", Set.of("forever"), 0),
        MUTUAL("ping", Set.of("ping", "pong"), 0, 1L),
        THROUGH_TABLE("viaTable", Set.of("viaTable"), 0),
        FLOATS("floats", Set.of("floats"), 0.5),
        TAIL_CALLS("tailA", Set.of("tailA", "tailB", "tailC", "tailD"), 0);

        final String export;
        final Set<String> recursiveFunctions;
        final Object[] args;

        Runaway(String export, Set<String> recursiveFunctions, Object... args) {
            this.export = export;
            this.recursiveFunctions = recursiveFunctions;
            this.args = args;
        }
    }

    /** The module's text, read from the test class path. */
    static byte[] text() {
        return resource("recursion.wat");
    }

    /** A resource under {@code /robustness/} on the test class path. */
    static byte[] resource(String name) {
        try (InputStream in = RecursionModule.class.getResourceAsStream("/robustness/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource /robustness/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module compiled in {@code variant}. */
    static CompiledModule compile(PrologueVariant variant) {
        return variant.engine().compile(text());
    }

    /**
     * Calls {@code runaway} and asserts that it traps with {@link TrapKind#CALL_STACK_EXHAUSTED} and a backtrace whose
     * frames are all the recursive functions, named.
     */
    static WasmTrap assertExhausts(Instance instance, Runaway runaway) {
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call(runaway.export, runaway.args),
                runaway.export + " returned");
        assertExhaustion(trap, runaway.recursiveFunctions);
        return trap;
    }

    /** Asserts that {@code trap} is a stack exhaustion with a non-empty backtrace of {@code recursive} functions. */
    static void assertExhaustion(WasmTrap trap, Set<String> recursive) {
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind(), trap::describe);
        assertFalse(trap.backtrace().isEmpty(), () -> "no backtrace: " + trap.describe());
        for (WasmFrame frame : trap.backtrace()) {
            Optional<String> name = frame.name();
            assertTrue(name.isPresent() && recursive.contains(name.get()),
                    () -> "frame " + frame + " is not one of " + recursive + ": " + trap.describe());
        }
    }

    /** Asserts that the finite functions compute the right results (direct, deep and indirect calls). */
    static void assertStillWorks(Instance instance) {
        assertArrayEquals(new Object[] {6765}, instance.call("fib", 20));
        assertArrayEquals(new Object[] {610}, instance.call("fibViaTable", 15));
        assertArrayEquals(new Object[] {12_502_500L}, instance.call("depth", 5_000));
    }
}
