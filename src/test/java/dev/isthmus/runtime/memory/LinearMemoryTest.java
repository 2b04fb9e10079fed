package dev.isthmus.runtime.memory;

import dev.isthmus.options.BoundsChecks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.model.Limits;
import dev.isthmus.model.MemoryType;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LinearMemoryTest {
    private static LinearMemory memory(long min, long max, BoundsChecks mode) {
        return LinearMemory.create(new MemoryType(new Limits(min, max)), mode);
    }

    @Test
    void growsUpToTheMaximumAndKeepsItsBase() {
        try (LinearMemory memory = memory(1, 3, BoundsChecks.GUARD_PAGES)) {
            long base = memory.base();
            memory.segment().set(ValueLayout.JAVA_INT, 100, 7);
            assertEquals(1, memory.grow(1));
            assertEquals(2, memory.grow(0));
            assertEquals(-1, memory.grow(2));
            assertEquals(2, memory.grow(1));
            assertEquals(3, memory.pages());
            assertEquals(base, memory.base());
            assertEquals(7, memory.segment().get(ValueLayout.JAVA_INT, 100));
            memory.segment().set(ValueLayout.JAVA_INT, 3 * 65536 - 4, 9);
            assertEquals(new Limits(3, 3), memory.currentType().limits());
        }
    }

    @Test
    void noMaximumMeansFourGibibytes() {
        try (LinearMemory memory = memory(0, Limits.NO_MAX, BoundsChecks.GUARD_PAGES)) {
            assertEquals(65536, memory.maxPages());
            assertEquals(-1, memory.grow(65537));
            assertEquals(0, memory.grow(1));
            assertEquals(new Limits(1, Limits.NO_MAX), memory.currentType().limits());
        }
    }

    @Test
    void explicitModeReservesOnlyTheMaximum() {
        try (LinearMemory memory = memory(1, 2, BoundsChecks.EXPLICIT)) {
            assertEquals(1, memory.grow(1));
            assertEquals(-1, memory.grow(1));
        }
    }

    @Test
    void sizeIsMirroredIntoContexts() {
        try (LinearMemory memory = memory(1, 4, BoundsChecks.GUARD_PAGES);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            var field = arena.allocate(8);
            memory.mirrorSizeInto(field.address());
            assertEquals(65536, field.get(ValueLayout.JAVA_LONG, 0));
            memory.grow(2);
            assertEquals(3 * 65536, field.get(ValueLayout.JAVA_LONG, 0));
            memory.stopMirroring(field.address());
            memory.grow(1);
            assertEquals(3 * 65536, field.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void segmentsOfAClosedMemoryFailInsteadOfCrashing() {
        LinearMemory memory = memory(1, 1, BoundsChecks.GUARD_PAGES);
        var segment = memory.segment();
        memory.close();
        memory.close();
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_INT, 0));
        assertEquals(-1, memory.grow(0));
    }

    @Test
    void createCloseCyclesDoNotAccumulateMappings() throws IOException {
        for (int i = 0; i < 50; i++) memory(1, 2, BoundsChecks.GUARD_PAGES).close();
        long before = mappings();
        for (int i = 0; i < 2000; i++) {
            try (LinearMemory memory = memory(2, 10, BoundsChecks.GUARD_PAGES)) {
                memory.segment().set(ValueLayout.JAVA_LONG, 65536 + 8, i);
                memory.grow(1);
            }
        }
        long after = mappings();
        assertTrue(after <= before + 20, "mappings grew from " + before + " to " + after);
    }

    private static long mappings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).size();
    }
}
