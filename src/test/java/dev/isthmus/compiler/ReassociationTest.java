package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.compiler.optimizing.passes.Reassociation;
import dev.isthmus.compiler.optimizing.passes.Simplifier;
import dev.isthmus.compiler.optimizing.ssa.SsaBuilder;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Reassociation}, differentially: random loops whose accumulators (i32, i64, i32x4, i16x8, i8x16, i64x2) are
 * updated by sum trees holding the accumulator at random depths, among loads, products, other accumulators and
 * constants, compiled by the optimizing tier (which reassociates) and by the baseline tier (which does not), with and
 * without AVX; plus the shape of the rebuilt tree on a fixed case.
 */
class ReassociationTest {
    private static final String[] VECTOR_ADDS = {"i32x4.add", "i16x8.add", "i8x16.add", "i64x2.add"};

    @ParameterizedTest(name = "avx={0}")
    @ValueSource(booleans = {true, false})
    void randomReductionsAgreeWithTheBaseline(boolean avx) throws Exception {
        CpuFeatures host = CpuFeatures.host();
        assumeTrue(host.sse41(), "SIMD needs SSE4.1");
        assumeTrue(!avx || host.avx(), "no AVX on this machine");
        CpuFeatures cpu = avx ? host : host.withoutAvx();
        for (int seed = 1; seed <= 60; seed++) {
            String wat = program(new Random(seed));
            WasmModule module = TestInstance.load(Wat.toBinary(wat));
            try (TestInstance o = new TestInstance(module, CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING),
                    imp -> null, cpu);
                 TestInstance b = new TestInstance(module, CompilerOptions.DEFAULT.withTier(Tier.BASELINE),
                         imp -> null, cpu)) {
                for (long[] args : new long[][] {{0, 0}, {1, 3}, {0x9e3779b9L, 17}, {7, 1}, {0xFFFF_FFFFL, 64}}) {
                    long want = b.invoke(b.export("f", ExternKind.FUNC), args)[0];
                    long got = o.invoke(o.export("f", ExternKind.FUNC), args)[0];
                    assertEquals(want, got, "seed " + seed + " args " + args[0] + ", " + args[1] + "\n" + wat);
                }
            }
        }
    }

    /** (module (memory 1) (func "f" (param i32 i32) (result i32) ...)): param 1 iterations over random sums. */
    static String program(Random r) {
        StringBuilder w = new StringBuilder("(module (memory 1)\n");
        w.append("  (data (i32.const 0) \"");
        for (int i = 0; i < 256; i++) w.append(String.format("\\%02x", r.nextInt(256)));
        w.append("\")\n");
        w.append("  (func (export \"f\") (param i32 i32) (result i32) (local i32 i32 i64 v128 v128 v128 v128)\n");
        // locals: 2 counter, 3 i32 acc, 4 i64 acc, 5..8 vector accs (one per lane shape)
        w.append("    (local.set 3 (local.get 0)) (local.set 4 (i64.extend_i32_u (local.get 0)))\n");
        for (int k = 0; k < 4; k++) w.append("    (local.set ").append(5 + k).append(" (i32x4.splat (local.get 0)))\n");
        w.append("    (block (loop (br_if 1 (i32.ge_u (local.get 2) (local.get 1)))\n");
        for (int s = 0; s < 4; s++) {
            int which = r.nextInt(6);
            if (which == 0) w.append("      (local.set 3 ").append(sum(r, "i32", 3, 2 + r.nextInt(5))).append(")\n");
            else if (which == 1) w.append("      (local.set 4 ").append(sum(r, "i64", 4, 2 + r.nextInt(5))).append(")\n");
            else {
                int k = which - 2;
                w.append("      (local.set ").append(5 + k).append(' ')
                        .append(sum(r, VECTOR_ADDS[k], 5 + k, 2 + r.nextInt(5))).append(")\n");
            }
        }
        w.append("      (local.set 2 (i32.add (local.get 2) (i32.const 1))) (br 0)))\n");
        w.append("    (i32.xor (i32.xor (local.get 3) (i32.wrap_i64 (local.get 4)))\n");
        w.append("      (i32.xor (i32.xor (i32x4.extract_lane 1 (local.get 5)) (i32x4.extract_lane 2 (local.get 6)))\n");
        w.append("               (i32.xor (i32x4.extract_lane 3 (local.get 7)) (i32x4.extract_lane 0 (local.get 8))))))\n");
        return w.append(")\n").toString();
    }

    /** A sum of {@code terms} terms with local {@code acc} at a random place in a random tree shape. */
    private static String sum(Random r, String add, int acc, int terms) {
        List<String> parts = new ArrayList<>();
        int at = r.nextInt(terms + 1);
        for (int t = 0; t < terms; t++) {
            if (t == at) parts.add("(local.get " + acc + ")");
            parts.add(term(r, add));
        }
        if (at == terms) parts.add("(local.get " + acc + ")");
        while (parts.size() > 1) {                         // combine random neighbours: chains, balanced, mixed
            int i = r.nextInt(parts.size() - 1);
            String op = add.equals("i32") ? "i32.add" : add.equals("i64") ? "i64.add" : add;
            parts.set(i, "(" + op + " " + parts.get(i) + " " + parts.get(i + 1) + ")");
            parts.remove(i + 1);
        }
        return parts.get(0);
    }

    private static String term(Random r, String add) {
        String address = "(i32.and (i32.add (local.get 2) (i32.const " + r.nextInt(64) + ")) (i32.const 127))";
        return switch (add) {
            case "i32" -> switch (r.nextInt(4)) {
                case 0 -> "(i32.load " + address + ")";
                case 1 -> "(i32.mul (local.get 2) (i32.const " + r.nextInt() + "))";
                case 2 -> "(i32.const " + r.nextInt() + ")";
                default -> "(i32.wrap_i64 (local.get 4))";
            };
            case "i64" -> switch (r.nextInt(3)) {
                case 0 -> "(i64.load " + address + ")";
                case 1 -> "(i64.mul (i64.extend_i32_u (local.get 2)) (i64.const " + r.nextLong() + "))";
                default -> "(i64.const " + r.nextLong() + ")";
            };
            default -> switch (r.nextInt(4)) {
                case 0 -> "(v128.load " + address + ")";
                case 1 -> "(i32x4.mul (v128.load " + address + ") (i32x4.splat (local.get 2)))";
                case 2 -> "(v128.const i32x4 " + r.nextInt() + " " + r.nextInt() + " " + r.nextInt() + " "
                        + r.nextInt() + ")";
                default -> "(local.get " + (5 + r.nextInt(4)) + ")";
            };
        };
    }

    private static IrFunction simplified(String wat) {
        WasmModule m = TestInstance.load(Wat.toBinary(wat));
        IrFunction f = SsaBuilder.build(m, 0);
        Simplifier.run(f);
        return f;
    }

    @Test
    void theAccumulatorIsAddedLast() {
        IrFunction f = simplified("""
                (module (memory 1)
                  (func (export "f") (param i32 i32) (result i32) (local i32)
                    (loop
                      (local.set 2 (i32.add (i32.load offset=0 (local.get 0))
                        (i32.add (i32.load offset=4 (local.get 0))
                          (i32.add (i32.load offset=8 (local.get 0))
                            (i32.add (i32.load offset=12 (local.get 0)) (local.get 2))))))
                      (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
                    (local.get 2)))
                """);
        int phiAdds = 0;
        int root = -1;
        for (var b : f.blocks()) {
            for (int i = 0; i < b.instructionCount(); i++) {
                int v = b.instruction(i);
                if (f.op(v) != IrOp.ADD) continue;
                boolean hasPhi = f.op(f.arg(v, 0)) == IrOp.PHI || f.op(f.arg(v, 1)) == IrOp.PHI;
                if (hasPhi && f.op(f.arg(v, 0)) != IrOp.CONST && f.op(f.arg(v, 1)) != IrOp.CONST) {
                    phiAdds++;
                    root = v;
                }
            }
        }
        assertEquals(1, phiAdds, "one addition takes the accumulator");
        int other = f.op(f.arg(root, 0)) == IrOp.PHI ? f.arg(root, 1) : f.arg(root, 0);
        assertEquals(IrOp.ADD, f.op(other), "the other operand is the sum of the loads");
        assertEquals(IrOp.ADD, f.op(f.arg(other, 0)), "balanced: (l1 + l2) + (l3 + l4)");
        assertEquals(IrOp.ADD, f.op(f.arg(other, 1)), "balanced: (l1 + l2) + (l3 + l4)");
    }
}
