package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.model.ValType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lowerings' constant-operand paths ({@link SimdOperands#constants()}): shifts by a known count (immediate
 * forms), shuffles with a known all-zero operand, swizzles with a known index vector and the one-instruction
 * integer operations with a known v128 operand (a pool memory operand); the sources the lowering does not read
 * ({@link SimdLowering#readsRegister}) are passed as null, as the optimizing tier does; against the same models as
 * the families' tests ({@link SimdIntegerModel}, the lane model of {@link SimdLaneTest}); with and without AVX and
 * with every {@link SimdHarness.Aliasing}.
 */
class SimdConstantOperandTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final List<Opcode> SHIFTS = List.of(Opcode.I8X16_SHL, Opcode.I8X16_SHR_S, Opcode.I8X16_SHR_U,
            Opcode.I16X8_SHL, Opcode.I16X8_SHR_S, Opcode.I16X8_SHR_U, Opcode.I32X4_SHL, Opcode.I32X4_SHR_S,
            Opcode.I32X4_SHR_U, Opcode.I64X2_SHL, Opcode.I64X2_SHR_S, Opcode.I64X2_SHR_U);

    static Stream<Arguments> shifts() {
        return SHIFTS.stream().flatMap(op -> Stream.of(Arguments.of(op, false), Arguments.of(op, true)));
    }

    @ParameterizedTest(name = "{0} avx={1}")
    @MethodSource("shifts")
    void shiftsByAConstantCountMatchTheModel(Opcode op, boolean avx) throws Throwable {
        if (avx) assumeTrue(CpuFeatures.host().avx(), "no AVX on this machine");
        Random random = new Random(op.ordinal());
        long[] counts = {0, 1, 2, 3, 4, 6, 7, 8, 9, 14, 15, 16, 17, 24, 30, 31, 32, 33, 47, 62, 63, 64, 65, 127, 128,
            -1, -8, -63, Integer.MIN_VALUE, Integer.MAX_VALUE, random.nextInt(), random.nextInt()};
        List<byte[]> vectors = new ArrayList<>(SimdLaneTest.vectors());
        for (int i = 0; i < 40; i++) vectors.add(SimdLaneTest.random());
        for (long count : counts) {
            byte[] countBytes = new byte[16];
            SimdIntegerModel.set(countBytes, 8, 0, count);
            List<byte[][]> inputs = new ArrayList<>();
            for (byte[] v : vectors) inputs.add(new byte[][] {v, countBytes});
            check(op, avx, 0, null, new Object[] {null, count}, inputs, in -> SimdIntegerModel.eval(op, in));
        }
    }

    @ParameterizedTest(name = "avx={0}")
    @ValueSource(booleans = {false, true})
    void shufflesWithAZeroOperandMatchTheModel(boolean avx) throws Throwable {
        if (avx) assumeTrue(CpuFeatures.host().avx(), "no AVX on this machine");
        Random random = new Random(0x5EED);
        List<byte[]> masks = new ArrayList<>();
        // zero-extensions (pmovzx patterns) of either operand, with the zero lanes taken anywhere from the other
        for (int from = 1; from <= 4; from *= 2) {
            for (int to = from * 2; to <= 8; to *= 2) {
                for (int zeroFirst = 0; zeroFirst < 2; zeroFirst++) {
                    byte[] m = new byte[16];
                    for (int i = 0; i < 16; i++) {
                        int element = i / to, at = i % to;
                        int source = zeroFirst == 1 ? 16 : 0;
                        m[i] = at < from ? (byte) (source + element * from + at)
                                : (byte) ((16 - source) + random.nextInt(16));
                    }
                    masks.add(m);
                }
            }
        }
        // clang's zero-extension idiom (i8x16.shuffle 16 1 2 3 17 5 6 7 ... (zero, x)), and a variant
        byte[] clang = new byte[16];
        byte[] clangHigh = new byte[16];
        for (int i = 0; i < 16; i++) {
            clang[i] = (byte) (i % 4 == 0 ? 16 + i / 4 : i);
            clangHigh[i] = (byte) (i % 4 == 0 ? 16 + 12 + i / 4 : i);
        }
        masks.add(clang);
        masks.add(clangHigh);
        // interleaves with zero (punpck patterns), a byte shift, dword permutations, random masks
        byte[] interleave = new byte[16];
        byte[] shiftIn = new byte[16];
        for (int i = 0; i < 16; i++) {
            interleave[i] = (byte) (i / 2 + (i % 2) * 16);
            shiftIn[i] = (byte) (i + 4);
        }
        masks.add(interleave);
        masks.add(shiftIn);
        for (int k = 0; k < 8; k++) {
            byte[] m = new byte[16];
            for (int i = 0; i < 16; i++) m[i] = (byte) random.nextInt(32);
            masks.add(m);
        }
        byte[] zero = new byte[16];
        byte[] notZero = new byte[16];
        notZero[7] = 1;
        List<byte[]> vectors = new ArrayList<>(SimdLaneTest.vectors());
        for (int i = 0; i < 20; i++) vectors.add(SimdLaneTest.random());
        for (byte[] m : masks) {
            for (int zeroAt = 0; zeroAt < 2; zeroAt++) {
                for (byte[] c : List.of(zero, notZero)) {
                    List<byte[][]> inputs = new ArrayList<>();
                    for (byte[] v : vectors) inputs.add(zeroAt == 0 ? new byte[][] {c, v} : new byte[][] {v, c});
                    Object[] constants = zeroAt == 0 ? new Object[] {c, null} : new Object[] {null, c};
                    check(Opcode.I8X16_SHUFFLE, avx, 0, m, constants, inputs, in -> shuffle(m, in[0], in[1]));
                }
            }
        }
    }

    @ParameterizedTest(name = "avx={0}")
    @ValueSource(booleans = {false, true})
    void swizzlesWithConstantIndicesMatchTheModel(boolean avx) throws Throwable {
        if (avx) assumeTrue(CpuFeatures.host().avx(), "no AVX on this machine");
        Random random = new Random(0x5A1);
        List<byte[]> indices = new ArrayList<>();
        indices.add(new byte[] {0, 1, 15, 16, 17, 0x1F, 0x70, 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0xF0,
            (byte) 0xFF, 8, 3, 31, 14});
        for (int k = 0; k < 6; k++) {
            byte[] s = new byte[16];
            for (int i = 0; i < 16; i++) s[i] = (byte) (random.nextBoolean() ? random.nextInt(16) : random.nextInt(256));
            indices.add(s);
        }
        for (byte[] s : indices) {
            List<byte[][]> inputs = new ArrayList<>();
            for (byte[] v : SimdLaneTest.vectors()) inputs.add(new byte[][] {v, s});
            check(Opcode.I8X16_SWIZZLE, avx, 0, null, new Object[] {null, s}, inputs, in -> swizzle(in[0], in[1]));
        }
    }

    /** The integer family's two-v128-operand instructions, each the occasion to take a constant from the pool. */
    static Stream<Arguments> binaryIntegerOps() {
        return SimdIntegerModel.family().stream()
                .filter(op -> {
                    SimdShape shape = SimdShape.of(op, false);
                    return shape.params().size() == 2 && shape.params().stream().allMatch(t -> t == ValType.V128)
                            && shape.result() == ValType.V128;
                })
                .flatMap(op -> Stream.of(Arguments.of(op, false), Arguments.of(op, true)));
    }

    @ParameterizedTest(name = "{0} avx={1}")
    @MethodSource("binaryIntegerOps")
    void binaryOpsWithAConstantOperandMatchTheModel(Opcode op, boolean avx) throws Throwable {
        if (avx) assumeTrue(CpuFeatures.host().avx(), "no AVX on this machine");
        List<byte[]> vectors = new ArrayList<>(SimdLaneTest.vectors());
        for (int i = 0; i < 12; i++) vectors.add(SimdLaneTest.random());
        List<byte[]> constants = new ArrayList<>(SimdLaneTest.vectors().subList(0, 4));
        constants.add(SimdLaneTest.random());
        constants.add(SimdLaneTest.random());
        for (byte[] c : constants) {
            for (int at = 0; at < 3; at++) {                  // the constant first, second, or both (the same value)
                List<byte[][]> inputs = new ArrayList<>();
                for (byte[] v : vectors) {
                    inputs.add(at == 0 ? new byte[][] {c, v} : at == 1 ? new byte[][] {v, c} : new byte[][] {c, c});
                }
                Object[] known = at == 0 ? new Object[] {c, null} : at == 1 ? new Object[] {null, c}
                        : new Object[] {c, c};
                check(op, avx, 0, null, known, inputs, in -> SimdIntegerModel.eval(op, in));
            }
        }
    }

    static Stream<Arguments> binaryFloatOps() {
        return SimdFloatOpsTest.models().keySet().stream()
                .filter(op -> SimdShape.of(op, false).params().size() == 2)
                .flatMap(op -> Stream.of(Arguments.of(op, false), Arguments.of(op, true)));
    }

    /** The float family's binary instructions with a known operand (either, or both), against its lane model. */
    @ParameterizedTest(name = "{0} avx={1}")
    @MethodSource("binaryFloatOps")
    void binaryFloatOpsWithAConstantOperandMatchTheModel(Opcode op, boolean avx) throws Throwable {
        if (avx) assumeTrue(CpuFeatures.host().avx(), "no AVX on this machine");
        SimdFloatOpsTest.Model model = SimdFloatOpsTest.models().get(op);
        List<byte[][]> all = SimdFloatOpsTest.inputsFor(op);
        for (int i = 0; i < all.size(); i += Math.max(1, all.size() / 24)) {
            byte[][] in = all.get(i);
            for (int at = 0; at < 3; at++) {
                byte[][] operands = at == 2 ? new byte[][] {in[0], in[0]} : in;
                Object[] known = at == 0 ? new Object[] {in[0], null} : at == 1 ? new Object[] {null, in[1]}
                        : new Object[] {in[0], in[0]};
                for (SimdHarness.Aliasing aliasing : SimdHarness.Aliasing.values()) {
                    byte[] out = SimdHarness.runManyWithConstants(op, avx, aliasing, 0, null, known,
                            List.<byte[][]>of(operands)).get(0);
                    SimdFloatOpsTest.compare(op, avx, aliasing, operands, model.expect(operands), out);
                }
            }
        }
    }

    private static byte[] shuffle(byte[] m, byte[] a, byte[] b) {
        byte[] e = new byte[16];
        for (int i = 0; i < 16; i++) e[i] = m[i] < 16 ? a[m[i]] : b[m[i] - 16];
        return e;
    }

    private static byte[] swizzle(byte[] a, byte[] s) {
        byte[] e = new byte[16];
        for (int i = 0; i < 16; i++) e[i] = (s[i] & 0xFF) < 16 ? a[s[i]] : 0;
        return e;
    }

    private interface Model {
        byte[] eval(byte[][] in);
    }

    private static void check(Opcode op, boolean avx, int lane, byte[] imm, Object[] constants, List<byte[][]> inputs,
                              Model model) throws Throwable {
        for (SimdHarness.Aliasing aliasing : SimdHarness.Aliasing.values()) {
            List<byte[]> actual = SimdHarness.runManyWithConstants(op, avx, aliasing, lane, imm, constants, inputs);
            for (int i = 0; i < inputs.size(); i++) {
                byte[][] in = inputs.get(i);
                assertEquals(HEX.formatHex(model.eval(in)), HEX.formatHex(actual.get(i)),
                        op.text() + " avx=" + avx + " " + aliasing + " inputs " + HEX.formatHex(in[0]) + " "
                                + HEX.formatHex(in[1]) + (imm == null ? "" : " imm " + HEX.formatHex(imm)));
            }
        }
    }
}
