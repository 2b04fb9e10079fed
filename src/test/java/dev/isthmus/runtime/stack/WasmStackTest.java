package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.os.SystemInfo;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.trap.TrapKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WasmStackTest {
    @Test
    void guardIsInaccessibleAndRegisteredUntilClose() throws Exception {
        WasmStack stack = WasmStack.allocate(100_000, 10_000);
        long page = SystemInfo.pageSize();
        assertEquals(SystemInfo.roundUpToPages(100_000), stack.size());
        assertEquals(SystemInfo.roundUpToPages(10_000), stack.guardSize());
        assertEquals(0, stack.top() % 16);
        assertEquals(stack.base() + stack.guardSize(), stack.limit());
        assertEquals((long) TrapKind.CALL_STACK_EXHAUSTED.code(), FaultTables.faultRegions().find(stack.base()));
        assertEquals((long) TrapKind.CALL_STACK_EXHAUSTED.code(), FaultTables.faultRegions().find(stack.limit() - 1));
        assertNull(FaultTables.faultRegions().find(stack.limit()));
        assertEquals("---p", permissions(stack.base()));
        assertEquals("rw-p", permissions(stack.limit()));
        assertEquals("rw-p", permissions(stack.top() - page));
        stack.close();
        assertNull(FaultTables.faultRegions().find(stack.base()));
        stack.close();
    }

    @Test
    void defaults() {
        assertEquals(1L << 20, WasmStack.DEFAULT_SIZE);
        assertEquals(64L << 10, WasmStack.DEFAULT_GUARD);
        try (WasmStack stack = WasmStack.allocate()) {
            assertTrue(stack.maxUnprobedFrame() >= 32 << 10);
            assertTrue(stack.isGuard(stack.base()) && !stack.isGuard(stack.limit()));
        }
    }

    /** The permission field of the /proc/self/maps line whose range contains {@code address}. */
    private static String permissions(long address) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/maps"));
        for (String line : lines) {
            String[] fields = line.split("\\s+");
            String[] range = fields[0].split("-");
            long start = Long.parseUnsignedLong(range[0], 16);
            long end = Long.parseUnsignedLong(range[1], 16);
            if (address >= start && address < end) {
                return fields[1];
            }
        }
        return "unmapped";
    }
}
