package dev.isthmus.runtime.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CodeRegistryTest {
    @Test
    void looksUpHalfOpenRanges() {
        CodeRegistry registry = new CodeRegistry();
        CodeRange a = registry.register(0x1000, 0x2000, "a");
        CodeRange c = registry.register(0x5000, 0x5010, "c");
        CodeRange b = registry.register(0x2000, 0x3000, "b");  // adjacent to a, inserted out of order

        assertNull(registry.lookup(0));
        assertNull(registry.lookup(0xFFF));
        assertSame(a, registry.lookup(0x1000));
        assertSame(a, registry.lookup(0x1FFF));
        assertSame(b, registry.lookup(0x2000));
        assertSame(b, registry.lookup(0x2FFF));
        assertNull(registry.lookup(0x3000));
        assertNull(registry.lookup(0x4FFF));
        assertSame(c, registry.lookup(0x500F));
        assertNull(registry.lookup(0x5010));
        assertNull(registry.lookup(Long.MAX_VALUE));
        assertNull(registry.lookup(-1));
        assertEquals(List.of(a, b, c), registry.ranges());
    }

    @Test
    void rejectsOverlaps() {
        CodeRegistry registry = new CodeRegistry();
        registry.register(0x1000, 0x2000, "a");
        registry.register(0x3000, 0x4000, "b");
        assertThrows(IllegalStateException.class, () -> registry.register(0x1FFF, 0x2001, "x"));
        assertThrows(IllegalStateException.class, () -> registry.register(0x2FFF, 0x3001, "x"));
        assertThrows(IllegalStateException.class, () -> registry.register(0x0, 0x5000, "x"));
        assertThrows(IllegalStateException.class, () -> registry.register(0x1800, 0x1900, "x"));
        assertThrows(IllegalArgumentException.class, () -> registry.register(0x9000, 0x9000, "empty"));
        assertEquals(2, registry.size());
    }

    @Test
    void deregistersOnlyWhatWasRegistered() {
        CodeRegistry registry = new CodeRegistry();
        CodeRange a = registry.register(0x1000, 0x2000, "a");
        CodeRange impostor = new CodeRange(0x1000, 0x2000, "a");
        assertFalse(registry.deregister(impostor));
        assertTrue(registry.deregister(a));
        assertFalse(registry.deregister(a));
        assertNull(registry.lookup(0x1000));
        assertEquals(0, registry.size());
    }

    @Test
    void agreesWithALinearScanUnderRandomChurn() {
        CodeRegistry registry = new CodeRegistry();
        List<CodeRange> live = new ArrayList<>();
        Random random = new Random(42);
        for (int step = 0; step < 4000; step++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                long start = random.nextInt(1 << 16) * 16L;
                long end = start + 1 + random.nextInt(64);
                boolean overlaps = live.stream().anyMatch(r -> r.start() < end && start < r.end());
                if (overlaps) {
                    assertThrows(IllegalStateException.class, () -> registry.register(start, end, "r"));
                } else {
                    live.add(registry.register(start, end, "r"));
                }
            } else {
                assertTrue(registry.deregister(live.remove(random.nextInt(live.size()))));
            }
            long probe = random.nextInt(1 << 20);
            CodeRange expected = live.stream().filter(r -> r.contains(probe)).findFirst().orElse(null);
            assertSame(expected, registry.lookup(probe), "probe 0x" + Long.toHexString(probe));
        }
    }

    @Test
    void readersNeverSeeATornSnapshot() throws InterruptedException {
        CodeRegistry registry = new CodeRegistry();
        CodeRange fixed = registry.register(0x10_0000, 0x10_1000, "fixed");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 2_000_000 && failure.get() == null; i++) {
                if (registry.lookup(0x10_0800) != fixed) {
                    failure.set(new AssertionError("lost the fixed range at iteration " + i));
                }
            }
        });
        for (int i = 0; i < 20_000; i++) {
            long start = (i % 2 == 0) ? 0x1000 + i * 0x10L : 0x20_0000 + i * 0x10L;
            registry.deregister(registry.register(start, start + 8, "churn"));
        }
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
