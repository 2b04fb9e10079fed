package dev.isthmus.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.ResourceLimiter;
import dev.isthmus.ResourceLimits;
import dev.isthmus.UninstantiableException;
import dev.isthmus.WasmBacktrace;
import dev.isthmus.WasmFrame;
import dev.isthmus.options.Tier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Engine resource limits ({@link ResourceLimits}) and the grow callback ({@link ResourceLimiter}). */
class ResourceLimitsTest {
    private static final long PAGE = 65536;

    /** Memory of 1 page (no maximum), table of 1 element (max 100); grow exports return the spec's result. */
    private static final String GROWER = """
            (module
              (memory (export "memory") 1)
              (table (export "table") 1 100 funcref)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "growTable") (param i32) (result i32)
                (table.grow (ref.null func) (local.get 0)))
              (func (export "size") (result i32) (memory.size)))
            """;

    private static CompiledModule compile(Isthmus engine, String wat) {
        return engine.compile(wat.getBytes(UTF_8));
    }

    private static int call(Instance instance, String name, int arg) {
        return (int) instance.call(name, arg)[0];
    }

    @Test
    void memoryGrowFromWasmReturnsMinusOnePastTheLimit() {
        Isthmus engine = Isthmus.builder().limits(ResourceLimits.builder().maxMemoryBytes(4 * PAGE).build()).build();
        try (Instance instance = compile(engine, GROWER).instantiate()) {
            assertEquals(1, call(instance, "grow", 2));            // 3 pages
            assertEquals(-1, call(instance, "grow", 2));           // 5 > 4: refused, nothing changes
            assertEquals(3, (int) instance.call("size")[0]);
            assertEquals(3, call(instance, "grow", 1));            // exactly 4 is fine
            assertEquals(-1, call(instance, "grow", 1));
            assertEquals(-1, instance.memory("memory").grow(1));   // from Java too
            assertEquals(4, instance.memory("memory").pages());
        }
    }

    @Test
    void tableGrowReturnsMinusOnePastTheLimit() {
        Isthmus engine = Isthmus.builder().limits(ResourceLimits.builder().maxTableElements(10).build()).build();
        try (Instance instance = compile(engine, GROWER).instantiate()) {
            assertEquals(1, call(instance, "growTable", 9));
            assertEquals(-1, call(instance, "growTable", 1));
            assertEquals(-1, instance.table("table").grow(1, null));
            assertEquals(10, instance.table("table").size());
        }
    }

    @Test
    void aMinimumAboveTheLimitFailsInstantiation() {
        Isthmus memoryCapped = Isthmus.builder().limits(ResourceLimits.builder().maxMemoryBytes(PAGE).build())
                .build();
        var e = assertThrows(UninstantiableException.class,
                () -> compile(memoryCapped, "(module (memory 2))").instantiate());
        assertEquals("memory of 2 pages (131072 bytes) exceeds the limit of 65536 bytes per memory "
                + "(ResourceLimits.maxMemoryBytes)", e.getMessage());
        assertNull(e.trap());
        assertEquals(0, memoryCapped.liveInstances());

        Isthmus tableCapped = Isthmus.builder().limits(ResourceLimits.builder().maxTableElements(5).build()).build();
        e = assertThrows(UninstantiableException.class,
                () -> compile(tableCapped, "(module (table 6 funcref))").instantiate());
        assertEquals("table of 6 elements exceeds the limit of 5 elements per table "
                + "(ResourceLimits.maxTableElements)", e.getMessage());
    }

    @Test
    void theLimiterSeesEveryGrowAndCanRefuse() {
        List<String> asked = new ArrayList<>();
        ResourceLimiter limiter = new ResourceLimiter() {
            @Override
            public boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
                asked.add("memory " + currentBytes + " -> " + desiredBytes + " max " + maximumBytes);
                return desiredBytes <= 2 * PAGE;
            }

            @Override
            public boolean tableGrowing(long currentElements, long desiredElements, long maximumElements) {
                asked.add("table " + currentElements + " -> " + desiredElements + " max " + maximumElements);
                return desiredElements <= 3;
            }
        };
        Isthmus engine = Isthmus.builder().limiter(limiter).build();
        try (Instance instance = compile(engine, GROWER).instantiate()) {
            assertEquals(List.of("table 0 -> 1 max 100", "memory 0 -> 65536 max -1"), asked);
            asked.clear();
            assertEquals(1, call(instance, "grow", 1));
            assertEquals(-1, call(instance, "grow", 1));
            assertEquals(2, call(instance, "grow", 0));            // a grow by 0 does not ask
            assertEquals(1, call(instance, "growTable", 2));
            assertEquals(-1, instance.table("table").grow(1, null));
            assertEquals(List.of("memory 65536 -> 131072 max -1", "memory 131072 -> 196608 max -1",
                    "table 1 -> 3 max 100", "table 3 -> 4 max 100"), asked);
        }
        // refusing the initial size fails instantiation
        Isthmus stingy = Isthmus.builder().limiter(new ResourceLimiter() {
            @Override
            public boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
                return false;
            }
        }).build();
        var e = assertThrows(UninstantiableException.class, () -> compile(stingy, GROWER).instantiate());
        assertEquals("the resource limiter refused a memory of 1 pages (65536 bytes)", e.getMessage());
        assertEquals(0, stingy.liveInstances());
    }

    @Test
    void aLimiterPerInstanceReplacesTheEnginesAndTheLimitsStillApply() {
        List<String> engineAsked = new ArrayList<>();
        Isthmus engine = Isthmus.builder()
                .limits(ResourceLimits.builder().maxMemoryBytes(3 * PAGE).build())
                .limiter(new ResourceLimiter() {
                    @Override
                    public boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
                        engineAsked.add(currentBytes + " -> " + desiredBytes);
                        return true;
                    }
                }).build();
        CompiledModule module = compile(engine, GROWER);
        ResourceLimiter onePageMore = new ResourceLimiter() {
            @Override
            public boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
                return desiredBytes <= 2 * PAGE;
            }
        };
        try (Instance tenant = module.instantiate(dev.isthmus.Imports.none(), "tenant", onePageMore);
             Instance free = module.instantiate(dev.isthmus.Imports.none(), null, null)) {
            assertEquals(1, call(tenant, "grow", 1));
            assertEquals(-1, call(tenant, "grow", 1));             // its own limiter refuses
            assertEquals(1, call(free, "grow", 2));                // no limiter at all, but the limits:
            assertEquals(-1, call(free, "grow", 1));               // 4 pages > maxMemoryBytes
            assertEquals(List.of(), engineAsked);
        }
    }

    /** A limiter that throws makes the grow trap: its exception comes out of the call with the wasm frames. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void aThrowingLimiterTraps(Tier tier) {
        IllegalStateException quota = new IllegalStateException("tenant quota exceeded");
        Isthmus engine = Isthmus.builder().tier(tier).limiter(new ResourceLimiter() {
            @Override
            public boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
                if (currentBytes > 0) throw quota;
                return true;
            }

            @Override
            public boolean tableGrowing(long currentElements, long desiredElements, long maximumElements) {
                if (currentElements > 0) throw quota;
                return true;
            }
        }).build();
        try (Instance instance = compile(engine, GROWER).instantiate()) {
            var thrown = assertThrows(IllegalStateException.class, () -> call(instance, "grow", 1));
            assertSame(quota, thrown);
            List<WasmFrame> frames = WasmBacktrace.of(thrown).orElseThrow().frames();   // the wasm frames ride along
            assertEquals(1, frames.size(), frames.toString());
            assertEquals(0, frames.getFirst().functionIndex());     // $grow, at its memory.grow
            assertSame(quota, assertThrows(IllegalStateException.class, () -> call(instance, "growTable", 1)));
            assertSame(quota, assertThrows(IllegalStateException.class, () -> instance.memory("memory").grow(1)));
            assertEquals(1, instance.memory("memory").pages());
            assertEquals(1, call(instance, "grow", 0));             // the instance still works
        }
    }

    @Test
    void theInstanceLimitCountsLiveInstancesAndCloseReleasesTheSlot() {
        Isthmus engine = Isthmus.builder().limits(ResourceLimits.builder().maxInstances(2).build()).build();
        CompiledModule a = compile(engine, GROWER);
        CompiledModule b = compile(engine, "(module)");
        Instance first = a.instantiate();
        Instance second = b.instantiate();                          // counted per engine, across modules
        assertEquals(2, engine.liveInstances());
        var e = assertThrows(UninstantiableException.class, a::instantiate);
        assertEquals("instance limit reached: 2 instances of this engine are alive, the limit is 2 "
                + "(ResourceLimits.maxInstances); close instances to free their slots", e.getMessage());
        first.close();
        assertEquals(1, engine.liveInstances());
        try (Instance third = a.instantiate()) {
            assertEquals(2, engine.liveInstances());
        }
        second.close();
        assertEquals(0, engine.liveInstances());
        // failed instantiations do not keep a slot
        assertThrows(UninstantiableException.class, () -> compile(engine, "(module (func unreachable) (start 0))")
                .instantiate());
        assertThrows(RuntimeException.class, () -> compile(engine, "(module (import \"m\" \"f\" (func)))")
                .instantiate());
        assertEquals(0, engine.liveInstances());
    }

    @Test
    void theMemoryAndTableLimitsCountWhatLiveInstancesDefine() {
        Isthmus engine = Isthmus.builder().limits(ResourceLimits.builder().maxMemories(1).maxTables(2).build())
                .build();
        CompiledModule oneEach = compile(engine, GROWER);              // defines 1 memory, 1 table
        CompiledModule tableOnly = compile(engine, "(module (table 1 funcref))");
        CompiledModule threeTables = compile(engine, "(module (table 1 funcref) (table 1 funcref) (table 0 externref))");
        // a module alone over a limit: refused, and nothing is counted
        var e = assertThrows(UninstantiableException.class, threeTables::instantiate);
        assertEquals("table limit reached: the module defines 3 tables and the live instances of this engine define 0,"
                + " the limit is 2 (ResourceLimits.maxTables); close instances to free their tables", e.getMessage());
        assertNull(e.trap());
        assertEquals(0, engine.liveInstances());
        Instance first = oneEach.instantiate();
        // the sum over live instances (memories are checked before tables, as wasmtime does)
        e = assertThrows(UninstantiableException.class, oneEach::instantiate);
        assertEquals("memory limit reached: the module defines 1 memory and the live instances of this engine define"
                + " 1, the limit is 1 (ResourceLimits.maxMemories); close instances to free their memories",
                e.getMessage());
        Instance second = tableOnly.instantiate();                 // 2 tables of 2
        e = assertThrows(UninstantiableException.class, tableOnly::instantiate);
        assertEquals("table limit reached: the module defines 1 table and the live instances of this engine define 2,"
                + " the limit is 2 (ResourceLimits.maxTables); close instances to free their tables", e.getMessage());
        assertEquals(2, engine.liveInstances());
        second.close();                                            // gives its table back
        // imported memories and tables are not counted: they are the exporter's
        CompiledModule importer = compile(engine, "(module (import \"m\" \"memory\" (memory 1))"
                + " (import \"m\" \"table\" (table 1 funcref)) (table 1 funcref))");
        try (Instance third = importer.instantiate(dev.isthmus.Imports.builder()
                .memory("m", "memory", first.memory("memory"))
                .table("m", "table", first.table("table")).build())) {
            assertEquals(2, engine.liveInstances());
        }
        first.close();                                             // gives its memory and table back
        // failed instantiations give their counts back
        assertThrows(UninstantiableException.class, () -> compile(engine,
                "(module (memory 1) (table 2 funcref) (func unreachable) (start 0))").instantiate());
        assertEquals(0, engine.liveInstances());
        try (Instance again = oneEach.instantiate(); Instance more = tableOnly.instantiate()) {
            assertEquals(2, engine.liveInstances());
        }
    }

    @Test
    void limitsOfZeroAllowOnlyModulesDefiningNothing() {
        Isthmus engine = Isthmus.builder().limits(ResourceLimits.builder().maxMemories(0).maxTables(0).build())
                .build();
        compile(engine, "(module (func (export \"f\")))").instantiate().close();
        var e = assertThrows(UninstantiableException.class, () -> compile(engine, "(module (memory 0))").instantiate());
        assertEquals("memory limit reached: the module defines 1 memory and the live instances of this engine define 0,"
                + " the limit is 0 (ResourceLimits.maxMemories); close instances to free their memories", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResourceLimits.builder().maxTables(-1).build());
        assertEquals(new ResourceLimits(1, 2, 3, Integer.MAX_VALUE, Integer.MAX_VALUE), new ResourceLimits(1, 2, 3));
    }

    @Test
    void anInstanceReclaimedByItsCleanerReleasesItsSlot() throws InterruptedException {
        Isthmus engine = Isthmus.builder().limits(ResourceLimits.builder().maxInstances(1).build()).build();
        CompiledModule module = compile(engine, "(module (memory 1))");
        module.instantiate();                                        // dropped without close()
        assertEquals(1, engine.liveInstances());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.liveInstances() != 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, engine.liveInstances());
        module.instantiate().close();
    }

    // tag::limits[]
    /** A plugin host that caps each plugin's memory at 16 MiB and runs at most 100 plugins at once. */
    static Isthmus limitedEngine(java.util.concurrent.atomic.AtomicLong tenantBytes) {
        return Isthmus.builder()
                .limits(ResourceLimits.builder()
                        .maxMemoryBytes(16 << 20)                       // per memory: memory.grow past it returns -1
                        .maxTableElements(10_000)                       // per table: table.grow past it returns -1
                        .maxInstances(100)                              // live instances of this engine
                        .build())
                .limiter(new ResourceLimiter() {                        // asked for every grow the limits allow
                    @Override
                    public boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
                        if (tenantBytes.addAndGet(desiredBytes - currentBytes) > (64 << 20)) {
                            tenantBytes.addAndGet(currentBytes - desiredBytes);
                            return false;                               // refuse: memory.grow returns -1
                        }
                        return true;                                    // or throw: the grow traps with it
                    }
                })
                .build();
    }
    // end::limits[]

    @Test
    void theDocExampleLimits() {
        var tenantBytes = new java.util.concurrent.atomic.AtomicLong();
        Isthmus engine = limitedEngine(tenantBytes);
        CompiledModule module = compile(engine, GROWER);
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Instance instance = module.instantiate();
            instances.add(instance);
            assertEquals(1, call(instance, "grow", 255));           // 16 MiB each
        }
        assertEquals(64L << 20, tenantBytes.get());
        assertEquals(-1, call(instances.get(0), "grow", 1));        // the memory's cap
        var e = assertThrows(UninstantiableException.class, module::instantiate);  // the tenant's 64 MiB
        assertEquals("the resource limiter refused a memory of 1 pages (65536 bytes)", e.getMessage());
        instances.forEach(Instance::close);
    }

    @Test
    void theDocQuotesTheExampleExactly() throws IOException {
        DocExamples.assertQuoted(Path.of("docs/embedding.md"), Path.of("src/test/java/dev/isthmus/api/ResourceLimitsTest.java"),
                "limits");
    }
}
