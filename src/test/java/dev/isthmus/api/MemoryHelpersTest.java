package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import dev.isthmus.options.BoundsChecks;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Memory's typed, bounds-checked reads and writes, its strings and its segment's lifetime. */
class MemoryHelpersTest {
    private static final long PAGE = 65536;

    @Test
    void integersAndFloatsAreLittleEndianAtAnyOffsetAndMatchWhatWasmSees() throws Throwable {
        try (Instance instance = Isthmus.create().compile("""
                (module (memory (export "memory") 1)
                  (func (export "i64") (param i32) (result i64) local.get 0 i64.load)
                  (func (export "f32") (param i32) (result f32) local.get 0 f32.load)
                  (func (export "store16") (param i32 i32) local.get 0 local.get 1 i32.store16))
                """.getBytes(StandardCharsets.UTF_8)).instantiate()) {
            Memory memory = instance.memory("memory");
            memory.writeLong(3, 0x0102030405060708L);
            assertEquals(0x08, memory.readByte(3));
            assertEquals(0x0708, memory.readShort(3));
            assertEquals(0x05060708, memory.readInt(3));
            assertEquals(0x0102030405060708L, memory.readLong(3));
            assertEquals(0x0102030405060708L, (long) instance.function("i64").invokeExact(3));
            memory.writeFloat(101, 1.5f);
            assertEquals(1.5f, (float) instance.function("f32").invokeExact(101));
            memory.writeDouble(PAGE - 8, -2.25);
            assertEquals(-2.25, memory.readDouble(PAGE - 8));
            memory.writeInt(200, Float.floatToRawIntBits(Float.intBitsToFloat(0x7fa00001)));
            assertEquals(0x7fa00001, Float.floatToRawIntBits(memory.readFloat(200)));   // NaN payload kept
            instance.function("store16").invokeExact(40, 0xBEEF);
            assertEquals((short) 0xBEEF, memory.readShort(40));
            assertEquals((byte) 0xEF, memory.readByte(40));
            memory.writeByte(41, (byte) 0x7F);
            memory.writeShort(42, (short) -2);
            assertEquals(0xFFFE7FEF, memory.readInt(40));
        }
    }

    @Test
    void stringsWithALengthOrATerminator() {
        try (Memory memory = Memory.create(1, 2)) {
            assertEquals(12, memory.writeString(0, "grüße, ✓"));
            assertEquals("grüße, ✓", memory.readString(0, 12));
            assertEquals("gr", memory.readString(0, 2));
            assertEquals(6, memory.writeCString(100, "abcde"));
            assertEquals("abcde", memory.readCString(100));
            assertEquals("", memory.readCString(105));
            memory.write(200, new byte[] {(byte) 0xC3, 0x28});
            assertEquals("\uFFFD(", memory.readString(200, 2));            // malformed UTF-8: replaced
            memory.write(PAGE - 3, new byte[] {'e', 'n', 'd'});
            IndexOutOfBoundsException noNul = assertThrows(IndexOutOfBoundsException.class,
                    () -> memory.readCString(PAGE - 3));
            assertEquals("no NUL byte between offset 65533 and the end of the wasm memory (size 65536 bytes)",
                    noNul.getMessage());
        }
    }

    @Test
    void everyAccessIsCheckedAgainstTheCurrentSize() {
        try (Memory memory = Memory.create(1, 3)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> memory.readInt(PAGE - 2));
            assertEquals("wasm memory access out of bounds: offset 65534 (0xfffe), length 4, memory size 65536 "
                    + "bytes (1 pages)", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> memory.writeLong(-1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.readByte(PAGE));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.read(10, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.write(PAGE - 1, new byte[2]));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.readString(Long.MAX_VALUE, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.writeCString(PAGE - 3, "abc"));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.readCString(PAGE + 5));
            assertEquals(1, memory.grow(1));
            memory.writeInt(PAGE - 2, 0x11223344);                              // now in bounds
            assertEquals(0x11223344, memory.readInt(PAGE - 2));
            assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11}, memory.read(PAGE - 2, 4));
        }
    }

    @ParameterizedTest
    @EnumSource(BoundsChecks.class)
    void segmentsKeepTheirAddressAcrossGrowsAndFailOnceTheMemoryIsFreed(BoundsChecks mode) {
        Memory memory = Memory.create(1, 4, mode);
        MemorySegment before = memory.segment();
        before.set(ValueLayout.JAVA_INT, 8, 42);
        assertEquals(1, memory.grow(2));
        MemorySegment after = memory.segment();
        assertEquals(before.address(), after.address());                       // never moves
        assertEquals(PAGE, before.byteSize());                                 // the size when it was taken
        assertEquals(3 * PAGE, after.byteSize());
        assertEquals(42, after.get(ValueLayout.JAVA_INT, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> before.get(ValueLayout.JAVA_INT, PAGE));
        after.set(ValueLayout.JAVA_INT, 2 * PAGE, 7);
        assertEquals(7, memory.readInt(2 * PAGE));
        memory.close();
        assertThrows(IllegalStateException.class, () -> before.get(ValueLayout.JAVA_INT, 8));
        assertThrows(IllegalStateException.class, () -> after.get(ValueLayout.JAVA_INT, 8));
        assertThrows(IllegalStateException.class, () -> memory.readInt(8));
    }

    @Test
    void anInstancesMemoryFailsCleanlyAfterTheInstanceIsClosed() {
        Instance instance = Isthmus.create().compile("(module (memory (export \"m\") 1))"
                .getBytes(StandardCharsets.UTF_8)).instantiate();
        Memory memory = instance.memory("m");
        MemorySegment segment = memory.segment();
        memory.writeInt(0, 5);
        instance.close();
        assertThrows(IllegalStateException.class, () -> memory.readInt(0));
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_INT, 0));
    }
}
