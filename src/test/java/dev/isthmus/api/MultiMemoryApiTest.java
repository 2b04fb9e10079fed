package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import dev.isthmus.ResourceLimiter;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.Tier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Multiple memories through the embedding API: exported by name, imported from Java and from other instances. */
class MultiMemoryApiTest {
    private static final long PAGE = 65536;

    private static byte[] wat(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void everyExportedMemoryIsReachableByItsName(Tier tier) throws Throwable {
        try (Instance instance = Isthmus.builder().tier(tier).build().compile(wat("""
                (module
                  (memory $m0 (export "m0") 1)
                  (memory $m1 (export "m1") 2 5)
                  (memory $hidden 1)
                  (data (memory $m1) (i32.const 70000) "one")
                  (func (export "read1") (param i32) (result i32) (i32.load $m1 (local.get 0)))
                  (func (export "write0") (param i32 i32) (i32.store $m0 (local.get 0) (local.get 1)))
                  (func (export "size1") (result i32) (memory.size $m1))
                  (func (export "grow1") (param i32) (result i32) (memory.grow $m1 (local.get 0))))
                """)).instantiate()) {
            Memory m0 = instance.memory("m0");
            Memory m1 = instance.memory("m1");
            assertEquals(PAGE, m0.byteSize());
            assertEquals(2 * PAGE, m1.byteSize());
            assertEquals("one", m1.readString(70000, 3));
            m1.writeInt(100, 0x12345678);
            assertEquals(0x12345678, (int) instance.function("read1").invokeExact(100));
            assertEquals(0, m0.readInt(100));                                  // memory 0 untouched
            instance.function("write0").invokeExact(8, -7);
            assertEquals(-7, m0.readInt(8));
            assertEquals(0, m1.readInt(8));
            assertEquals(2, (int) instance.function("grow1").invokeExact(1));  // wasm grows, Java sees it
            assertEquals(3, m1.pages());
            assertEquals(3, m1.grow(2));                                       // Java grows, wasm sees it
            assertEquals(5, (int) instance.function("size1").invokeExact());
            m1.writeInt(5 * PAGE - 4, 99);
            assertEquals(99, (int) instance.function("read1").invokeExact((int) (5 * PAGE - 4)));
            assertEquals(-1, (int) instance.function("grow1").invokeExact(1)); // maximum 5
            WasmTrap trap = assertThrows(WasmTrap.class,
                    () -> instance.function("read1").invoke((int) (5 * PAGE - 3)));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind());
        }
    }

    /**
     * One memory created in Java, imported as memory 1 by two instances of the same module (each with its own
     * memory 0): what one stores the other loads, a grow by one is seen by the other's memory.size.
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void oneJavaMemorySharedByTwoInstancesAsTheirSecondMemory(Tier tier) throws Throwable {
        CompiledModule module = Isthmus.builder().tier(tier).build().compile(wat("""
                (module
                  (import "env" "private" (memory $own 1))
                  (import "env" "shared" (memory $shared 1 8))
                  (func (export "put") (param i32 i32) (i32.store $shared (local.get 0) (local.get 1)))
                  (func (export "get") (param i32) (result i32) (i32.load $shared (local.get 0)))
                  (func (export "putOwn") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
                  (func (export "getOwn") (param i32) (result i32) (i32.load (local.get 0)))
                  (func (export "grow") (param i32) (result i32) (memory.grow $shared (local.get 0)))
                  (func (export "size") (result i32) (memory.size $shared))
                  (func (export "copyOwnToShared") (param i32 i32 i32)
                    (memory.copy $shared $own (local.get 0) (local.get 1) (local.get 2))))
                """));
        try (Memory shared = Memory.create(1, 8);
             Memory ownA = Memory.create(1, 1);
             Memory ownB = Memory.create(1, 1);
             Instance a = module.instantiate(Imports.builder().memory("env", "private", ownA)
                     .memory("env", "shared", shared).build());
             Instance b = module.instantiate(Imports.builder().memory("env", "private", ownB)
                     .memory("env", "shared", shared).build())) {
            a.function("put").invokeExact(16, 1234);
            assertEquals(1234, (int) b.function("get").invokeExact(16));
            assertEquals(1234, shared.readInt(16));
            a.function("putOwn").invokeExact(16, 5);
            assertEquals(0, (int) b.function("getOwn").invokeExact(16));      // memory 0 is each one's own
            assertEquals(5, ownA.readInt(16));
            assertEquals(1, (int) b.function("grow").invokeExact(2));
            assertEquals(3, (int) a.function("size").invokeExact());
            a.function("put").invokeExact((int) (3 * PAGE - 4), 77);
            assertEquals(77, (int) b.function("get").invokeExact((int) (3 * PAGE - 4)));
            ownB.writeInt(40, 0xCAFE);
            b.function("copyOwnToShared").invokeExact(200, 40, 4);
            assertEquals(0xCAFE, (int) a.function("get").invokeExact(200));
            assertEquals(3 * PAGE, shared.byteSize());
        }
    }

    /** An instance's second memory, exported, imported by another instance (through Imports.instance). */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void aSecondMemoryExportedByOneInstanceIsImportedByAnother(Tier tier) throws Throwable {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        try (Instance provider = engine.compile(wat("""
                (module (memory 1) (memory (export "second") 1 2)
                  (func (export "peek") (param i32) (result i32) (i32.load8_u 1 (local.get 0))))
                """)).instantiate();
             Memory mine = Memory.create(1, 1);
             Instance user = engine.compile(wat("""
                (module (import "env" "mine" (memory $mine 1)) (import "p" "second" (memory $theirs 1))
                  (func (export "poke") (param i32 i32) (i32.store8 $theirs (local.get 0) (local.get 1)))
                  (func (export "grow") (result i32) (memory.grow $theirs (i32.const 1))))
                """)).instantiate(Imports.builder().instance("p", provider).memory("env", "mine", mine).build())) {
            user.function("poke").invokeExact(3, 0xAB);
            assertEquals(0xAB, (int) provider.function("peek").invokeExact(3));
            assertEquals(0, mine.readByte(3));
            assertEquals(1, (int) user.function("grow").invokeExact());
            assertEquals(2, provider.memory("second").pages());
            assertNotEquals(provider.memory("second").segment().address(), 0L);
        }
    }

    /** The resource limiter is asked about each memory's grows, with that memory's sizes. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void theLimiterSeesTheGrowsOfEveryMemory(Tier tier) throws Throwable {
        List<String> asked = new ArrayList<>();
        ResourceLimiter limiter = new ResourceLimiter() {
            @Override
            public boolean memoryGrowing(long currentBytes, long desiredBytes, long maximumBytes) {
                asked.add(currentBytes / PAGE + "->" + desiredBytes / PAGE);
                return desiredBytes <= 4 * PAGE;
            }
        };
        try (Instance instance = Isthmus.builder().tier(tier).limiter(limiter).build().compile(wat("""
                (module (memory 1) (memory 2) (memory 3)
                  (func (export "grow1") (param i32) (result i32) (memory.grow 1 (local.get 0)))
                  (func (export "grow2") (param i32) (result i32) (memory.grow 2 (local.get 0))))
                """)).instantiate()) {
            asked.clear();                                                     // the creations were asked too
            assertEquals(2, (int) instance.function("grow1").invokeExact(2));
            assertEquals(-1, (int) instance.function("grow2").invokeExact(2)); // 5 pages: refused
            assertEquals(3, (int) instance.function("grow2").invokeExact(1));
            assertEquals(List.of("2->4", "3->5", "3->4"), asked);
        }
    }

    /**
     * The text forms of memories beyond the first (inline data, {@code (memory $m)} and bare-index data segments,
     * named and numbered memory immediates), and one memory imported twice: two indices, one memory.
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void textFormsAndOneMemoryImportedUnderTwoIndices(Tier tier) throws Throwable {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        try (Instance first = engine.compile(wat("""
                (module
                  (memory 1)
                  (memory $m (data "abc"))
                  (memory $n (export "n") 1)
                  (data $d1 (memory $n) (offset (i32.const 8)) "xyz")
                  (data 2 (i32.const 16) "q")
                  (data (memory 2) (i32.const 17) "r")
                  (func (export "f") (result i32) (i32.load8_u $m (i32.const 1)))
                  (func (export "g") (result i32) (i32.load8_u $n offset=9 (i32.const 0)))
                  (func (export "h") (result i32) (i32.load16_u 2 (i32.const 16)))
                  (func (export "size") (result i32) (memory.size $m))
                  (func (export "copy") (memory.copy $m $n (i32.const 0) (i32.const 8) (i32.const 3)))
                  (func (export "k") (result i32) (i32.load8_u 1 (i32.const 2))))
                """)).instantiate();
             Instance second = engine.compile(wat("""
                (module
                  (memory $x (import "M" "n") 1)
                  (memory $y (import "M" "n") 1)
                  (func (export "same") (result i32)
                    (i32.store8 $x (i32.const 50) (i32.const 7)) (i32.load8_u $y (i32.const 50))))
                """)).instantiate(Imports.builder().instance("M", first).build())) {
            assertEquals('b', (int) first.function("f").invokeExact());
            assertEquals('y', (int) first.function("g").invokeExact());
            assertEquals(0x7271, (int) first.function("h").invokeExact());
            assertEquals(1, (int) first.function("size").invokeExact());
            first.function("copy").invokeExact();
            assertEquals('z', (int) first.function("k").invokeExact());
            assertEquals(7, (int) second.function("same").invokeExact());
            assertEquals(7, first.memory("n").readByte(50));
        }
    }
}
