package dev.isthmus.binary;

import dev.isthmus.binary.DecodeException;
import dev.isthmus.model.WasmModule;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.isthmus.binary.ModuleBytes.hex;
import static dev.isthmus.binary.ModuleBytes.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Garbage in, {@link DecodeException} out: truncations, mutations and random bytes never produce any other
 * exception (no IndexOutOfBounds, NegativeArraySize, OutOfMemoryError, StackOverflowError) nor a hang; and the
 * decoder stays linear on big inputs.
 */
class DecoderRobustnessTest {
    private static final byte[] FULL = hex(ModuleDecoderTest.FULL_MODULE);

    /** Decodes, accepting success or a malformed-module error; anything else fails the test with the input. */
    private static void decodeOrReject(byte[] bytes) {
        try {
            ModuleDecoder.decode(bytes);
        } catch (DecodeException e) {
            // fine
        } catch (Throwable t) {
            fail("decoding " + HexFormat.of().formatHex(bytes) + " threw " + t, t);
        }
    }

    @Test
    void everyTruncation() {
        for (int n = 0; n < FULL.length; n++) decodeOrReject(Arrays.copyOf(FULL, n));
    }

    @Test
    void randomMutationsOfAFullModule() {
        Random random = new Random(20261124);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = FULL.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = 8 + random.nextInt(b.length - 8);
                switch (random.nextInt(4)) {
                    case 0 -> b[at] = (byte) random.nextInt(256);
                    case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
                    case 2 -> b[at] = (byte) (random.nextBoolean() ? 0xFF : 0x80);
                    default -> b = Arrays.copyOf(b, at);
                }
                if (b.length <= 8) break;
            }
            decodeOrReject(b);
        }
    }

    @Test
    void randomBytesAfterTheHeader() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = Arrays.copyOf(FULL, 9 + random.nextInt(64));
            for (int i = 8; i < b.length; i++) b[i] = (byte) random.nextInt(256);
            // plausible section ids make the search go deeper
            b[8] = (byte) random.nextInt(13);
            decodeOrReject(b);
        }
    }

    @Test
    void hugeDeclaredSizesAndCounts() {
        String[] cases = {
                "01 ff ff ff ff 0f", "01 05 ff ff ff ff 0f", "02 05 ff ff ff ff 07", "0a 06 01 ff ff ff ff 0f",
                "0a 0b 01 09 ff ff ff ff 0f 7f 00 0b", "0b 07 01 01 ff ff ff ff 0f", "00 05 ff ff ff ff 0f",
                "09 07 01 01 00 ff ff ff ff 0f", "0a 0a 01 08 00 0e ff ff ff ff 0f", "0a 0a 01 08 00 1c ff ff ff ff 0f",
        };
        for (String c : cases) decodeOrReject(ModuleBytes.concat(Arrays.copyOf(FULL, 8), hex(c)));
    }

    @Test
    void mutationsOfEverySuiteModule() throws IOException {
        List<byte[]> modules = new ArrayList<>();
        for (String version : new String[] {"wasm-2.0", "wasm-3.0"}) {
            Path dir = WastBinaryModules.testsuite().resolve(version);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".wast")).sorted().toList()) {
                    for (WastBinaryModules.Entry e : WastBinaryModules.read(f)) modules.add(e.bytes());
                }
            }
        }
        assertTrue(modules.size() > 800, "suite modules: " + modules.size());
        Random random = new Random(42);
        for (byte[] m : modules) {
            decodeOrReject(m);
            for (int round = 0; round < 20 && m.length > 8; round++) {
                byte[] b = m.clone();
                b[8 + random.nextInt(b.length - 8)] = (byte) random.nextInt(256);
                decodeOrReject(b);
            }
        }
    }

    /** A million nested blocks: the scanner tracks nesting in an array, not on the Java stack. */
    @Test
    void deepNesting() {
        int depth = 1_000_000;
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) code.writeBytes(hex("02 40"));
        for (int i = 0; i < depth; i++) code.write(0x0B);
        code.write(0x0B);
        byte[] body = ModuleBytes.concat("00", code.toByteArray());
        byte[] m = new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(1), "00")
                .section(10, vec(1), ModuleBytes.u32(body.length), body)
                .bytes();
        assertEquals(3 * depth + 1, ModuleDecoder.decode(m).codes().get(0).code().length);
    }

    /** About 10 MB of code in 100 000 functions decodes in well under a second once warm. */
    @Test
    void tenMegabytesDecodeQuickly() {
        // each body: i32.const 1, then 20x (i32.const 0x12345, i32.add, f64.const 1.0, drop, local.get 0, drop), end
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.writeBytes(hex("01 01 7f 41 01"));
        for (int i = 0; i < 20; i++) code.writeBytes(hex("41 c5 c6 04 6a 44 00 00 00 00 00 00 f0 3f 1a 20 00 1a"));
        code.writeBytes(hex("1a 0b"));
        byte[] body = code.toByteArray();
        int functions = 10_000_000 / (body.length + 2);
        ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        for (int i = 0; i < functions; i++) {
            bodies.writeBytes(ModuleBytes.u32(body.length));
            bodies.writeBytes(body);
        }
        byte[] funcs = new byte[functions];
        byte[] m = new ModuleBytes()
                .section(1, vec(1), "60 00 00")
                .section(3, vec(functions), funcs)
                .section(10, vec(functions), bodies.toByteArray())
                .bytes();
        assertTrue(m.length > 9_500_000, "module size " + m.length);

        long best = Long.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            long t0 = System.nanoTime();
            WasmModule w = ModuleDecoder.decode(m);
            best = Math.min(best, System.nanoTime() - t0);
            assertEquals(functions, w.codes().size());
        }
        assertTrue(best < 1_000_000_000L, "best decode time " + best / 1_000_000 + " ms");
        System.out.println("decoded " + m.length / 1_000_000 + " MB in " + best / 1_000_000 + " ms");
    }
}
