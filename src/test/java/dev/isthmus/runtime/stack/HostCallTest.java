package dev.isthmus.runtime.stack;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * wasm → Java host function → (wasm again): the bridge runs the upcall on the Java stack, nested entries continue
 * below the caller's wasm frames, and traps in a nested entry unwind only that entry.
 */
class HostCallTest {
    private static final FunctionDescriptor HOST = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG);
    private static final TestFunctions FUNCTIONS = TestFunctions.get();
    private static final long ARITHMETIC = upcall("arithmetic");
    private static final long COLLECT_GARBAGE = upcall("collectGarbage");
    private static final long REENTER = upcall("reenter");
    private static final long TRAP_INSIDE = upcall("trapInside");
    private static final long RECURSE_THROUGH_HOST = upcall("recurseThroughHost");
    private static final long JAVA_TROUBLE = upcall("javaTrouble");
    private static final long ENDLESS_THROUGH_HOST = upcall("endlessThroughHost");
    /** What {@link #endlessThroughHost} returns when something other than the expected trap ended a level. */
    private static final long WRONG = -1_000_000_000L;

    @Test
    void hostFunctionGetsArgumentsAndReturnsAValue() {
        assertEquals(3 * 10 + 4 + 5 * 100 + 3, WasmCall.invoke(FUNCTIONS.callHost, 3, 4, 5, ARITHMETIC));
    }

    @Test
    void garbageCollectionInsideAHostFunction() {
        for (int i = 0; i < 5; i++) {
            assertEquals(1000 + i, WasmCall.invoke(FUNCTIONS.callHost, i, 0, 0, COLLECT_GARBAGE));
        }
    }

    @Test
    void hostFunctionCallsWasmAgain() {
        // host: weightedSum(a, b, 0, 0) on the same wasm stack, below the outer frames
        assertEquals(6 + 2 * 7 + 6, WasmCall.invoke(FUNCTIONS.callHost, 6, 7, 0, REENTER));
    }

    @Test
    void trapInANestedEntryUnwindsOnlyThatEntry() {
        for (int i = 0; i < 50; i++) {
            assertEquals(77 + i, WasmCall.invoke(FUNCTIONS.callHost, i, 0, 0, TRAP_INSIDE));
        }
    }

    @Test
    void deepAlternationOfWasmAndHostFrames() {
        // callHost(n) → host(n) → callHost(n-1) → ... : each level adds n (from rbx) + 1 (in the host)
        int depth = 40;
        long expected = 0;
        for (int n = 1; n <= depth; n++) {
            expected += n + 1;
        }
        assertEquals(expected, WasmCall.invoke(FUNCTIONS.callHost, depth, 0, 0, RECURSE_THROUGH_HOST));
    }

    @Test
    void endlessRecursionThroughTheHostTrapsBeforeTheJavaStackRunsOut() throws Exception {
        // wasm → Java → wasm → ... grows the Java stack by an upcall per level; with a small Java stack it runs out
        // long before the wasm stack: the bridge refuses the next upcall ("call stack exhausted"), never letting a
        // StackOverflowError hit the JVM's upcall machinery (which would end the process)
        for (long javaStack : new long[] {256 << 10, 1 << 20}) {
            long[] depth = new long[1];
            Thread thread = Thread.ofPlatform().stackSize(javaStack).start(() ->
                    depth[0] = WasmCall.invoke(FUNCTIONS.callHost, 1, 0, 0, ENDLESS_THROUGH_HOST));
            thread.join();
            assertTrue(depth[0] > 10, "levels before the trap: " + depth[0]);
        }
    }

    @Test
    void javaExceptionsAndStackOverflowCaughtInsideTheHost() {
        assertEquals(2 + 2, WasmCall.invoke(FUNCTIONS.callHost, 2, 0, 0, JAVA_TROUBLE));
    }

    // ---- host functions: (a, b, c, d) → long; none lets an exception escape (that would end the VM)

    static long arithmetic(long a, long b, long c, long d) {
        return a * 10 + b + c * 100 + d;
    }

    static long collectGarbage(long a, long b, long c, long d) {
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            garbage.add(new byte[1024]);
        }
        System.gc();
        return garbage.size();
    }

    static long reenter(long a, long b, long c, long d) {
        return WasmCall.invoke(FUNCTIONS.weightedSum, a, b, 0, 0);
    }

    static long trapInside(long a, long b, long c, long d) {
        try {
            WasmCall.invoke(FUNCTIONS.recurseForever);
            return -1;
        } catch (TrapException trap) {
            return trap.kind() == TrapCode.CALL_STACK_EXHAUSTED ? 77 : -2;
        }
    }

    static long recurseThroughHost(long n, long b, long c, long d) {
        if (n == 0) {
            return 0;
        }
        return WasmCall.invoke(FUNCTIONS.callHost, n - 1, 0, 0, RECURSE_THROUGH_HOST) + 1;
    }

    /** Calls callHost(1, ..., itself) until a level traps; returns the number of levels (callHost adds 1 each). */
    static long endlessThroughHost(long a, long b, long c, long d) {
        try {
            return WasmCall.invoke(FUNCTIONS.callHost, 1, 0, 0, ENDLESS_THROUGH_HOST);
        } catch (TrapException trap) {
            return trap.kind() == TrapCode.CALL_STACK_EXHAUSTED ? 0 : WRONG;
        } catch (Throwable t) {
            return WRONG;
        }
    }

    static long javaTrouble(long a, long b, long c, long d) {
        long caught = 0;
        try {
            Object nothing = null;
            nothing.hashCode();
        } catch (NullPointerException expected) {
            caught++;
        }
        try {
            deep(0);
        } catch (StackOverflowError expected) {
            caught++;
        }
        return caught;
    }

    private static long deep(long n) {
        return deep(n + 1) + 1;
    }

    private static long upcall(String name) {
        try {
            var handle = MethodHandles.lookup().findStatic(HostCallTest.class, name,
                    MethodType.methodType(long.class, long.class, long.class, long.class, long.class));
            long address = Linker.nativeLinker().upcallStub(handle, HOST, Arena.global()).address();
            assertTrue(address != 0);
            return address;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
