package dev.isthmus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.os.NativeHeap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Instances free their native resources: mappings and native allocations stay flat over many cycles (and resident
 * memory, checked with {@code -Disthmus.test.rss=true -Xmx64m -Disthmus.test.cycles=100000}).
 */
class InstanceLifecycleTest {
    /** Limit for resident-memory growth outside the heap; only checked with {@code -Disthmus.test.rss=true}. */
    private static final boolean CHECK_RSS = Boolean.getBoolean("isthmus.test.rss");
    private static final int CYCLES = Integer.getInteger("isthmus.test.cycles", 5000);

    private static final String MODULE = """
            (module (memory (export "memory") 2 100) (table 10 funcref) (global (mut i64) (i64.const 1))
              (elem (i32.const 0) $touch)
              (data (i32.const 0) "initial bytes")
              (func $touch (export "touch") (param i32) (result i32)
                local.get 0 local.get 0 i32.store
                i32.const 1 memory.grow drop
                local.get 0 i32.load))
            """;

    @Test
    void instantiateCloseCyclesKeepMappingsAndRssFlat() throws IOException {
        CompiledModule module = Isthmus.create().compile(MODULE.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 200; i++) cycle(module, i);
        long mappingsBefore = mappings();
        long allocationsBefore = NativeHeap.liveAllocations();
        long rssBefore = residentKiB();
        for (int i = 0; i < CYCLES; i++) cycle(module, i);
        long mappingsAfter = mappings();
        long rssAfter = residentKiB();
        assertTrue(mappingsAfter <= mappingsBefore + 30, "mappings " + mappingsBefore + " → " + mappingsAfter);
        assertEquals(allocationsBefore, NativeHeap.liveAllocations(), "native allocations");
        if (CHECK_RSS) {
            // meaningful with a bounded heap (e.g. -Xmx64m): the heap itself may grow with garbage
            assertTrue(rssAfter <= rssBefore + 64 * 1024, "RSS " + rssBefore + " KiB → " + rssAfter + " KiB");
        }
    }

    private static void cycle(CompiledModule module, int i) {
        try (Instance instance = module.instantiate()) {
            int address = 65536 + i % 60000;
            assertEquals(address, (int) instance.call("touch", address)[0]);
        }
    }

    @Test
    void closedInstancesRefuseCalls() {
        Instance instance = Isthmus.create().compile(MODULE.getBytes(StandardCharsets.UTF_8)).instantiate();
        instance.close();
        instance.close();
        assertThrows(IllegalStateException.class, () -> instance.call("touch", 0));
        assertThrows(IllegalStateException.class, () -> instance.memory("memory"));
    }

    private static long mappings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).size();
    }

    private static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS");
    }
}
