package dev.isthmus.runtime.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.signal.FaultTables;
import dev.isthmus.runtime.abi.TrapCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stacks have StackGeometry's shape: aligned region, header, guard registered as a fault region, reserve, usable. */
class WasmStackTest {
    @Test
    void regionHasTheGeometrysShape() throws Exception {
        WasmStack stack = WasmStack.allocate();
        long base = stack.base();
        assertEquals(0, base % StackGeometry.ALIGNMENT, "aligned region");
        assertEquals(base + StackGeometry.HEADER, stack.guardStart());
        assertEquals(base + StackGeometry.HEADER + StackGeometry.GUARD, stack.guardEnd());
        assertEquals(base + StackGeometry.WINDOW, stack.limit());
        assertEquals(base + StackGeometry.WINDOW + StackGeometry.SIZE, stack.top());
        assertEquals(StackGeometry.SIZE, stack.size());
        assertEquals(0, stack.top() % 16);
        assertEquals(base, StackGeometry.baseOf(stack.top() - 8));
        assertEquals(base, StackGeometry.baseOf(stack.limit()));

        assertEquals("rw-p", permissions(base), "header");
        assertEquals("---p", permissions(stack.guardStart()), "guard");
        assertEquals("---p", permissions(stack.guardEnd() - 1), "guard");
        assertEquals("rw-p", permissions(stack.guardEnd()), "reserve");
        assertEquals("rw-p", permissions(stack.limit()), "usable");
        assertEquals("rw-p", permissions(stack.top() - 8), "usable");
        assertEquals("unmapped", permissions(stack.top()), "only [base, top) stays mapped");
        assertEquals("unmapped", permissions(base - 1), "the part of the mmap below the aligned base is given back");

        int code = TrapCode.CALL_STACK_EXHAUSTED.code();
        assertEquals((long) code, FaultTables.faultRegions().find(stack.guardStart()));
        assertEquals((long) code, FaultTables.faultRegions().find(stack.guardEnd() - 1));
        assertNull(FaultTables.faultRegions().find(stack.guardEnd()));
        assertNull(FaultTables.faultRegions().find(base), "the header is not part of the guard");
        assertTrue(stack.isGuard(stack.guardStart()) && !stack.isGuard(stack.guardEnd()) && !stack.isGuard(base));

        stack.setContext(0x1234_5678L);
        assertEquals(0x1234_5678L, stack.context());
        stack.close();
        assertNull(FaultTables.faultRegions().find(stack.guardStart()));
        assertEquals("unmapped", permissions(base));
        stack.close();
    }

    @Test
    void defaultUsableSizeIsOneMebibyte() {
        // the test JVM does not set isthmus.wasmStack.size
        assertEquals(1L << 20, StackGeometry.SIZE);
        assertEquals(2L << 20, StackGeometry.ALIGNMENT);
        assertEquals(1L << 20, ThreadContexts.stackSize());
    }

    /** The permission field of the /proc/self/maps line whose range contains {@code address}. */
    static String permissions(long address) throws Exception {
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
