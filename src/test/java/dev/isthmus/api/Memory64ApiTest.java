package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.Imports;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import dev.isthmus.Table;
import dev.isthmus.TrapKind;
import dev.isthmus.UnlinkableException;
import dev.isthmus.WasmTrap;
import dev.isthmus.model.ValType;
import dev.isthmus.options.Tier;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Memory64 and table64 through the embedding API: long offsets beyond 4 GiB, types, imports and exports. */
class Memory64ApiTest {
    private static final long PAGE = 65536;
    private static final long FOUR_GIB = 1L << 32;

    private static byte[] wat(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A memory64 memory larger than 4 GiB: Java and wasm read each other's bytes above 2^32. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void bytesAbove4GiBAreSharedBetweenJavaAndWasm(Tier tier) {
        try (Instance instance = Isthmus.builder().tier(tier).build().compile(wat("""
                (module
                  (memory (export "mem") i64 65537)
                  (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
                  (func (export "store") (param i64 i64) (i64.store offset=8 (local.get 0) (local.get 1)))
                  (func (export "pages") (result i64) (memory.size)))
                """)).instantiate()) {
            Memory memory = instance.memory("mem");
            assertTrue(memory.is64());
            assertTrue(memory.type().address64());
            assertEquals(65537, memory.pages());
            assertEquals(65537L, instance.call("pages")[0]);
            long at = FOUR_GIB + 40;
            memory.writeLong(at, 0x0123_4567_89AB_CDEFL);
            assertEquals(0x0123_4567_89AB_CDEFL, instance.call("load", at)[0]);
            instance.call("store", at, -5L);
            assertEquals(-5L, memory.readLong(at + 8));
            assertEquals(0, memory.readInt(40), "no aliasing of 2^32 + x with x");
            long last = memory.byteSize() - 8;
            memory.writeLong(last, 77);
            assertEquals(77L, instance.call("load", last)[0]);
            assertThrows(IndexOutOfBoundsException.class, () -> memory.readLong(last + 1));
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.call("load", last + 1));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind());
        }
    }

    /** Memory.create64 and Table.create64 satisfy i64 imports; a 32-bit memory or table does not, nor vice versa. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void importsMatchTheAddressType(Tier tier) throws Exception {
        Isthmus engine = Isthmus.builder().tier(tier).build();
        byte[] module = wat("""
                (module
                  (import "env" "mem" (memory i64 1))
                  (import "env" "tab" (table i64 2 funcref))
                  (func (export "size") (result i64) (memory.size))
                  (func (export "tsize") (result i64) (table.size))
                  (func (export "get") (param i64) (result i32) (i32.load8_u (local.get 0))))
                """);
        try (Memory mem = Memory.create64(1, 3); Table tab = Table.create64(ValType.FUNCREF, 2, -1);
             Memory mem32 = Memory.create(1, 3); Table tab32 = Table.create(ValType.FUNCREF, 2, -1)) {
            assertTrue(mem.is64());
            assertFalse(mem32.is64());
            assertTrue(tab.is64());
            mem.writeByte(PAGE - 1, (byte) 200);
            try (Instance instance = engine.compile(module).instantiate(Imports.builder().memory("env", "mem", mem)
                    .table("env", "tab", tab).build())) {
                assertEquals(1L, instance.call("size")[0]);
                assertEquals(2L, instance.call("tsize")[0]);
                assertEquals(200, instance.call("get", PAGE - 1)[0]);
                assertEquals(1, mem.grow(2));
                assertEquals(3L, instance.call("size")[0]);
            }
            assertThrows(UnlinkableException.class, () -> engine.compile(module).instantiate(Imports.builder()
                    .memory("env", "mem", mem32).table("env", "tab", tab).build()));
            assertThrows(UnlinkableException.class, () -> engine.compile(module).instantiate(Imports.builder()
                    .memory("env", "mem", mem).table("env", "tab", tab32).build()));
            byte[] module32 = wat("(module (import \"env\" \"mem\" (memory 1)))");
            assertThrows(UnlinkableException.class, () -> engine.compile(module32).instantiate(Imports.builder()
                    .memory("env", "mem", mem).build()));
        }
    }

    /** A memory64 module's memory and table types report the address type. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void typesReportTheAddressType(Tier tier) {
        var compiled = Isthmus.builder().tier(tier).build().compile(wat("""
                (module (memory (export "m") i64 2 5) (table (export "t") i64 3 funcref))
                """));
        assertTrue(compiled.module().memoryType(0).address64());
        assertEquals("(memory i64 2 5)", compiled.module().memoryType(0).toString());
        assertTrue(compiled.module().tableType(0).address64());
        assertEquals("(table i64 3 funcref)", compiled.module().tableType(0).toString());
    }
}
