package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.Memory;
import dev.isthmus.TrapKind;
import dev.isthmus.WasmTrap;
import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.Tier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link BulkMemory} differentially against a Java model of the memory, under both tiers and both bounds-check
 * modes: copy and fill of every size 0..300 and a few large ones, every overlap distance -40..40 (and across
 * 64 KiB page boundaries), constant lengths, the boundaries at the memory's end (n = 0 at the size, the last byte,
 * one past, i32 wraparound of dst + n and src + n: a trap that writes nothing), and all of it after memory.grow.
 */
class BulkMemoryTest {
    private static final String WAT = """
            (module (memory (export "mem") 1 64)
              (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
              (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
              (func (export "copy7") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 7)))
              (func (export "fill16") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 16)))
              (func (export "copy_loop") (param i32 i32 i32 i32)
                (loop $l
                  (memory.copy (local.get 0) (local.get 1) (local.get 2))
                  (local.set 0 (i32.add (local.get 0) (i32.const 3)))
                  (br_if $l (local.tee 3 (i32.sub (local.get 3) (i32.const 1))))))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (result i32) (memory.size)))
            """;

    private static final int[] LARGE = {1000, 4095, 4096, 4097, 65535, 65536, 65537, 1 << 20};

    @TestFactory
    Stream<DynamicTest> tiersAndBoundsModes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            for (BoundsChecks bounds : BoundsChecks.values()) {
                tests.add(DynamicTest.dynamicTest(tier + " " + bounds, () -> run(tier, bounds)));
            }
        }
        return tests.stream();
    }

    private static void run(Tier tier, BoundsChecks bounds) {
        Isthmus engine = Isthmus.builder().tier(tier).boundsChecks(bounds).build();
        try (Instance instance = engine.compile(WAT.getBytes(StandardCharsets.UTF_8)).instantiate()) {
            new Checker(instance).all();
        }
    }

    private static final class Checker {
        final Instance instance;
        final Random random = new Random(12);
        byte[] model;

        Checker(Instance instance) {
            this.instance = instance;
            resetModel();
        }

        Memory memory() {
            return instance.memory("mem");
        }

        void resetModel() {
            model = new byte[(int) memory().byteSize()];
            random.nextBytes(model);
            memory().write(0, model);
        }

        void all() {
            smallAndOverlapping(0);
            boundaries();
            // grow to 18 pages: the new pages are zero in the model too
            assertEquals(1, call("grow", 17)[0]);
            assertEquals(18, call("size")[0]);
            byte[] grown = new byte[18 << 16];
            System.arraycopy(model, 0, grown, 0, model.length);
            model = grown;
            compareAll("after grow");
            boundaries();
            resetModel();
            smallAndOverlapping(65536 - 150); // across the first page boundary
            smallAndOverlapping(17 * 65536 - 100);
            large();
            constants();
            loop();
            boundaries();
        }

        /** Sizes 0..300 forward, backward and disjoint; every distance -40..40 for sizes up to 100. */
        void smallAndOverlapping(int around) {
            for (int n = 0; n <= 300; n++) {
                int src = around + random.nextInt(64);
                copy(src + random.nextInt(2 * n + 80) - n - 40, src, n);
                copy(src + n + 40 + random.nextInt(300), src, n);
                fill(around + random.nextInt(200), random.nextInt(256), n);
            }
            for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 257}) {
                for (int d = -40; d <= 40; d++) copy(around + 100 + d, around + 100, n);
            }
            compareAll("small copies around " + around);
        }

        void large() {
            int size = model.length;
            for (int n : LARGE) {
                copy(random.nextInt(size - n), random.nextInt(size - n), n);
                copy(1000, 1000 + 13, n);      // overlapping, dst below src
                copy(1000 + 13, 1000, n);      // overlapping, dst above src: backwards
                copy(5000, 5000, n);
                fill(random.nextInt(size - n), random.nextInt(256) - 128, n);
            }
            compareAll("large");
        }

        void constants() {
            for (int k = 0; k < 200; k++) {
                int dst = random.nextInt(model.length - 64);
                int src = dst + random.nextInt(21) - 10;
                if (src < 0) src = 0;
                call("copy7", dst, src);
                modelCopy(dst, src, 7);
                int v = random.nextInt(256);
                call("fill16", dst, v);
                modelFill(dst, v, 16);
                compare(dst - 20, 60);
            }
            int size = model.length;
            expectTrap("copy7", size - 6, 0);
            expectTrap("copy7", 0, size - 6);
            call("copy7", size - 7, size - 7);
            expectTrap("fill16", size - 15, 1);
            call("fill16", size - 16, 1);
            modelFill(size - 16, 1, 16);
            compareAll("constant lengths");
        }

        void loop() {
            call("copy_loop", 300, 200, 50, 40);
            for (int k = 0; k < 40; k++) modelCopy(300 + 3 * k, 200, 50);
            compareAll("copy in a loop");
        }

        void boundaries() {
            int size = model.length;
            copy(size, 0, 0);
            copy(0, size, 0);
            fill(size, 7, 0);
            copy(size - 1, 0, 1);
            copy(0, size - 1, 1);
            fill(size - 1, 9, 1);
            copy(size - 300, 5, 300);
            fill(size - 300, 5, 300);
            expectTrap("copy", size + 1, 0, 0);
            expectTrap("copy", 0, size + 1, 0);
            expectTrap("fill", size + 1, 0, 0);
            expectTrap("copy", size - 1, 0, 2);
            expectTrap("copy", 0, size - 1, 2);
            expectTrap("fill", size - 1, 0, 2);
            expectTrap("copy", size - 100, 0, 101);   // a trap that would have written 100 bytes
            expectTrap("fill", size - 100, 0, 101);
            expectTrap("copy", size - 100, 0, 1 << 20);
            expectTrap("fill", 0, 0, size + 1);
            // dst + n and src + n wrap around in 32 bits
            expectTrap("copy", 0xFFFF_FFF0, 0, 0x20);
            expectTrap("copy", 0, 0xFFFF_FFF0, 0x20);
            expectTrap("fill", 0xFFFF_FFF0, 0, 0x20);
            expectTrap("copy", 16, 0, -1);
            expectTrap("fill", 16, 0, -1);
            expectTrap("copy", -1, 0, 1);
            expectTrap("copy", 0x8000_0000, 0x8000_0000, 0x8000_0000);
            compareAll("boundaries");
        }

        void copy(int dst, int src, int n) {
            if (dst < 0 || src < 0) return;
            call("copy", dst, src, n);
            modelCopy(dst, src, n);
            compare(dst - 8, n + 16);
        }

        void fill(int dst, int value, int n) {
            if (dst < 0) return;
            call("fill", dst, value, n);
            modelFill(dst, value, n);
            compare(dst - 8, n + 16);
        }

        void modelCopy(int dst, int src, int n) {
            System.arraycopy(model, src, model, dst, n);
        }

        void modelFill(int dst, int value, int n) {
            java.util.Arrays.fill(model, dst, dst + n, (byte) value);
        }

        Object[] call(String name, int... args) {
            Object[] boxed = new Object[args.length];
            for (int i = 0; i < args.length; i++) boxed[i] = args[i];
            return instance.call(name, boxed);
        }

        void expectTrap(String name, int... args) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> call(name, args), () -> name + " " + List.of(
                    java.util.Arrays.stream(args).mapToObj(Integer::toUnsignedString).toArray()));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, trap.kind());
        }

        void compare(int from, int length) {
            int start = Math.max(0, from);
            int end = Math.min(model.length, from + length);
            MemorySegment actual = memory().segment().asSlice(start, end - start);
            long at = actual.mismatch(MemorySegment.ofArray(model).asSlice(start, end - start));
            if (at >= 0) fail("memory differs from the model at " + (start + at));
        }

        void compareAll(String what) {
            assertEquals(model.length, memory().byteSize(), what + ": size");
            long at = memory().segment().mismatch(MemorySegment.ofArray(model));
            if (at >= 0) fail(what + ": memory differs from the model at " + at);
        }
    }
}
