package dev.isthmus.compiler.machine.simd;

import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.simd.SimdFloatModel.Lane;
import dev.isthmus.compiler.machine.simd.SimdFloatOpsTest.Model;
import dev.isthmus.model.ValType;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.NativeCode;
import dev.isthmus.x64.Register;
import dev.isthmus.x64.SimdOp;
import dev.isthmus.x64.Xmm;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The float and relaxed instructions with two or three v128 operands given the same register for every operand
 * (a tier may pass {@code local.get $x} twice), the destination that register or another one.
 */
class SimdFloatSharedOperandTest {

    @TestFactory
    Stream<DynamicTest> everyOperandInOneRegister() {
        List<DynamicTest> tests = new ArrayList<>();
        addAll(tests, SimdFloatOpsTest.models());
        addAll(tests, SimdRelaxedOpsTest.models());
        return tests.stream();
    }

    private static void addAll(List<DynamicTest> tests, Map<Opcode, Model> models) {
        models.forEach((op, model) -> {
            List<ValType> params = SimdShape.of(op, false).params();
            if (params.size() < 2 || !params.stream().allMatch(t -> t == ValType.V128)) return;
            tests.add(DynamicTest.dynamicTest(op.text(), () -> {
                Random r = new Random(op.ordinal());
                List<byte[]> values = new ArrayList<>();
                for (long[] g : SimdFloatModel.groups64(SimdFloatModel.F64_EDGES, r, 20)) {
                    values.add(SimdFloatModel.longs(g));
                }
                for (int[] g : SimdFloatModel.groups32(SimdFloatModel.F32_EDGES, r, 20, true)) {
                    values.add(SimdFloatModel.ints(g));
                }
                for (boolean avx : SimdFloatOpsTest.hostHasAvx() ? new boolean[] {false, true} : new boolean[] {false}) {
                    for (boolean dstIsSource : new boolean[] {false, true}) {
                        for (byte[] v : values) {
                            byte[][] in = Collections.nCopies(params.size(), v).toArray(new byte[0][]);
                            Lane[] expected = model.expect(in);
                            SimdFloatOpsTest.compare(op, avx, dstIsSource ? SimdHarness.Aliasing.DST_IS_FIRST
                                    : SimdHarness.Aliasing.DISTINCT, in, expected, runShared(op, avx, dstIsSource,
                                    params.size(), v));
                        }
                    }
                }
            }));
        });
    }

    /** {@code void f(in, out)}: every operand in xmm3, the result in xmm3 or xmm9, temporaries after. */
    static byte[] runShared(Opcode op, boolean avx, boolean dstIsSource, int arity, byte[] v) throws Throwable {
        SimdShape shape = SimdShape.of(op, avx);
        Assembler a = new Assembler();
        Xmm src = Xmm.XMM3;
        a.simd(SimdOp.MOVDQU, src, Mem.of(Gpr.RDI, 0));
        List<Register> sources = new ArrayList<>(Collections.nCopies(arity, src));
        Xmm dst = dstIsSource ? src : Xmm.XMM9;
        Xmm[] free = {Xmm.XMM0, Xmm.XMM14, Xmm.XMM7};
        List<Xmm> temps = new ArrayList<>();
        for (int i = 0; i < shape.xmmTemps(); i++) {
            temps.add(free[i]);
            a.simd(SimdOp.PCMPEQD, free[i], free[i]);
        }
        new SimdLowering(a, SimdHarness.cpu(avx)).emit(op, new SimdOperands(dst, sources, temps, List.of(), 0, null,
                null));
        a.simd(SimdOp.MOVDQU_ST, Mem.of(Gpr.RSI, 0), dst);
        a.ret();
        try (NativeCode code = NativeCode.load(a.finish()); Arena arena = Arena.ofConfined()) {
            MethodHandle f = code.function(0, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            MemorySegment in = arena.allocate(16, 16);
            MemorySegment.copy(MemorySegment.ofArray(v), 0, in, 0, 16);
            MemorySegment out = arena.allocate(16, 16);
            f.invokeExact(in, out);
            return out.toArray(JAVA_BYTE);
        }
    }
}
