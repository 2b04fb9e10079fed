package dev.isthmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.options.Compilation;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.loader.LazyCode;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Functions compiled when first called ({@link Compilation#LAZY}, {@link Compilation#TIERED}): every call path
 * reaches a callee that has no code yet and gets the result eager code gets; imports re-exported across instances,
 * traps and their backtraces, tier-up while the program runs, many threads calling uncompiled functions at once, a
 * lazy module written as a code file. (Stack exhaustion through the lazy stubs and critical entries run in a child
 * JVM: {@code robustness.LazyCompilationCrashTest}.)
 */
class LazyCompilationTest {
    private static final String CALLS = """
            (module
              (type $ii (func (param i32) (result i32)))
              (type $many (func (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64 f64 f64 i32)
                                (result i64)))
              (table 4 funcref)
              (elem (i32.const 0) $a $b $c $sum)
              (elem declare func $d)
              (func $a (type $ii) (i32.add (local.get 0) (i32.const 1)))
              (func $b (export "b") (type $ii) (i32.mul (local.get 0) (i32.const 2)))
              (func $c (type $ii) (return_call $a (i32.sub (local.get 0) (i32.const 3))))
              (func $d (type $ii) (return_call_indirect (type $ii) (local.get 0) (i32.const 1)))
              (func $e (type $ii) (return_call_ref $ii (local.get 0) (ref.func $d)))
              (func $sum (type $many)
                (i64.add (i64.add (i64.add (i64.extend_i32_u (local.get 0)) (local.get 1))
                                  (i64.add (i64.trunc_f32_s (local.get 2)) (i64.trunc_f64_s (local.get 3))))
                (i64.add (i64.add (i64.add (i64.extend_i32_u (local.get 4)) (local.get 5))
                                  (i64.add (i64.trunc_f32_s (local.get 6)) (i64.trunc_f64_s (local.get 7))))
                (i64.add (i64.add (i64.add (i64.extend_i32_u (local.get 8)) (local.get 9))
                                  (i64.add (i64.trunc_f32_s (local.get 10)) (i64.trunc_f64_s (local.get 11))))
                (i64.add (i64.add (i64.add (i64.extend_i32_u (local.get 12)) (local.get 13))
                                  (i64.add (i64.trunc_f32_s (local.get 14)) (i64.trunc_f64_s (local.get 15))))
                         (i64.add (i64.add (i64.trunc_f64_s (local.get 16)) (i64.trunc_f64_s (local.get 17)))
                                  (i64.mul (i64.extend_i32_u (local.get 18)) (i64.const 1000))))))))
              (func (export "direct") (param i32) (result i32) (call $a (local.get 0)))
              (func (export "indirect") (param i32 i32) (result i32)
                (call_indirect (type $ii) (local.get 0) (local.get 1)))
              (func (export "ref") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.func $d)))
              (func (export "tail") (param i32) (result i32) (return_call $c (local.get 0)))
              (func (export "tailref") (param i32) (result i32) (call $e (local.get 0)))
              (func (export "many") (result i64)
                (call $sum (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5) (i64.const 6)
                           (f32.const 7) (f64.const 8) (i32.const 9) (i64.const 10) (f32.const 11) (f64.const 12)
                           (i32.const 13) (i64.const 14) (f32.const 15) (f64.const 16) (f64.const 17) (f64.const 18)
                           (i32.const 19)))
              (func (export "manyIndirect") (result i64)
                (call_indirect (type $many)
                           (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5) (i64.const 6)
                           (f32.const 7) (f64.const 8) (i32.const 9) (i64.const 10) (f32.const 11) (f64.const 12)
                           (i32.const 13) (i64.const 14) (f32.const 15) (f64.const 16) (f64.const 17) (f64.const 18)
                           (i32.const 19) (i32.const 3)))
              (func $start (global.set $g (call $b (i32.const 21))))
              (global $g (export "g") (mut i32) (i32.const 0))
              (start $start))
            """;

    private static final String PROVIDER = """
            (module (func (export "b") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
            """;

    /** 1 + 2 + ... + 18 and 19 * 1000. */
    private static final long MANY = 171 + 19_000;

    private static Isthmus engine(Compilation mode) {
        return Isthmus.builder().compilation(mode).tierUpBudget(0).build();
    }

    private static CompiledModule compile(Isthmus engine, String wat) {
        return engine.compile(wat.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Compilation.class)
    void everyCallPathReachesAnUncompiledCallee(Compilation mode) {
        Isthmus engine = engine(mode);
        Object[][] cases = {
                {"direct", new Object[] {5}, 6},
                {"indirect", new Object[] {5, 0}, 6},
                {"indirect", new Object[] {5, 1}, 10},
                {"indirect", new Object[] {5, 2}, 3},
                {"ref", new Object[] {5}, 10},
                {"tail", new Object[] {5}, 3},
                {"tailref", new Object[] {5}, 10},
                {"b", new Object[] {5}, 10},
                {"many", new Object[0], MANY},
                {"manyIndirect", new Object[0], MANY},
        };
        for (Object[] c : cases) {
            // a fresh module each time: nothing the case calls has code before it runs
            CompiledModule module = compile(engine, CALLS);
            try (Instance instance = module.instantiate()) {
                assertEquals(42, instance.global("g").get(), "the start function ran");
                assertEquals(c[2], instance.call((String) c[0], (Object[]) c[1])[0], mode + " " + c[0]);
                assertEquals(c[2], instance.call((String) c[0], (Object[]) c[1])[0], mode + " " + c[0] + " again");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compilation.class, names = {"LAZY", "TIERED"})
    void onlyWhatRunsIsCompiled(Compilation mode) {
        CompiledModule module = compile(engine(mode), CALLS);
        {
            LazyCode code = (LazyCode) module.code();
            assertEquals(0, code.compiledFunctions(), "nothing before the first call");
            try (Instance instance = module.instantiate()) {
                int afterStart = code.compiledFunctions();
                assertTrue(afterStart >= 2 && afterStart < 8, "the start function and what it calls: " + afterStart);
                instance.call("direct", 1);
                assertTrue(code.compiledFunctions() > afterStart);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Compilation.class)
    void importsReExportedAcrossInstancesReachUncompiledCode(Compilation mode) {
        Isthmus engine = engine(mode);
        String user = """
                (module
                  (import "a" "b" (func $imp (param i32) (result i32)))
                  (export "reexported" (func $imp))
                  (table 1 funcref) (elem (i32.const 0) $imp)
                  (func (export "viaImport") (param i32) (result i32) (call $imp (local.get 0)))
                  (func (export "viaTable") (param i32) (result i32)
                    (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0)))
                  (func (export "tailToImport") (param i32) (result i32) (return_call $imp (local.get 0))))
                """;
        for (String export : List.of("reexported", "viaImport", "viaTable", "tailToImport")) {
            CompiledModule a = compile(engine, PROVIDER);
            CompiledModule b = compile(engine, user);
            {
                try (Instance provider = a.instantiate();
                     Instance consumer = b.instantiate(Imports.builder().instance("a", provider).build())) {
                    assertEquals(14, consumer.call(export, 7)[0], mode + " " + export);
                    assertEquals(18, consumer.call(export, 9)[0], mode + " " + export + " again");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Compilation.class)
    void trapsInLazyCodeHaveTheBacktraceOfEagerCode(Compilation mode) {
        String wat = """
                (module
                  (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
                  (func $middle (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1)))
                  (func (export "outer") (param i32) (result i32) (call $middle (local.get 0))))
                """;
        List<WasmFrame> eager;
        // the tier that compiles first: the baseline under TIERED
        Isthmus reference = Isthmus.builder().tier(mode == Compilation.TIERED ? Tier.BASELINE : Tier.OPTIMIZING).build();
        CompiledModule eagerModule = compile(reference, wat);
        try (Instance instance = eagerModule.instantiate()) {
            eager = assertThrows(WasmTrap.class, () -> instance.call("outer", 0)).backtrace();
        }
        CompiledModule module = compile(engine(mode), wat);
        try (Instance instance = module.instantiate()) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("outer", 0));
            assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, trap.kind());
            assertEquals(eager, trap.backtrace(), mode + ": " + trap.backtrace());
            assertEquals(3, trap.backtrace().size());
            assertEquals(2, instance.call("outer", 1)[0]);
        }
    }

    @Test
    void hotFunctionsTierUpWhileTheProgramRuns() throws Exception {
        String wat = """
                (module
                  (func $step (param i64) (result i64) (i64.add (i64.mul (local.get 0) (i64.const 6364136223846793005))
                                                              (i64.const 1442695040888963407)))
                  (func (export "run") (param i32) (result i64) (local i64)
                    (loop $l
                      (local.set 1 (call $step (local.get 1)))
                      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                    (local.get 1)))
                """;
        long expected;
        long expectedShort;
        CompiledModule eagerModule = compile(engine(Compilation.EAGER), wat);
        try (Instance instance = eagerModule.instantiate()) {
            expected = (long) instance.call("run", 100_000)[0];
            expectedShort = (long) instance.call("run", 1000)[0];
        }
        Isthmus tiered = Isthmus.builder().compilation(Compilation.TIERED).tierUpBudget(1000).build();
        CompiledModule module = compile(tiered, wat);
        try (Instance instance = module.instantiate()) {
            LazyCode code = (LazyCode) module.code();
            assertEquals(expected, instance.call("run", 100_000)[0]);
            assertTrue(LazyCode.awaitTierUps(60, TimeUnit.SECONDS));
            assertTrue(code.isFinal(0), "step was called 100,000 times");
            assertTrue(code.isFinal(1), "run's loop ran 100,000 times");
            assertTrue(code.tierUps() >= 2, code.tierUps() + " tier-ups");
            assertNull(code.tierUpFailure());
            assertEquals(expected, instance.call("run", 100_000)[0], "in the optimizing tier's code");
        }
        Isthmus cold = Isthmus.builder().compilation(Compilation.TIERED).tierUpBudget(1_000_000).build();
        CompiledModule coldModule = compile(cold, wat);
        try (Instance instance = coldModule.instantiate()) {
            LazyCode code = (LazyCode) coldModule.code();
            assertEquals(expectedShort, instance.call("run", 1000)[0]);
            assertTrue(LazyCode.awaitTierUps(60, TimeUnit.SECONDS));
            assertEquals(0, code.tierUps(), "below the budget");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compilation.class, names = {"LAZY", "TIERED"})
    void threadsCallingUncompiledFunctionsAtOnceAllGetTheirResults(Compilation mode) throws Exception {
        int functions = 300;
        StringBuilder wat = new StringBuilder("(module (type $ii (func (param i32) (result i32)))\n");
        wat.append("(table ").append(functions).append(" funcref) (elem (i32.const 0)");
        for (int i = 0; i < functions; i++) wat.append(" $f").append(i);
        wat.append(")\n");
        for (int i = 0; i < functions; i++) {
            // f_i(x) = x * i, through f_(i-1) for every third function: callers and callees compile in any order
            wat.append("(func $f").append(i).append(" (type $ii) ");
            if (i % 3 == 0 && i > 0) {
                wat.append("(i32.add (call $f").append(i - 1).append(" (local.get 0)) (local.get 0)))\n");
            } else {
                wat.append("(i32.mul (local.get 0) (i32.const ").append(i).append(")))\n");
            }
        }
        wat.append("(func (export \"dispatch\") (param i32 i32) (result i32)"
                + " (call_indirect (type $ii) (local.get 1) (local.get 0))))");
        Isthmus engine = Isthmus.builder().compilation(mode).tierUpBudget(5).build();
        for (int round = 0; round < 3; round++) {
            CompiledModule module = compile(engine, wat.toString());
            try (Instance instance = module.instantiate()) {
                ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int seed = round * 10 + t;
                    threads.add(Thread.ofPlatform().start(() -> {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < functions; i++) order.add(i);
                        Collections.shuffle(order, new Random(seed));
                        for (int repeat = 0; repeat < 20; repeat++) {
                            for (int i : order) {
                                int x = 7 + repeat;
                                Object got = instance.call("dispatch", i, x)[0];
                                if (!got.equals(x * i)) wrong.add("f" + i + "(" + x + ") = " + got);
                            }
                        }
                    }));
                }
                for (Thread t : threads) t.join();
                assertTrue(wrong.isEmpty(), mode + ": " + wrong);
                assertEquals(functions + 1, ((LazyCode) module.code()).compiledFunctions(),
                        "every function compiled, and the dispatcher");
            }
        }
        assertTrue(LazyCode.awaitTierUps(60, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(value = Compilation.class, names = {"LAZY", "TIERED"})
    void aLazyModuleIsWrittenAsEagerCode(Compilation mode) {
        Isthmus engine = engine(mode);
        CompiledModule module = compile(engine, CALLS);
        {
            byte[] file = module.serialize();
            CompiledModule loaded = Isthmus.builder().build().deserialize(file);
            try (Instance instance = loaded.instantiate()) {
                assertEquals(MANY, instance.call("many")[0]);
                assertEquals(10, instance.call("tailref", 5)[0]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compilation.class, names = {"LAZY", "TIERED"})
    void exactHandlesOfUncompiledFunctions(Compilation mode) throws Throwable {
        CompiledModule module = compile(engine(mode), CALLS);
        try (Instance instance = module.instantiate()) {
            MethodHandle direct = instance.function("direct");
            assertEquals(6, (int) direct.invokeExact(5));
            MethodHandle many = instance.function("many");
            assertEquals(MANY, (long) many.invokeExact());
        }
    }

    @Test
    void aFailureToCompileOnCallIsThrownAtTheCallSiteAndTheInstanceStaysUsable() {
        // a compiler that fails for one function (as a bug or an OutOfMemoryError would) and works for the rest
        Isthmus engine = Isthmus.builder().codeGenerator((module, options) -> {
            var lazyOptions = options.withCompilation(Compilation.LAZY);
            var context = dev.isthmus.compiler.ModuleCompiler.lazyContext(module, lazyOptions);
            var adapters = dev.isthmus.compiler.ModuleCompiler.adapters(module);
            return new LazyCode(module, Compilation.LAZY, true, (functions, optimizing) -> {
                for (int f : functions) {
                    if (f == 0) throw new IllegalStateException("the compiler failed on function 0");
                }
                return dev.isthmus.compiler.ModuleCompiler.compileChunk(context, functions, optimizing);
            }, adapters.code(), adapters.entry(), adapters.host(), adapters.unwind(), 0);
        }).build();
        CompiledModule module = compile(engine, """
                (module
                  (func $bad (result i32) (i32.const 1))
                  (func (export "callsBad") (result i32) (i32.add (call $bad) (i32.const 1)))
                  (func (export "fine") (result i32) (i32.const 5)))
                """);
        try (Instance instance = module.instantiate()) {
            for (int i = 0; i < 2; i++) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> instance.call("callsBad"));
                assertEquals("the compiler failed on function 0", e.getMessage());
                assertEquals(1, e.getSuppressed().length, "the wasm backtrace of the call site");
                assertEquals(5, instance.call("fine")[0]);
            }
        }
    }

    @Test
    void fuelIsMeteredInLazyCode() {
        String wat = "(module (func (export \"spin\") (loop $l (br $l))))";
        Isthmus engine = Isthmus.builder().compilation(Compilation.TIERED).tierUpBudget(10).consumeFuel(true)
                .initialFuel(100_000).build();
        CompiledModule module = compile(engine, wat);
        try (Instance instance = module.instantiate()) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("spin"));
            assertEquals(TrapKind.OUT_OF_FUEL, trap.kind());
        }
    }
}
