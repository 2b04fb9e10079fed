package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.model.ValType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every integer SIMD instruction against {@link SimdIntegerModel}: edge vectors (0, -1, each lane type's
 * minimum/maximum, sign-bit and alternating patterns) in every combination, shift counts around every lane width
 * (with garbage in the upper half of the count register), and random inputs; with and without AVX and with every
 * {@link SimdHarness.Aliasing}. One generated function per (instruction, AVX, aliasing) runs all inputs.
 */
class SimdIntegerOpsTest {
    private static final int RANDOM_INPUTS = 250;

    static Stream<Arguments> cases() {
        return SimdIntegerModel.family().stream()
                .flatMap(op -> Stream.of(Arguments.of(op, false), Arguments.of(op, true)));
    }

    @Test
    void theFamilyHas139InstructionsAllLowered() {
        List<Opcode> ops = SimdIntegerModel.family();
        assertEquals(139, ops.size(), ops.toString());
        for (Opcode op : ops) assertTrue(SimdLowering.isLowered(op), op.text());
    }

    @Test
    void avxNeverNeedsMoreTemporaries() {
        for (Opcode op : SimdIntegerModel.family()) {
            SimdShape sse = SimdShape.of(op, false), avx = SimdShape.of(op, true);
            assertTrue(avx.xmmTemps() <= sse.xmmTemps() && avx.gprTemps() <= sse.gprTemps(), op.text());
        }
    }

    @ParameterizedTest(name = "{0} avx={1}")
    @MethodSource("cases")
    void matchesTheModel(Opcode op, boolean avx) throws Throwable {
        if (avx) assumeTrue(CpuFeatures.host().avx(), "no AVX on this machine");
        check(op, avx, inputs(op), false);
        List<ValType> params = SimdShape.of(op, avx).params();
        if (params.size() >= 2 && params.get(0) == ValType.V128 && params.get(1) == ValType.V128) {
            // the same register for both operands (a tier may hand it twice)
            List<byte[][]> shared = new ArrayList<>();
            for (byte[][] in : inputs(op)) {
                byte[][] copy = in.clone();
                copy[1] = copy[0];
                shared.add(copy);
            }
            check(op, avx, shared, true);
        }
    }

    private static void check(Opcode op, boolean avx, List<byte[][]> inputs, boolean sharedSources) throws Throwable {
        List<byte[]> expected = new ArrayList<>(inputs.size());
        for (byte[][] in : inputs) expected.add(SimdIntegerModel.eval(op, in));
        int lane = laneBytes(op);
        for (SimdHarness.Aliasing aliasing : SimdHarness.Aliasing.values()) {
            List<byte[]> actual = SimdHarness.runMany(op, avx, aliasing, sharedSources, 0, null, inputs);
            for (int i = 0; i < inputs.size(); i++) {
                if (!Arrays.equals(expected.get(i), actual.get(i))) {
                    StringBuilder sb = new StringBuilder(op.text() + " avx=" + avx + " " + aliasing
                            + (sharedSources ? " shared sources" : "") + "\n");
                    for (byte[] operand : inputs.get(i)) sb.append("  in:   ").append(SimdIntegerModel.hex(operand, lane)).append('\n');
                    sb.append("  want: ").append(SimdIntegerModel.hex(expected.get(i), lane)).append('\n');
                    sb.append("  got:  ").append(SimdIntegerModel.hex(actual.get(i), lane));
                    fail(sb.toString());
                }
            }
        }
    }

    /** The lane width in bytes of the result (or the operand, for a scalar result), for messages. */
    private static int laneBytes(Opcode op) {
        String t = op.text();
        if (t.startsWith("i16x8")) return 2;
        if (t.startsWith("i32x4")) return 4;
        if (t.startsWith("i64x2")) return 8;
        return 1;
    }

    // ---------------------------------------------------------------- inputs

    private static List<byte[][]> inputs(Opcode op) {
        SimdShape shape = SimdShape.of(op, false);
        List<ValType> params = shape.params();
        Random random = new Random(op.ordinal() * 7919L + 17);
        List<byte[]> edges = edgeVectors();
        List<byte[][]> inputs = new ArrayList<>();
        if (params.size() == 1) {
            for (byte[] e : edges) inputs.add(new byte[][] {e});
        } else if (params.size() == 2 && params.get(1) == ValType.I32) {
            for (byte[] e : edges) for (long c : shiftCounts(random)) inputs.add(new byte[][] {e, count(c)});
        } else if (params.size() == 2) {
            for (byte[] e : edges) for (byte[] f : edges) inputs.add(new byte[][] {e, f});
        } else {
            for (int i = 0; i < 600; i++) {
                inputs.add(new byte[][] {pick(edges, random), pick(edges, random), pick(edges, random)});
            }
        }
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            byte[][] in = new byte[params.size()][];
            for (int k = 0; k < in.length; k++) {
                in[k] = params.get(k) == ValType.I32 ? count(random.nextLong()) : randomVector(random, edges);
            }
            inputs.add(in);
        }
        return inputs;
    }

    private static byte[] pick(List<byte[]> edges, Random random) {
        return edges.get(random.nextInt(edges.size()));
    }

    /** Counts around every lane width, negative ones, and garbage in the upper 32 bits of some. */
    private static long[] shiftCounts(Random random) {
        long[] base = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, -1, -8, -63, -64,
                Integer.MIN_VALUE, Integer.MAX_VALUE};
        long[] counts = new long[base.length + 4];
        for (int i = 0; i < base.length; i++) {
            counts[i] = (base[i] & 0xFFFF_FFFFL) | (i % 2 == 0 ? 0 : random.nextLong() << 32);
        }
        for (int i = base.length; i < counts.length; i++) counts[i] = random.nextLong();
        return counts;
    }

    private static byte[] count(long c) {
        byte[] v = new byte[16];
        SimdIntegerModel.set(v, 8, 0, c);
        return v;
    }

    private static byte[] splat(int bytes, long x) {
        byte[] v = new byte[16];
        for (int i = 0; i < 16 / bytes; i++) SimdIntegerModel.set(v, bytes, i, x);
        return v;
    }

    private static byte[] lanes(int bytes, long... xs) {
        byte[] v = new byte[16];
        for (int i = 0; i < 16 / bytes; i++) SimdIntegerModel.set(v, bytes, i, xs[i % xs.length]);
        return v;
    }

    private static List<byte[]> edgeVectors() {
        List<byte[]> v = new ArrayList<>();
        v.add(splat(1, 0));
        v.add(splat(1, -1));
        v.add(splat(1, 1));
        v.add(splat(1, 0x55));
        v.add(splat(1, 0xAA));
        for (int bytes : new int[] {1, 2, 4, 8}) {
            long min = bytes == 8 ? Long.MIN_VALUE : -(1L << (8 * bytes - 1));
            long max = bytes == 8 ? Long.MAX_VALUE : (1L << (8 * bytes - 1)) - 1;
            v.add(splat(bytes, min));
            v.add(splat(bytes, max));
            v.add(lanes(bytes, min, max));
            v.add(lanes(bytes, 0, -1, 1, min + 1));
            v.add(lanes(bytes, max, min, -1, 0));
        }
        byte[] ascending = new byte[16];
        for (int i = 0; i < 16; i++) ascending[i] = (byte) (i * 17 - 120);
        v.add(ascending);
        v.add(lanes(8, 0x0000_0001_FFFF_FFFFL, 0xFFFF_FFFF_0000_0001L));
        v.add(lanes(8, 0x7FFF_FFFF_8000_0000L, 0x8000_0000_7FFF_FFFFL));
        return v;
    }

    /** Random bytes, or lanes drawn from the edge values (so random pairs also hit equal and extreme lanes). */
    private static byte[] randomVector(Random random, List<byte[]> edges) {
        byte[] v = new byte[16];
        switch (random.nextInt(3)) {
            case 0 -> random.nextBytes(v);
            case 1 -> {
                int bytes = 1 << random.nextInt(4);
                for (int i = 0; i < 16 / bytes; i++) {
                    long x = switch (random.nextInt(6)) {
                        case 0 -> 0;
                        case 1 -> -1;
                        case 2 -> bytes == 8 ? Long.MIN_VALUE : -(1L << (8 * bytes - 1));
                        case 3 -> bytes == 8 ? Long.MAX_VALUE : (1L << (8 * bytes - 1)) - 1;
                        case 4 -> random.nextInt(5) - 2;
                        default -> random.nextLong();
                    };
                    SimdIntegerModel.set(v, bytes, i, x);
                }
            }
            default -> {
                byte[] e = pick(edges, random);
                System.arraycopy(e, 0, v, 0, 16);
                v[random.nextInt(16)] = (byte) random.nextInt();
            }
        }
        return v;
    }
}
