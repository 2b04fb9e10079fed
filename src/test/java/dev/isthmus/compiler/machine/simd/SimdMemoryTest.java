package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory family ({@link SimdMemoryOps}) against a Java model: every load and store form at aligned and
 * unaligned addresses, every lane, with and without AVX and every aliasing; stores must touch exactly their bytes.
 */
class SimdMemoryTest {
    private static final Random RANDOM = new Random(0x3E3);
    private static final HexFormat HEX = HexFormat.of();
    private static final int[] OFFSETS = {0, 1, 3, 8, 13, 32};

    private static final List<Opcode> LOADS = List.of(Opcode.V128_LOAD, Opcode.V128_LOAD8X8_S,
            Opcode.V128_LOAD8X8_U, Opcode.V128_LOAD16X4_S, Opcode.V128_LOAD16X4_U, Opcode.V128_LOAD32X2_S,
            Opcode.V128_LOAD32X2_U, Opcode.V128_LOAD8_SPLAT, Opcode.V128_LOAD16_SPLAT, Opcode.V128_LOAD32_SPLAT,
            Opcode.V128_LOAD64_SPLAT, Opcode.V128_LOAD32_ZERO, Opcode.V128_LOAD64_ZERO);

    @Test
    void accessBytes() {
        assertEquals(16, SimdShape.of(Opcode.V128_LOAD, false).accessBytes());
        assertEquals(16, SimdShape.of(Opcode.V128_STORE, true).accessBytes());
        assertEquals(8, SimdShape.of(Opcode.V128_LOAD16X4_U, false).accessBytes());
        assertEquals(1, SimdShape.of(Opcode.V128_LOAD8_SPLAT, false).accessBytes());
        assertEquals(2, SimdShape.of(Opcode.V128_STORE16_LANE, false).accessBytes());
        assertEquals(4, SimdShape.of(Opcode.V128_LOAD32_ZERO, false).accessBytes());
        assertEquals(8, SimdShape.of(Opcode.V128_LOAD64_LANE, false).accessBytes());
        assertEquals(0, SimdShape.of(Opcode.I8X16_SPLAT, false).accessBytes());
        for (Opcode op : LOADS) assertTrue(SimdLowering.isLowered(op), op.text());
    }

    private static byte[] memory() {
        byte[] m = new byte[64];
        RANDOM.nextBytes(m);
        m[0] = (byte) 0x80;
        m[1] = (byte) 0x7F;
        m[2] = (byte) 0xFF;
        m[3] = 0;
        return m;
    }

    private static boolean[] modes() {
        return SimdHarness.cpu(true).avx() ? new boolean[] {true, false} : new boolean[] {false};
    }

    @Test
    void loads() throws Throwable {
        for (int round = 0; round < 3; round++) {
            byte[] mem = memory();
            for (int off : OFFSETS) {
                for (Opcode op : LOADS) {
                    byte[] e = expectedLoad(op, mem, off);
                    for (boolean avx : modes()) {
                        byte[] m = mem.clone();
                        byte[] out = SimdHarness.run(op, avx, SimdHarness.Aliasing.DISTINCT, 0, null, new byte[0][],
                                m, off);
                        assertEquals(HEX.formatHex(e), HEX.formatHex(out), op.text() + " at " + off + " avx " + avx);
                        assertEquals(HEX.formatHex(mem), HEX.formatHex(m), "memory unchanged");
                    }
                }
            }
        }
    }

    private static byte[] expectedLoad(Opcode op, byte[] m, int off) {
        byte[] e = new byte[16];
        switch (op) {
            case V128_LOAD -> System.arraycopy(m, off, e, 0, 16);
            case V128_LOAD8X8_S, V128_LOAD8X8_U, V128_LOAD16X4_S, V128_LOAD16X4_U, V128_LOAD32X2_S,
                 V128_LOAD32X2_U -> {
                int w = switch (op) {
                    case V128_LOAD8X8_S, V128_LOAD8X8_U -> 1;
                    case V128_LOAD16X4_S, V128_LOAD16X4_U -> 2;
                    default -> 4;
                };
                boolean signed = op.text().endsWith("_s");
                for (int i = 0; i < 8 / w; i++) {
                    long v = SimdLaneTest.get(m, off + i * w, w);
                    if (signed) v = v << (64 - 8 * w) >> (64 - 8 * w);
                    for (int b = 0; b < 2 * w; b++) e[i * 2 * w + b] = (byte) (v >>> (8 * b));
                }
            }
            case V128_LOAD8_SPLAT, V128_LOAD16_SPLAT, V128_LOAD32_SPLAT, V128_LOAD64_SPLAT -> {
                int w = SimdShape.of(op, false).accessBytes();
                for (int i = 0; i < 16; i++) e[i] = m[off + i % w];
            }
            case V128_LOAD32_ZERO -> System.arraycopy(m, off, e, 0, 4);
            case V128_LOAD64_ZERO -> System.arraycopy(m, off, e, 0, 8);
            default -> throw new IllegalArgumentException(op.text());
        }
        return e;
    }

    @Test
    void store() throws Throwable {
        for (int off : OFFSETS) {
            byte[] mem = memory();
            byte[] v = SimdLaneTest.random();
            for (boolean avx : modes()) {
                byte[] m = mem.clone();
                SimdHarness.run(Opcode.V128_STORE, avx, SimdHarness.Aliasing.DISTINCT, 0, null, new byte[][] {v}, m,
                        off);
                byte[] e = mem.clone();
                System.arraycopy(v, 0, e, off, 16);
                assertEquals(HEX.formatHex(e), HEX.formatHex(m), "v128.store at " + off + " avx " + avx);
            }
        }
    }

    @Test
    void laneLoadsAndStores() throws Throwable {
        Opcode[] loads = {Opcode.V128_LOAD8_LANE, Opcode.V128_LOAD16_LANE, Opcode.V128_LOAD32_LANE,
            Opcode.V128_LOAD64_LANE};
        Opcode[] stores = {Opcode.V128_STORE8_LANE, Opcode.V128_STORE16_LANE, Opcode.V128_STORE32_LANE,
            Opcode.V128_STORE64_LANE};
        for (int k = 0; k < 4; k++) {
            int w = 1 << k;
            for (int lane = 0; lane < 16 / w; lane++) {
                for (int off : new int[] {0, 5, 40}) {
                    byte[] mem = memory();
                    byte[] v = SimdLaneTest.random();
                    byte[] e = v.clone();
                    System.arraycopy(mem, off, e, lane * w, w);
                    byte[] stored = mem.clone();
                    System.arraycopy(v, lane * w, stored, off, w);
                    for (boolean avx : modes()) {
                        for (SimdHarness.Aliasing al : SimdHarness.Aliasing.values()) {
                            byte[] m = mem.clone();
                            byte[] out = SimdHarness.run(loads[k], avx, al, lane, null, new byte[][] {v.clone()}, m,
                                    off);
                            String what = loads[k].text() + " lane " + lane + " at " + off + " avx " + avx + " " + al;
                            assertEquals(HEX.formatHex(e), HEX.formatHex(out), what);
                            assertEquals(HEX.formatHex(mem), HEX.formatHex(m), what + ": memory unchanged");
                        }
                        byte[] m = mem.clone();
                        SimdHarness.run(stores[k], avx, SimdHarness.Aliasing.DISTINCT, lane, null,
                                new byte[][] {v.clone()}, m, off);
                        assertEquals(HEX.formatHex(stored), HEX.formatHex(m),
                                stores[k].text() + " lane " + lane + " at " + off + " avx " + avx);
                    }
                }
            }
        }
        assertTrue(Arrays.stream(stores).allMatch(SimdLowering::isLowered));
    }
}
