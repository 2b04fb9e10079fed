package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Imports;
import dev.isthmus.options.Compilation;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The direct entry of exported functions with scalar signatures ({@code runtime.stack.TrampolineEmitter}'s
 * {@code enterDirect}: arguments in registers, no value buffer, no adapter; a critical downcall for bounded leaves, an
 * ordinary one for everything else). A platform thread's first call into wasm takes the ordinary path (it does
 * not know its context yet); every later call takes the direct entry, so each check here runs on a fresh thread and
 * repeats its call: the first and the later calls must agree. Covered: integer arguments in every register the entry
 * moves (six, two of them from the caller's stack), floats beside them, seven integers (the ordinary path), i32
 * results with garbage above bit 31 in rax, traps by signal and by explicit check with their backtraces, a leaf
 * entered from inside a host function (a nested entry), functions that are not leaves (calls, loops, host calls, a
 * wasm exception leaving the call, lazily compiled callees), virtual threads and a closed instance.
 */
class DirectEntryTest {
    private static final String WAT = """
            (module
              (import "env" "nested" (func $nested (param i32) (result i32)))
              (memory (export "memory") 1)
              (func $six (export "six") (param i32 i64 i32 i64 i32 i64) (result i64)
                (i64.add (i64.add (i64.add (i64.extend_i32_u (local.get 0)) (i64.mul (local.get 1) (i64.const 3)))
                                  (i64.add (i64.extend_i32_u (local.get 2)) (i64.mul (local.get 3) (i64.const 5))))
                         (i64.add (i64.extend_i32_u (local.get 4)) (i64.mul (local.get 5) (i64.const 7)))))
              (func (export "sixAndFloats") (param i32 f64 i32 f32 i32 i32 i32 i32) (result f64)
                (f64.add (f64.add (f64.convert_i32_s (i32.sub (local.get 0) (local.get 7)))
                                  (f64.mul (local.get 1) (f64.promote_f32 (local.get 3))))
                         (f64.convert_i32_s (i32.add (local.get 2) (i32.add (local.get 4) (local.get 5))))))
              (func (export "lastOfSix") (param i32 i32 i32 i32 i32 i32) (result i32) (local.get 5))
              (func (export "seven") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
                (i32.sub (local.get 6) (local.get 0)))
              (func (export "high") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
              (func (export "f32") (param f32 f32) (result f32) (f32.sub (local.get 0) (local.get 1)))
              (func (export "none") (result i32) (i32.const 42))
              (func $divide (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func $load (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "unreachable") (unreachable))
              (func (export "viaHost") (param i32) (result i32) (call $nested (local.get 0)))
              (tag $oops (param i32))
              (func (export "sumTo") (param i32) (result i64)
                (local $s i64)
                (block $done
                  (loop $next
                    (br_if $done (i32.eqz (local.get 0)))
                    (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (local.get 0))))
                    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                    (br $next)))
                (local.get $s))
              (func (export "sixViaCall") (param i32 i64 i32 i64 i32 i64) (result i64)
                (call $six (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))
              (func (export "divideViaCall") (param f64 i32 i32) (result f64)
                (f64.add (local.get 0) (f64.convert_i32_s (call $divide (local.get 1) (local.get 2)))))
              (func (export "throws") (param i32) (result i32)
                (if (local.get 0) (then (throw $oops (local.get 0))))
                (i32.const 7)))
            """;

    /** The instance the host function {@code nested} calls back into (a leaf, from inside a call). */
    private static final AtomicReference<MethodHandle> NESTED_TARGET = new AtomicReference<>();

    static int nested(int x) throws Throwable {
        return (int) NESTED_TARGET.get().invokeExact(60, x) + 1;
    }

    private static Instance instance() throws ReflectiveOperationException {
        return instance("EAGER");
    }

    private static Instance instance(String compilation) throws ReflectiveOperationException {
        Imports imports = Imports.builder()
                .function("env", "nested", MethodHandles.lookup().findStatic(DirectEntryTest.class, "nested",
                        MethodType.methodType(int.class, int.class)))
                .build();
        return Isthmus.builder().compilation(Compilation.valueOf(compilation)).build()
                .compile(WAT.getBytes(StandardCharsets.UTF_8)).instantiate(imports);
    }

    /** Runs {@code body} twice on a fresh platform thread (first call: ordinary path; second: direct entry). */
    private static <T> List<T> twiceOnAFreshThread(ThrowingSupplier<T> body) throws Throwable {
        List<T> results = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                results.add(body.get());
                results.add(body.get());
                results.add(body.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        if (failure.get() != null) throw failure.get();
        return results;
    }

    interface ThrowingSupplier<T> {
        T get() throws Throwable;
    }

    @Test
    void integerArgumentsInEveryRegisterTheEntryMoves() throws Throwable {
        try (Instance instance = instance()) {
            MethodHandle six = instance.function("six");
            long expected = 0xFFFF_FFFFL + 3L * Long.MIN_VALUE + 7 + 5 * -11L + 0x8000_0000L + 7 * 0x1234_5678_9ABCL;
            for (long r : twiceOnAFreshThread(() -> (long) six.invokeExact(-1, Long.MIN_VALUE, 7, -11L,
                    Integer.MIN_VALUE, 0x1234_5678_9ABCL))) {
                assertEquals(expected, r);
            }
            MethodHandle lastOfSix = instance.function("lastOfSix");
            for (int r : twiceOnAFreshThread(() -> (int) lastOfSix.invokeExact(1, 2, 3, 4, 5, -6))) {
                assertEquals(-6, r);
            }
            MethodHandle seven = instance.function("seven");            // seven integers: the ordinary path
            for (int r : twiceOnAFreshThread(() -> (int) seven.invokeExact(10, 0, 0, 0, 0, 0, 3))) {
                assertEquals(-7, r);
            }
        }
    }

    @Test
    void floatsBesideIntegersAndEveryResultKind() throws Throwable {
        try (Instance instance = instance()) {
            MethodHandle mixed = instance.function("sixAndFloats");
            for (double r : twiceOnAFreshThread(() -> (double) mixed.invokeExact(100, 1.5, 20, 4.0f, 3, 2, 9, 1))) {
                assertEquals(99 + 6.0 + 25, r);
            }
            MethodHandle high = instance.function("high");
            for (int r : twiceOnAFreshThread(() -> (int) high.invokeExact(0x7777_7777_8000_0001L))) {
                assertEquals(0x8000_0001, r);
            }
            MethodHandle f32 = instance.function("f32");
            for (float r : twiceOnAFreshThread(() -> (float) f32.invokeExact(1.5f, 0.25f))) {
                assertEquals(1.25f, r);
            }
            float signaling = Float.intBitsToFloat(0x7FA0_0001);
            for (float r : twiceOnAFreshThread(() -> (float) f32.invokeExact(signaling, 0.0f))) {
                assertTrue(Float.isNaN(r));
            }
            MethodHandle none = instance.function("none");
            for (int r : twiceOnAFreshThread(() -> (int) none.invokeExact())) {
                assertEquals(42, r);
            }
        }
    }

    @Test
    void trapsLeaveThroughTheRecoveryWithTheirBacktrace() throws Throwable {
        try (Instance instance = instance()) {
            MethodHandle divide = instance.function("divide");
            MethodHandle load = instance.function("load");
            MethodHandle unreachable = instance.function("unreachable");
            List<String> outcomes = twiceOnAFreshThread(() -> {
                StringBuilder seen = new StringBuilder();
                WasmTrap byZero = assertThrows(WasmTrap.class, () -> {
                    int ignored = (int) divide.invokeExact(1, 0);
                });
                seen.append(byZero.kind()).append(' ').append(byZero.backtrace().getFirst().name().orElseThrow());
                WasmTrap overflow = assertThrows(WasmTrap.class, () -> {
                    int ignored = (int) divide.invokeExact(Integer.MIN_VALUE, -1);
                });
                seen.append(' ').append(overflow.kind());
                WasmTrap outOfBounds = assertThrows(WasmTrap.class, () -> {
                    int ignored = (int) load.invokeExact(65535);
                });
                seen.append(' ').append(outOfBounds.kind()).append(' ')
                        .append(outOfBounds.backtrace().getFirst().name().orElseThrow());
                WasmTrap reached = assertThrows(WasmTrap.class, () -> {
                    unreachable.invokeExact();
                });
                seen.append(' ').append(reached.kind());
                seen.append(' ').append((int) divide.invokeExact(-9, 2));  // usable after the traps
                return seen.toString();
            });
            String expected = TrapKind.INTEGER_DIVIDE_BY_ZERO + " divide " + TrapKind.INTEGER_OVERFLOW + " "
                    + TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS + " load " + TrapKind.UNREACHABLE + " -4";
            assertEquals(List.of(expected, expected, expected), outcomes);
        }
    }

    @Test
    void aLeafEnteredFromInsideAHostFunction() throws Throwable {
        try (Instance instance = instance()) {
            NESTED_TARGET.set(instance.function("divide"));
            MethodHandle viaHost = instance.function("viaHost");
            for (int r : twiceOnAFreshThread(() -> (int) viaHost.invokeExact(3))) {
                assertEquals(21, r);                                  // 60 / 3 + 1
            }
            // a trap in the nested leaf reaches the host function, which lets it go: the outer call fails with it
            List<String> outcomes = twiceOnAFreshThread(() -> {
                WasmTrap trap = assertThrows(WasmTrap.class, () -> {
                    int ignored = (int) viaHost.invokeExact(0);
                });
                return trap.kind() + " " + (int) viaHost.invokeExact(6);   // 60 / 6 + 1
            });
            assertEquals(List.of("INTEGER_DIVIDE_BY_ZERO 11", "INTEGER_DIVIDE_BY_ZERO 11", "INTEGER_DIVIDE_BY_ZERO 11"),
                    outcomes);
        }
    }

    @Test
    void functionsThatAreNotLeaves() throws Throwable {
        for (String compilation : new String[] {"EAGER", "LAZY", "TIERED"}) {
            try (Instance instance = instance(compilation)) {
                MethodHandle sumTo = instance.function("sumTo");
                for (long r : twiceOnAFreshThread(() -> (long) sumTo.invokeExact(100_000))) {
                    assertEquals(5_000_050_000L, r, compilation);
                }
                MethodHandle sixViaCall = instance.function("sixViaCall");
                for (long r : twiceOnAFreshThread(() -> (long) sixViaCall.invokeExact(1, 2L, 3, 4L, 5, 6L))) {
                    assertEquals(1 + 6 + 3 + 20 + 5 + 42, r, compilation);
                }
                MethodHandle divideViaCall = instance.function("divideViaCall");
                for (double r : twiceOnAFreshThread(() -> (double) divideViaCall.invokeExact(0.5, 9, 2))) {
                    assertEquals(4.5, r, compilation);
                }
                List<String> traps = twiceOnAFreshThread(() -> {
                    WasmTrap trap = assertThrows(WasmTrap.class, () -> {
                        double ignored = (double) divideViaCall.invokeExact(0.5, 9, 0);
                    });
                    return trap.kind() + " " + trap.backtrace().stream()
                            .map(f -> f.name().orElse("?")).toList();
                });
                assertEquals("INTEGER_DIVIDE_BY_ZERO [divide, divideViaCall]", traps.getFirst(), compilation);
                assertEquals(List.of(traps.getFirst(), traps.getFirst(), traps.getFirst()), traps, compilation);
                MethodHandle throwsTag = instance.function("throws");
                List<String> thrown = twiceOnAFreshThread(() -> {
                    RuntimeException e = assertThrows(RuntimeException.class, () -> {
                        int ignored = (int) throwsTag.invokeExact(5);
                    });
                    return e.getClass().getSimpleName() + " " + (int) throwsTag.invokeExact(0);
                });
                assertEquals(List.of(thrown.getFirst(), thrown.getFirst(), thrown.getFirst()), thrown, compilation);
                assertTrue(thrown.getFirst().endsWith(" 7"), thrown.getFirst());
            }
        }
    }

    @Test
    void virtualThreadsTakeTheOrdinaryPathAndAgree() throws Throwable {
        try (Instance instance = instance()) {
            MethodHandle six = instance.function("lastOfSix");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int k = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 1000; i++) {
                            int r = (int) six.invokeExact(0, 0, 0, 0, 0, k * 1000 + i);
                            if (r != k * 1000 + i) throw new AssertionError(r + " != " + (k * 1000 + i));
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            for (Thread thread : threads) thread.join();
            if (failure.get() != null) throw failure.get();
        }
    }

    @Test
    void aClosedInstanceRefusesTheDirectEntry() throws Throwable {
        Instance instance = instance();
        MethodHandle divide = instance.function("divide");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                assertEquals(5, (int) divide.invokeExact(10, 2));         // ordinary path
                assertEquals(5, (int) divide.invokeExact(10, 2));         // direct entry
                instance.close();
                IllegalStateException closed = assertThrows(IllegalStateException.class, () -> {
                    int ignored = (int) divide.invokeExact(10, 2);
                });
                assertEquals("instance is closed", closed.getMessage());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        if (failure.get() != null) throw failure.get();
    }
}
