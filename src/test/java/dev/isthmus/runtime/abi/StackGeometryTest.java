package dev.isthmus.runtime.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The mask arithmetic machine code relies on: {@code test esp, WINDOW_MASK} sets ZF exactly below the limit. */
class StackGeometryTest {
    @Test
    void regionsAreLaidOutAsDocumented() {
        assertEquals(StackGeometry.WINDOW, StackGeometry.HEADER + StackGeometry.GUARD + StackGeometry.RESERVE);
        assertEquals(StackGeometry.RESERVE - StackGeometry.TRAP_ROOM, StackGeometry.MAX_UNCHECKED_FRAME);
        assertEquals(0, StackGeometry.WINDOW & (StackGeometry.WINDOW - 1), "WINDOW is a power of two");
        assertEquals(0, StackGeometry.SIZE % 4096);
        assertTrue(StackGeometry.ALIGNMENT > StackGeometry.WINDOW + StackGeometry.SIZE);
        assertEquals(0, StackGeometry.ALIGNMENT & (StackGeometry.ALIGNMENT - 1), "ALIGNMENT is a power of two");
    }

    @Test
    void exhaustedExactlyBelowTheLimit() {
        for (long base : new long[] {StackGeometry.ALIGNMENT, 0x7f12L * StackGeometry.ALIGNMENT,
                (1L << 46) - StackGeometry.ALIGNMENT}) {
            long limit = StackGeometry.limitOf(base);
            long top = StackGeometry.topOf(base);
            assertTrue(StackGeometry.exhausted(limit - 1));
            assertTrue(StackGeometry.exhausted(limit - 8));
            assertTrue(StackGeometry.exhausted(base + StackGeometry.HEADER + StackGeometry.GUARD), "in the reserve");
            assertTrue(StackGeometry.exhausted(base + StackGeometry.HEADER), "in the guard");
            assertFalse(StackGeometry.exhausted(limit));
            assertFalse(StackGeometry.exhausted(limit + 8));
            assertFalse(StackGeometry.exhausted(top));
            assertFalse(StackGeometry.exhausted(top - 8));
            assertEquals(base, StackGeometry.baseOf(top - 8));
            assertEquals(base, StackGeometry.baseOf(limit - 1));
            // what the 32-bit test instruction sees is the low half of RSP: the same answer
            assertEquals(StackGeometry.exhausted(limit - 8), ((int) (limit - 8) & StackGeometry.WINDOW_MASK) == 0);
        }
    }

    @Test
    void alignmentForSeveralSizes() {
        long window = StackGeometry.WINDOW;
        assertEquals(2L << 20, alignmentFor(1L << 20));
        assertEquals(256L << 10, alignmentFor(64L << 10));
        assertEquals(1L << 20, alignmentFor((1L << 20) - window - 4096));
        assertEquals(2L << 20, alignmentFor((1L << 20) - window));     // the top must lie strictly inside
        assertEquals(16L << 20, alignmentFor(8L << 20));
        assertEquals(2L << 30, alignmentFor(1L << 30));
        for (long size : new long[] {64L << 10, 1L << 20, 3L << 20, 8L << 20, 1L << 30}) {
            long alignment = alignmentFor(size);
            assertTrue(alignment > window + size && alignment / 2 <= window + size, "size " + size);
            int mask = (int) ((alignment - 1) & ~(window - 1));
            long base = 5 * alignment;
            assertEquals(0, (int) (base + window - 8) & mask, "below the limit");
            assertTrue(((int) (base + window) & mask) != 0, "at the limit");
            assertTrue(((int) (base + window + size) & mask) != 0, "at the top");
        }
    }

    /** StackGeometry's formula for ALIGNMENT (its constant is computed once from the system property). */
    private static long alignmentFor(long size) {
        return Long.highestOneBit(StackGeometry.WINDOW + size) << 1;
    }

    @Test
    void theConstantsFollowTheFormula() {
        assertEquals(alignmentFor(StackGeometry.SIZE), StackGeometry.ALIGNMENT);
        assertEquals((int) ((StackGeometry.ALIGNMENT - 1) & ~((long) StackGeometry.WINDOW - 1)), StackGeometry.WINDOW_MASK);
    }
}
