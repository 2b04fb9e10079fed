package dev.isthmus.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.CompiledModule;
import dev.isthmus.HostException;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.TrapKind;
import dev.isthmus.UninstantiableException;
import dev.isthmus.WasmTrap;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.options.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fuel metering ({@link Isthmus.Builder#consumeFuel}): exact counts for hand-computed programs, the same counts and
 * the same trap points with both tiers, refill and resume, the handler's exceptions, and programs that would run for
 * ever.
 */
class FuelTest {
    private static final long BIG = 1L << 40;

    /** sum(n) = 0 + 1 + ... + (n-1) with a loop: costs 13n + 5 (see {@link #loopCostIsExact}). */
    private static final String SUM = """
            (module
              (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
                (block $done
                  (loop $l
                    (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
                    (local.set $s (i32.add (local.get $s) (local.get $i)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $l)))
                (local.get $s)))
            """;

    /** Recursive fib: costs C(n) = 4 + (n < 2 ? 1 : 9 + C(n-1) + C(n-2)). */
    private static final String FIB = """
            (module
              (func $fib (export "fib") (param i32) (result i32)
                (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
                  (then (local.get 0))
                  (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                 (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
            """;

    /** A mix: br_table, if/else, calls, memory, a trap (division by zero for x = 7). */
    private static final String MIX = """
            (module
              (memory 1)
              (func $pick (param i32) (result i32)
                (block $d (block $c (block $b (block $a
                  (br_table $a $b $c $d (i32.rem_u (local.get 0) (i32.const 4))))
                  (return (i32.const 10)))
                  (return (i32.const 20)))
                  (return (i32.const 30)))
                (i32.const 40))
              (func (export "mix") (param $x i32) (result i32) (local $i i32) (local $acc i32)
                (loop $l
                  (if (i32.and (local.get $i) (i32.const 1))
                    (then (local.set $acc (i32.add (local.get $acc) (call $pick (local.get $i)))))
                    (else (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (local.get $i)))))
                  (local.set $acc (i32.add (local.get $acc)
                      (i32.div_s (i32.const 100) (i32.sub (local.get $x) (i32.const 7)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $x))))
                (i32.add (local.get $acc) (i32.load (i32.const 16)))))
            """;

    private static final String FOREVER = """
            (module
              (func (export "loop") (loop $l (br $l)))
              (func $r (export "recurse") (call $r)))
            """;

    private static Isthmus engine(Tier tier) {
        return Isthmus.builder().tier(tier).consumeFuel(true).build();
    }

    /** Compiles at {@code tier}; at the optimizing tier, every function must be compiled by it (no fallback). */
    private static CompiledModule compile(Tier tier, String wat) {
        long[] before = OptimizingCompiler.statistics();
        CompiledModule module = engine(tier).compile(wat.getBytes(UTF_8));
        long[] after = OptimizingCompiler.statistics();
        if (tier == Tier.OPTIMIZING) {
            assertEquals(before[1], after[1], "the optimizing tier declined (or failed on) a function");
        }
        return module;
    }

    /** Runs {@code name(args)} with a big budget; returns {result or trap kind, fuel consumed}. */
    private static Object[] consumed(Tier tier, String wat, String name, Object... args) {
        try (Instance instance = compile(tier, wat).instantiate()) {
            instance.setFuel(BIG);
            Object result;
            try {
                result = instance.call(name, args)[0];
            } catch (WasmTrap trap) {
                result = trap.kind();
            }
            return new Object[] {result, BIG - instance.fuel()};
        }
    }

    private static long fibCost(int n) {
        return 4 + (n < 2 ? 1 : 9 + fibCost(n - 1) + fibCost(n - 2));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void loopCostIsExact(Tier tier) {
        // entry [block, loop] 0; header [get, get, ge_s, br_if] 4 per test; body 9 per iteration; exit [get] 1
        for (int n : new int[] {0, 1, 10, 1000}) {
            assertArrayEquals(new Object[] {n * (n - 1) / 2, 13L * n + 5}, consumed(tier, SUM, "sum", n));
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void recursionCostIsExact(Tier tier) {
        assertArrayEquals(new Object[] {55, fibCost(10)}, consumed(tier, FIB, "fib", 10));
        assertArrayEquals(new Object[] {1, 5L}, consumed(tier, FIB, "fib", 1));
    }

    /** Ifs whose later runs are charged ahead: a call that returns is charged exactly what it ran. */
    private static final String IFS = """
            (module
              (func (export "arms") (param i32) (result i32)
                (if (result i32) (local.get 0)
                  (then (i32.const 1))
                  (else (i32.add (i32.const 2) (i32.const 3))))
                (i32.add (i32.const 10)))
              (func (export "out") (param i32) (result i32)
                (block (result i32)
                  (if (result i32) (local.get 0)
                    (then (br 1 (i32.const 5)))
                    (else (i32.const 2)))
                  (i32.add (i32.const 1))))
              (func (export "bare") (param i32) (result i32)
                (if (local.get 0) (then (nop) (drop (i32.const 1))))
                (i32.const 7)))
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void ifsAreChargedExactly(Tier tier) {
        // arms: get, if + then [const] or else [const, const, add] + const, add
        assertArrayEquals(new Object[] {11, 5L}, consumed(tier, IFS, "arms", 1));
        assertArrayEquals(new Object[] {15, 7L}, consumed(tier, IFS, "arms", 0));
        // out: a branch leaves the then arm (nothing after the if is charged ahead): get, if, const, br
        assertArrayEquals(new Object[] {5, 4L}, consumed(tier, IFS, "out", 1));
        assertArrayEquals(new Object[] {3, 5L}, consumed(tier, IFS, "out", 0));
        // bare: no else; nop and drop cost nothing
        assertArrayEquals(new Object[] {7, 4L}, consumed(tier, IFS, "bare", 1));
        assertArrayEquals(new Object[] {7, 3L}, consumed(tier, IFS, "bare", 0));
    }

    @Test
    void bothTiersConsumeTheSame() {
        for (int x = 0; x < 12; x++) {
            assertArrayEquals(consumed(Tier.BASELINE, MIX, "mix", x), consumed(Tier.OPTIMIZING, MIX, "mix", x),
                    "mix(" + x + ")");
        }
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, consumed(Tier.OPTIMIZING, MIX, "mix", 7)[0]);
        for (int n = 0; n < 15; n++) {
            assertArrayEquals(consumed(Tier.BASELINE, FIB, "fib", n), consumed(Tier.OPTIMIZING, FIB, "fib", n));
        }
    }

    /** Where a call ran out: the trap's kind, its backtrace, and how many handler calls it took. */
    private static String exhaust(Tier tier, String wat, long budget, String name, Object... args) {
        try (Instance instance = compile(tier, wat).instantiate()) {
            instance.setFuel(budget);
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call(name, args));
            assertEquals(TrapKind.OUT_OF_FUEL, trap.kind());
            assertEquals("all fuel consumed by WebAssembly", trap.kind().message());
            assertEquals(0, instance.fuel());
            return trap.backtrace().toString();
        }
    }

    /**
     * Code after a try is metered: the plan of runs counted only block, loop and if as blocks, so a try's end
     * ended its scan early and a loop after a try (try_table, or the legacy try with its catch blocks, a throw and a
     * delegate) had no fuel check: it ran forever.
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void loopsAfterATryRunOutOfFuel(Tier tier) {
        String wat = """
                (module
                  (tag $e)
                  (func (export "after_try_table")
                    (block $h (try_table (catch $e $h) (throw $e)))
                    (loop $l (br $l)))
                  (func (export "after_legacy_try")
                    (try (do (throw $e)) (catch $e) (catch_all))
                    (try (do (try (do (nop)) (delegate 0))) (catch_all))
                    (loop $l (br $l))))
                """;
        // (compiled directly: the optimizing tier leaves these functions to the baseline)
        try (Instance instance = engine(tier).compile(wat.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .instantiate()) {
            for (String name : new String[] {"after_try_table", "after_legacy_try"}) {
                instance.setFuel(10_000);
                assertEquals(TrapKind.OUT_OF_FUEL, assertThrows(WasmTrap.class, () -> instance.call(name)).kind(),
                        name);
            }
        }
    }

    @Test
    void runningOutTrapsAtTheSamePointInBothTiers() {
        for (long budget : new long[] {0, 1, 4, 5, 17, 18, 100, 131, 133}) {
            assertEquals(exhaust(Tier.BASELINE, SUM, budget, "sum", 10), exhaust(Tier.OPTIMIZING, SUM, budget, "sum", 10),
                    "budget " + budget);
        }
        for (long budget : new long[] {0, 10, 100, fibCost(12) - 30}) {
            assertEquals(exhaust(Tier.BASELINE, FIB, budget, "fib", 12), exhaust(Tier.OPTIMIZING, FIB, budget, "fib", 12),
                    "budget " + budget);
        }
        for (long budget : new long[] {3, 50, 200}) {
            assertEquals(exhaust(Tier.BASELINE, MIX, budget, "mix", 11), exhaust(Tier.OPTIMIZING, MIX, budget, "mix", 11),
                    "budget " + budget);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void exactBudgetIsEnough(Tier tier) {
        try (Instance instance = compile(tier, SUM).instantiate()) {
            instance.setFuel(135);
            assertEquals(45, instance.call("sum", 10)[0]);
            assertEquals(0, instance.fuel());
            // the last check (the loop header's final test) has consumed 10 * 13 + 4 = 134: a budget of 134 passes
            // it, and the exit run [local.get] (1) overshoots by 1, unchecked until the next check
            instance.setFuel(134);
            assertEquals(45, instance.call("sum", 10)[0]);
            assertEquals(0, instance.fuel());
            instance.setFuel(133);
            assertEquals(TrapKind.OUT_OF_FUEL, assertThrows(WasmTrap.class, () -> instance.call("sum", 10)).kind());
        }
    }

    @Test
    void refillResumesWhereTheCodeStopped() {
        for (String[] program : new String[][] {{SUM, "sum", "300"}, {FIB, "fib", "15"}, {MIX, "mix", "11"}}) {
            int arg = Integer.parseInt(program[2]);
            List<String> outcomes = new ArrayList<>();
            for (Tier tier : Tier.values()) {
                Object[] unlimited = consumed(tier, program[0], program[1], arg);
                try (Instance instance = compile(tier, program[0]).instantiate()) {
                    AtomicInteger asked = new AtomicInteger();
                    instance.setFuelHandler(i -> {
                        assertSame(instance, i);
                        asked.incrementAndGet();
                        return 7;
                    });
                    instance.setFuel(0);
                    assertEquals(unlimited[0], instance.call(program[1], arg)[0], program[1]);
                    assertTrue(asked.get() > 0);
                    // what was given minus what is left is what was consumed, up to the runs charged after the
                    // last check (the fuel left is 0 when they went past it)
                    long consumed = 7L * asked.get() - instance.fuel();
                    long exact = (long) unlimited[1];
                    assertTrue(consumed <= exact && exact - consumed < 64, program[1] + ": " + consumed + " vs " + exact);
                    outcomes.add(asked.get() + "/" + instance.fuel());
                }
            }
            assertEquals(outcomes.get(0), outcomes.get(1), program[1] + ": the tiers ask the handler alike");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void handlerReturningZeroTraps(Tier tier) {
        try (Instance instance = compile(tier, SUM).instantiate()) {
            AtomicInteger asked = new AtomicInteger();
            instance.setFuelHandler(i -> asked.incrementAndGet() < 3 ? 10 : 0);
            instance.setFuel(0);
            assertEquals(TrapKind.OUT_OF_FUEL, assertThrows(WasmTrap.class, () -> instance.call("sum", 100)).kind());
            assertEquals(3, asked.get());
            instance.setFuelHandler(null);
            instance.setFuel(BIG);
            assertEquals(4950, instance.call("sum", 100)[0]);   // the instance stays usable
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void handlerExceptionsSurfaceAsForHostFunctions(Tier tier) {
        try (Instance instance = compile(tier, FIB).instantiate()) {
            IllegalStateException boom = new IllegalStateException("boom");
            instance.setFuelHandler(i -> {
                throw boom;
            });
            instance.setFuel(50);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> instance.call("fib", 20)));
            Exception checked = new Exception("checked");
            instance.setFuelHandler(i -> {
                throw checked;
            });
            instance.setFuel(50);
            assertSame(checked, assertThrows(HostException.class, () -> instance.call("fib", 20)).getCause());
            instance.setFuelHandler(i -> -1);
            instance.setFuel(50);
            assertThrows(IllegalArgumentException.class, () -> instance.call("fib", 20));
            instance.setFuelHandler(null);
            instance.setFuel(BIG);
            assertEquals(6765, instance.call("fib", 20)[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void endlessCodeIsStopped(Tier tier) {
        try (Instance instance = compile(tier, FOREVER).instantiate()) {
            instance.setFuel(1_000_000);
            assertEquals(TrapKind.OUT_OF_FUEL, assertThrows(WasmTrap.class, () -> instance.call("loop")).kind());
            instance.setFuel(10_000);
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("recurse"));
            assertEquals(TrapKind.OUT_OF_FUEL, trap.kind());
            assertEquals(0, instance.fuel());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void handlerCanStopAnEndlessLoopAfterSomeRefills(Tier tier) {
        try (Instance instance = compile(tier, FOREVER).instantiate()) {
            AtomicInteger asked = new AtomicInteger();
            instance.setFuelHandler(i -> asked.incrementAndGet() <= 100 ? 1000 : 0);
            assertEquals(TrapKind.OUT_OF_FUEL, assertThrows(WasmTrap.class, () -> instance.call("loop")).kind());
            assertEquals(101, asked.get());
        }
    }

    @Test
    void setFuelAndFuelRoundTrip() {
        try (Instance instance = compile(Tier.OPTIMIZING, SUM).instantiate()) {
            assertEquals(0, instance.fuel());                   // the engine's initial fuel: 0 by default
            for (long f : new long[] {0, 1, 12345, Long.MAX_VALUE}) {
                instance.setFuel(f);
                assertEquals(f, instance.fuel());
            }
            assertThrows(IllegalArgumentException.class, () -> instance.setFuel(-1));
            instance.setFuel(1000);
            instance.call("sum", 10);
            assertEquals(1000 - 135, instance.fuel());
        }
    }

    @Test
    void withoutFuelTheApiRefuses() {
        try (Instance instance = Isthmus.create().compile(SUM.getBytes(UTF_8)).instantiate()) {
            assertFalse(instance.module().consumesFuel());
            assertThrows(IllegalStateException.class, () -> instance.setFuel(10));
            assertThrows(IllegalStateException.class, instance::fuel);
            assertThrows(IllegalStateException.class, () -> instance.setFuelHandler(i -> 1));
            assertEquals(45, instance.call("sum", 10)[0]);
        }
    }

    @Test
    void theStartFunctionRunsOnTheInitialFuel() {
        String wat = """
                (module (global $g (mut i32) (i32.const 0))
                  (func $start (global.set $g (i32.const 5)))
                  (func (export "g") (result i32) (global.get $g))
                  (start $start))
                """;   // start costs [i32.const, global.set] = 2
        Isthmus none = Isthmus.builder().consumeFuel(true).build();
        UninstantiableException e = assertThrows(UninstantiableException.class,
                () -> none.compile(wat.getBytes(UTF_8)).instantiate());
        assertEquals(TrapKind.OUT_OF_FUEL, e.trap().kind());
        Isthmus two = Isthmus.builder().consumeFuel(true).initialFuel(2).build();
        try (Instance instance = two.compile(wat.getBytes(UTF_8)).instantiate()) {
            assertEquals(0, instance.fuel());
            instance.setFuel(1);
            assertEquals(5, instance.call("g")[0]);
        }
        List<Instance> seen = new ArrayList<>();
        Isthmus handled = Isthmus.builder().consumeFuel(true).fuelHandler(i -> {
            seen.add(i);
            return 2;
        }).build();
        try (Instance instance = handled.compile(wat.getBytes(UTF_8)).instantiate()) {
            assertEquals(List.of(instance), seen);
        }
    }

    @Test
    void aCallIntoAnotherInstanceConsumesThatInstancesFuel() {
        String callee = """
                (module (func (export "work") (param i32) (result i32)
                  (i32.add (local.get 0) (i32.const 1))))
                """;   // [get, const, add] = 3
        String caller = """
                (module (import "m" "work" (func $work (param i32) (result i32)))
                  (func (export "run") (result i32) (call $work (i32.const 41))))
                """;   // [const, call] = 2
        Isthmus engine = engine(Tier.OPTIMIZING);
        try (Instance a = engine.compile(callee.getBytes(UTF_8)).instantiate();
             Instance b = engine.compile(caller.getBytes(UTF_8))
                     .instantiate(Imports.builder().instance("m", a).build())) {
            a.setFuel(100);
            b.setFuel(100);
            assertEquals(42, b.call("run")[0]);
            assertEquals(97, a.fuel());
            assertEquals(98, b.fuel());
        }
    }

    // tag::fuel[]
    /**
     * Runs {@code export} of a plugin with a budget of {@code slice} units, granting at most {@code slices} more
     * while it runs, then stopping it with an OUT_OF_FUEL trap.
     */
    static Object[] runMetered(CompiledModule plugin, String export, long slice, int slices) {
        try (Instance instance = plugin.instantiate()) {   // an engine built with consumeFuel(true)
            int[] granted = {0};
            instance.setFuelHandler(i -> granted[0]++ < slices ? slice : 0);   // 0: trap
            instance.setFuel(slice);
            return instance.call(export);                  // WasmTrap of kind OUT_OF_FUEL when it runs out
        }
    }
    // end::fuel[]

    @Test
    void theDocExampleRunsAndIsQuoted() throws Exception {
        CompiledModule plugin = Isthmus.builder().consumeFuel(true).build().compile("""
                (module (func (export "spin") (result i32) (local i32)
                  (loop (br_if 0 (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 1000))))
                  (local.get 0)))
                """.getBytes(UTF_8));   // 7 units per iteration
        assertEquals(1000, runMetered(plugin, "spin", 1000, 8)[0]);
        assertEquals(TrapKind.OUT_OF_FUEL,
                assertThrows(WasmTrap.class, () -> runMetered(plugin, "spin", 1000, 5)).kind());
        DocExamples.assertQuoted(java.nio.file.Path.of("docs/embedding.md"),
                java.nio.file.Path.of("src/test/java/dev/isthmus/api/FuelTest.java"), "fuel");
    }

    /** Values live in every register class across the checks: i64, f64, f32 and v128 accumulators in a loop. */
    private static final String REGISTERS = """
            (module
              (func $mix (param $x i64) (result i64) (i64.add (i64.mul (local.get $x) (i64.const 31)) (i64.const 7)))
              (func (export "spin") (param $n i32) (result i64)
                (local $i i32) (local $a i64) (local $f f64) (local $g f32) (local $v v128)
                (local.set $v (v128.const i32x4 1 2 3 4))
                (loop $l
                  (local.set $a (i64.xor (local.get $a) (call $mix (i64.extend_i32_u (local.get $i)))))
                  (local.set $f (f64.add (f64.mul (local.get $f) (f64.const 0.5)) (f64.convert_i32_u (local.get $i))))
                  (local.set $g (f32.add (local.get $g) (f32.const 1.25)))
                  (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                (i64.add (i64.add (local.get $a) (i64.reinterpret_f64 (local.get $f)))
                  (i64.add (i64.extend_i32_u (i32.reinterpret_f32 (local.get $g)))
                    (i64.add (i64x2.extract_lane 0 (local.get $v)) (i64x2.extract_lane 1 (local.get $v)))))))
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void everyRegisterSurvivesTheSlowPath(Tier tier) {
        Object[] unlimited = consumed(tier, REGISTERS, "spin", 500);
        try (Instance instance = compile(tier, REGISTERS).instantiate()) {
            AtomicInteger asked = new AtomicInteger();
            instance.setFuelHandler(i -> {
                asked.incrementAndGet();
                return 1;                                   // every check takes the slow path
            });
            instance.setFuel(0);
            assertEquals(unlimited[0], instance.call("spin", 500)[0]);
            assertTrue(asked.get() >= 500, "asked " + asked.get());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void theHandlerMayCallIntoTheInstance(Tier tier) {
        try (Instance instance = compile(tier, SUM).instantiate()) {
            List<Object> nested = new ArrayList<>();
            instance.setFuelHandler(i -> {
                i.setFuel(1000);                            // the nested call runs on this
                nested.add(i.call("sum", 4)[0]);
                return 10_000;
            });
            instance.setFuel(50);
            assertEquals(4950, instance.call("sum", 100)[0]);
            assertEquals(List.of(6), nested);
        }
    }

    @Test
    void theTrapNamesTheFunctionThatRanOut() {
        try (Instance instance = compile(Tier.OPTIMIZING, FIB).instantiate()) {
            instance.setFuel(100);
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("fib", 20));
            assertFalse(trap.backtrace().isEmpty());
            assertEquals(0, trap.backtrace().get(0).functionIndex());
        }
    }
}
