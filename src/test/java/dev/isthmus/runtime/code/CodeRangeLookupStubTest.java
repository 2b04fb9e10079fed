package dev.isthmus.runtime.code;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CodeRangeLookupStubTest {
    private static CodeMemory stub;
    private static MethodHandle lookup;

    @BeforeAll
    static void mapStub() {
        stub = CodeMemory.of(CodeRangeLookupStub.assemble());
        lookup = stub.entry(0, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    @AfterAll
    static void unmapStub() {
        stub.close();
    }

    private static long callStub(CodeRegistry registry, long pc) throws Throwable {
        return (long) lookup.invokeExact(registry.nativeTableAddress(), pc);
    }

    private static long expected(CodeRegistry registry, long pc) {
        CodeRange range = registry.lookup(pc);
        return range == null ? 0 : range.start();
    }

    @Test
    void tableLayoutIsTheDocumentedOne() {
        assertEquals(0, NativeCodeTable.SEQUENCE_OFFSET);
        assertEquals(8, NativeCodeTable.COUNT_OFFSET);
        assertEquals(16, NativeCodeTable.CAPACITY_OFFSET);
        assertEquals(24, NativeCodeTable.ENTRIES_OFFSET);
        assertEquals(16, NativeCodeTable.ENTRY_SIZE);
        assertEquals(0, NativeCodeTable.ENTRY_START_OFFSET);
        assertEquals(8, NativeCodeTable.ENTRY_END_OFFSET);
    }

    @Test
    void emptyTableFindsNothing() throws Throwable {
        CodeRegistry registry = new CodeRegistry();
        assertEquals(0, callStub(registry, 0x1000));
        assertEquals(0, registry.nativeLookup(0x1000));
    }

    @Test
    void machineCodeJavaAndNativeMirrorAgreeThroughGrowth() throws Throwable {
        CodeRegistry registry = new CodeRegistry();
        Random random = new Random(7);
        List<CodeRange> live = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {       // grows past the initial capacity several times
            if (live.size() < 300 && (live.isEmpty() || random.nextInt(4) > 0)) {
                long start = 0x10000 + random.nextInt(1 << 14) * 64L;
                long end = start + 1 + random.nextInt(64);
                if (live.stream().noneMatch(r -> r.start() < end && start < r.end())) {
                    live.add(registry.register(start, end, "r"));
                }
            } else {
                registry.deregister(live.remove(random.nextInt(live.size())));
            }
            for (int probe = 0; probe < 8; probe++) {
                long pc = 0x10000 + random.nextInt(1 << 20) - 64;
                assertEquals(expected(registry, pc), callStub(registry, pc), "pc 0x" + Long.toHexString(pc));
                assertEquals(expected(registry, pc), registry.nativeLookup(pc), "pc 0x" + Long.toHexString(pc));
            }
            if (!live.isEmpty()) {
                CodeRange some = live.get(random.nextInt(live.size()));
                assertEquals(some.start(), callStub(registry, some.start()));
                assertEquals(some.start(), callStub(registry, some.end() - 1));
                assertEquals(expected(registry, some.end()), callStub(registry, some.end()));
            }
        }
    }

    @Test
    void findsCodeMemoryInTheGlobalRegistry() throws Throwable {
        try (CodeMemory memory = CodeMemory.allocate(100)) {
            assertEquals(memory.address(), callStub(CodeRegistry.global(), memory.address() + 50));
            assertEquals(stub.address(), callStub(CodeRegistry.global(), stub.address()));
        }
    }

    @Test
    void readersStayConsistentWhileAWriterChurns() throws Throwable {
        CodeRegistry registry = new CodeRegistry();
        CodeRange fixed = registry.register(0x4000_0000L, 0x4000_1000L, "fixed");
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Random random = new Random(3);
                List<CodeRange> mine = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    if (mine.size() < 200 && random.nextBoolean()) {
                        long start = random.nextBoolean() ? 0x1000L * (1 + mine.size()) : 0x5000_0000L + 0x1000L * i;
                        if (registry.lookup(start) == null && registry.lookup(start + 15) == null) {
                            mine.add(registry.register(start, start + 16, "churn"));
                        }
                    } else if (!mine.isEmpty()) {
                        registry.deregister(mine.remove(mine.size() - 1));
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.set(true);
            }
        });
        long calls = 0;
        while (!done.get()) {
            assertEquals(fixed.start(), callStub(registry, 0x4000_0800L), "after " + calls + " calls");
            assertEquals(0, callStub(registry, 0x4000_1000L));
            calls++;
        }
        writer.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
