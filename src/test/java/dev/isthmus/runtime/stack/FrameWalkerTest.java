package dev.isthmus.runtime.stack;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.code.CodeRegistry;
import dev.isthmus.runtime.trap.FrameUnwindSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameWalker} on a synthetic stack (plain native memory) with made-up code ranges: it follows rsp- and
 * rbp-based steps, restores rbp where it was saved, stops at the entry's return address, at code without a table,
 * at MAX_FRAMES, and before any read outside the given bounds.
 */
class FrameWalkerTest {
    private static final long STOP = 0x5000_0000L;
    /** Code of "function A" (frameless, 16-byte frame: CFA = rsp + 24) and "B" (frame pointer). */
    private static final long A = 0x1000_0000L;
    private static final long B = 0x2000_0000L;
    private static final long UNKNOWN = 0x3000_0000L;
    private static final long A_STEP = FrameUnwind.step(false, 24, false);
    private static final long B_STEP = FrameUnwind.step(true, 16, true);

    private final CodeRegistry registry = new CodeRegistry();
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment stack = arena.allocate(4096, 16);
    private final long low = stack.address();
    private final long high = low + stack.byteSize();

    FrameWalkerTest() {
        registry.register(A, A + 0x1000, (FrameUnwindSource) pc -> A_STEP);
        registry.register(B, B + 0x1000, (FrameUnwindSource) pc -> B_STEP);
        registry.register(UNKNOWN, UNKNOWN + 0x1000, new Object());
    }

    private void put(long address, long value) {
        stack.set(JAVA_LONG, address - low, value);
    }

    @Test
    void followsRspAndRbpFramesUpToTheEntry() {
        // innermost: A at sp0 (CFA = sp0 + 24) → returns into B; B's frame: saved rbp at fp1, return at fp1 + 8
        // → returns into A again (CFA = sp2 + 24) → returns to the entry (STOP)
        long sp0 = high - 256;
        long cfa0 = sp0 + 24;
        put(cfa0 - 8, B + 0x10);
        long fp1 = cfa0 + 32;                                   // B's rbp (B has 32 bytes below its saved rbp)
        long callerFp = 0x7777_0000L;
        put(fp1, callerFp);
        put(fp1 + 8, A + 0x20);
        long sp2 = fp1 + 16;
        put(sp2 + 24 - 8, STOP);
        long[] pcs = FrameWalker.walk(A + 4, sp0, fp1, low, high, STOP, registry);
        assertArrayEquals(new long[] {A + 4, B + 0x10, A + 0x20}, pcs);
    }

    @Test
    void stopsAtCodeWithoutATable() {
        long sp0 = high - 256;
        put(sp0 + 24 - 8, UNKNOWN + 0x10);
        assertArrayEquals(new long[] {A + 4, UNKNOWN + 0x10}, FrameWalker.walk(A + 4, sp0, 0, low, high, STOP,
                registry));
        assertArrayEquals(new long[] {UNKNOWN + 4}, FrameWalker.walk(UNKNOWN + 4, sp0, 0, low, high, STOP, registry));
    }

    @Test
    void neverReadsOutsideTheBounds() {
        // CFA above high, below low, an rbp far away, a misaligned rsp, an empty or absurd range
        assertArrayEquals(new long[] {A + 4}, FrameWalker.walk(A + 4, high - 16, 0, low, high, STOP, registry));
        assertArrayEquals(new long[] {A + 4}, FrameWalker.walk(A + 4, low - 64, 0, low, high, STOP, registry));
        assertArrayEquals(new long[] {B + 4}, FrameWalker.walk(B + 4, low + 64, 0x10, low, high, STOP, registry));
        assertArrayEquals(new long[] {B + 4}, FrameWalker.walk(B + 4, low + 64, low - 8, low, high, STOP, registry));
        assertArrayEquals(new long[] {A + 4}, FrameWalker.walk(A + 4, low + 65, 0, low, high, STOP, registry));
        assertArrayEquals(new long[] {A + 4}, FrameWalker.walk(A + 4, low + 64, 0, high, low, STOP, registry));
        assertArrayEquals(new long[] {A + 4}, FrameWalker.walk(A + 4, low + 64, 0, 0, high, STOP, registry));
    }

    @Test
    void truncatesAtMaxFramesAndRequiresProgress() {
        // A returning into A, every 24 bytes, from the bottom of the buffer: more frames than MAX_FRAMES fit
        for (long cfa = low + 24; cfa <= high; cfa += 24) {
            put(cfa - 8, A + 0x40);
        }
        long[] pcs = FrameWalker.walk(A + 4, low, 0, low, high, STOP, registry);
        assertArrayEquals(new long[] {A + 4, A + 0x40}, Arrays.copyOf(pcs, 2));
        assertEquals(EntryRecord.MAX_FRAMES, pcs.length);

        // an rbp-based frame whose CFA is not above sp: stop
        long sp = high - 64;
        assertArrayEquals(new long[] {B + 4}, FrameWalker.walk(B + 4, sp, sp - 32, low, high, STOP, registry));
    }
}
