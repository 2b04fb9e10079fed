package dev.isthmus.runtime.code;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.os.SystemInfo;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

class CodeMemoryTest {
    /** {@code mov eax, edi; add eax, esi; ret} — encoded by hand (89 /r, 01 /r, C3), not by our assembler. */
    private static final byte[] ADD_I32 = {(byte) 0x89, (byte) 0xF8, (byte) 0x01, (byte) 0xF0, (byte) 0xC3};
    /** {@code lea rax, [rdi + rsi*2]; ret}: 48 8D 04 77, C3. */
    private static final byte[] TWICE_PLUS = {0x48, (byte) 0x8D, 0x04, 0x77, (byte) 0xC3};

    @Test
    void isWritableThenExecutableButNeverBoth() {
        CodeMemory memory = CodeMemory.allocate(ADD_I32.length);
        try {
            ProcMaps.Mapping writing = ProcMaps.covering(memory.address());
            assertNotNull(writing);
            assertEquals("rw-p", writing.permissions(), "while writing");
            assertTrue(writing.end() >= memory.address() + memory.size());

            memory.write(0, ADD_I32);
            memory.seal();

            ProcMaps.Mapping sealed = ProcMaps.covering(memory.address());
            assertEquals("r-xp", sealed.permissions(), "after sealing");
            assertTrue(sealed.end() >= memory.address() + memory.size());
            for (ProcMaps.Mapping m : ProcMaps.read()) {
                if (m.contains(memory.address())) {
                    assertFalse(m.permissions().startsWith("rwx"), "never writable and executable: " + m);
                }
            }
        } finally {
            memory.close();
        }
        assertNull(ProcMaps.covering(memory.address()), "close() unmaps the pages");
    }

    @Test
    void runsCodeThroughADowncallHandle() throws Throwable {
        try (CodeMemory memory = CodeMemory.of(ADD_I32)) {
            MethodHandle add = memory.entry(0, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            assertEquals(5, (int) add.invokeExact(2, 3));
            assertEquals(Integer.MIN_VALUE, (int) add.invokeExact(Integer.MAX_VALUE, 1));
            assertArrayEquals(ADD_I32, memory.read(0, ADD_I32.length));
        }
    }

    @Test
    void entriesAtOffsets() throws Throwable {
        try (CodeMemory memory = CodeMemory.allocate(64)) {
            memory.write(0, ADD_I32);
            memory.write(16, TWICE_PLUS);
            memory.seal();
            MethodHandle twicePlus = memory.entry(16, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
            assertEquals(1L + 2 * (1L << 40), (long) twicePlus.invokeExact(1L, 1L << 40));
            assertEquals(memory.address() + 16, memory.addressOf(16));
        }
    }

    @Test
    void sizeIsWholePagesAndRangeIsRegistered() {
        long page = SystemInfo.pageSize();
        CodeMemory memory = CodeMemory.allocate(page + 1);
        CodeRange range = memory.range();
        try {
            assertEquals(2 * page, memory.size());
            assertEquals(0, memory.address() % page);
            assertSame(range, CodeRegistry.global().lookup(memory.address()));
            assertSame(range, CodeRegistry.global().lookup(memory.address() + memory.size() - 1));
            assertSame(memory, range.owner());
        } finally {
            memory.close();
        }
        assertNull(CodeRegistry.global().lookup(memory.address()), "close() deregisters");
        memory.close();  // idempotent
    }

    @Test
    void ownerIsRecorded() {
        Object owner = new Object();
        try (CodeMemory memory = CodeMemory.allocate(1, owner)) {
            assertSame(owner, CodeRegistry.global().lookup(memory.address()).owner());
        }
    }

    @Test
    void stateIsEnforced() {
        CodeMemory memory = CodeMemory.allocate(16);
        FunctionDescriptor descriptor = FunctionDescriptor.ofVoid();
        assertThrows(IllegalStateException.class, () -> memory.entry(0, descriptor), "not executable yet");
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write(memory.size() - 2, ADD_I32));
        memory.write(0, ADD_I32);
        memory.seal();
        assertThrows(IllegalStateException.class, () -> memory.write(0, ADD_I32), "sealed memory is read-only");
        assertThrows(IllegalStateException.class, memory::seal);
        assertThrows(IndexOutOfBoundsException.class, () -> memory.entry(memory.size(), descriptor));
        memory.close();
        assertThrows(IllegalStateException.class, () -> memory.entry(0, descriptor));
        assertThrows(IllegalStateException.class, () -> memory.read(0, 1));
        assertThrows(IllegalArgumentException.class, () -> CodeMemory.allocate(0));
    }
}
