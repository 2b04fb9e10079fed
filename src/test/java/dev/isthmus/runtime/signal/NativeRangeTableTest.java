package dev.isthmus.runtime.signal;

import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RDX;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.runtime.code.CodeMemory;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Label;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The Java writer and the machine-code reader of {@link NativeRangeTable} agree, also while the writer works. */
class NativeRangeTableTest {
    /** Machine-code lookup wrapped as {@code long lookup(long key, long table)}: the datum, or -1 on a miss. */
    private static final class NativeLookup implements AutoCloseable {
        final CodeMemory code;
        final MethodHandle handle;

        NativeLookup() {
            Assembler asm = new Assembler();
            Label lookup = RangeLookupEmitter.emit(asm);
            Label hit = asm.newLabel();
            int wrapper = asm.position();
            asm.call(lookup);
            asm.test(DWORD, RDX, RDX);
            asm.jcc(Cond.NE, hit);
            asm.mov(QWORD, RAX, -1);
            asm.bind(hit);
            asm.ret();
            code = CodeMemory.of(asm.finish());
            handle = code.entry(wrapper, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
        }

        long lookup(NativeRangeTable table, long key) {
            try {
                return (long) handle.invokeExact(key, table.address());
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }

        @Override
        public void close() {
            code.close();
        }
    }

    @Test
    void javaSideRejectsOverlapsAndGrows() {
        NativeRangeTable table = new NativeRangeTable("test", 3);
        table.add(100, 200, 1);
        assertThrows(IllegalStateException.class, () -> table.add(150, 160, 2));
        assertThrows(IllegalStateException.class, () -> table.add(50, 101, 2));
        assertThrows(IllegalStateException.class, () -> table.add(199, 300, 2));
        assertThrows(IllegalArgumentException.class, () -> table.add(300, 300, 2));
        table.add(200, 300, 2);
        table.add(0, 100, 3);
        table.add(400, 500, 4);                                  // a fourth range: the snapshots grow
        assertTrue(table.capacity() >= 4);
        assertEquals(4L, table.find(450));
        assertEquals(2L, table.find(250));
        assertEquals(3L, table.find(0));
        assertNull(table.find(300));
        assertTrue(table.remove(200));
        assertFalse(table.remove(200));
        assertNull(table.find(250));
        assertEquals(3, table.size());
    }

    @Test
    void machineCodeLookupMatchesJavaLookup() {
        NativeRangeTable table = new NativeRangeTable("random", 64);
        Random random = new Random(42);
        long next = 0x10000;
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long start = next + random.nextInt(3) * 0x1000L;    // sometimes adjacent, sometimes a gap
            long end = start + 1 + random.nextInt(0x3000);
            table.add(start, end, i * 7L);
            ranges.add(new long[] {start, end});
            next = end;
        }
        try (NativeLookup lookup = new NativeLookup()) {
            assertEquals(-1, lookup.lookup(table, 0));
            assertEquals(-1, lookup.lookup(table, -1L));
            for (long[] range : ranges) {
                for (long key : new long[] {range[0] - 1, range[0], range[1] - 1, range[1], (range[0] + range[1]) / 2}) {
                    Long expected = table.find(key);
                    assertEquals(expected == null ? -1 : expected, lookup.lookup(table, key), "key 0x" + Long.toHexString(key));
                }
            }
            for (int i = 0; i < 10_000; i++) {
                long key = 0x10000 + random.nextLong(next - 0x10000 + 0x1000);
                Long expected = table.find(key);
                assertEquals(expected == null ? -1 : expected, lookup.lookup(table, key));
            }
            NativeRangeTable empty = new NativeRangeTable("empty", 64);
            assertEquals(-1, lookup.lookup(empty, 0x10000));
        }
    }

    @Test
    void readersNeverSeeATornTableWhileTheWriterChurns() throws Exception {
        NativeRangeTable table = new NativeRangeTable("churn", 64);
        table.add(0x5000_0000L, 0x5000_1000L, 1234);       // always present
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        try (NativeLookup lookup = new NativeLookup()) {
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            assertEquals(1234, lookup.lookup(table, 0x5000_0800L));
                            assertEquals(-1, lookup.lookup(table, 0x7000_0000L));
                            lookups.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            Random random = new Random(7);
            for (int round = 0; round < 3000; round++) {
                long start = 0x1000_0000L + random.nextInt(40) * 0x10000L;
                if (table.find(start) == null) {
                    table.add(start, start + 0x8000, round);
                } else {
                    table.remove(start);
                }
            }
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("reader failed", failure.get());
        }
        assertTrue(lookups.get() > 0);
    }
}
