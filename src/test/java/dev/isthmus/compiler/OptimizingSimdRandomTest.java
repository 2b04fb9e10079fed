package dev.isthmus.compiler;

import dev.isthmus.binary.ByteReader;
import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.simd.SimdLowering;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FunctionBody;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Random v128 programs, differentially: the optimizing tier (v128 in xmm registers, more live v128 locals than
 * registers, loops and ifs making phis, calls with v128 arguments and results, selects, memory) against the
 * baseline tier, which uses the same SIMD lowerings, so any difference is the optimizing tier's (allocation, spill
 * slots, moves, parallel moves). Skipped while an instruction it generates has no lowering.
 */
class OptimizingSimdRandomTest {
    private static final int LOCALS = 20;

    @ParameterizedTest(name = "avx={0}")
    @ValueSource(booleans = {true, false})
    void randomProgramsAgreeWithTheBaseline(boolean avx) throws Exception {
        CpuFeatures host = CpuFeatures.host();
        Assumptions.assumeTrue(!avx || host.avx(), "no AVX on this machine");
        CpuFeatures cpu = avx ? host : host.withoutAvx();
        for (int seed = 1; seed <= 40; seed++) {
            String wat = program(new Random(seed));
            WasmModule module = TestInstance.load(Wat.toBinary(wat));
            assumeLowered(module);
            CompilerOptions opt = CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING);
            VmContextLayout vm = VmContextLayout.of(module);
            for (int f = module.importedFunctionCount(); f < module.functionCount(); f++) {
                assertNotNull(OptimizingCompiler.tryCompile(module, vm, opt, cpu, f), "seed " + seed + ": function "
                        + f + " declined\n" + wat);
            }
            try (TestInstance o = new TestInstance(module, opt, imp -> null, cpu);
                 TestInstance b = new TestInstance(module, CompilerOptions.DEFAULT.withTier(Tier.BASELINE),
                         imp -> null, cpu)) {
                for (long[] args : new long[][] {{0, 0}, {1, 3}, {0x9e3779b9L, 5}, {7, 1}, {0xFFFF_FFFFL, 8}}) {
                    long want = b.invoke(b.export("f", ExternKind.FUNC), args)[0];
                    long got = o.invoke(o.export("f", ExternKind.FUNC), args)[0];
                    assertEquals(want, got, "seed " + seed + " args " + args[0] + ", " + args[1] + "\n" + wat);
                }
            }
        }
    }

    private static void assumeLowered(WasmModule module) {
        for (FunctionBody body : module.codes()) {
            InstructionReader r = new InstructionReader(new ByteReader(body.codeUnsafe()));
            while (!r.atEnd()) {
                Opcode op = r.next();
                Assumptions.assumeTrue(!op.isSimd() || SimdLowering.isLowered(op), op.text() + " not lowered yet");
            }
        }
        Assumptions.assumeTrue(SimdLowering.isLowered(Opcode.V128_CONST), "v128.const not lowered yet");
    }

    /**
     * A module: {@code $h} (v128, i32, f64, v128) -> (v128, v128), and export {@code f} (i32, i32) -> i32 with
     * {@value #LOCALS} v128 locals (local 2 is the loop counter) updated by random statements, folded to an i32.
     */
    static String program(Random r) {
        StringBuilder w = new StringBuilder("(module (memory 1)\n");
        w.append("  (func $h (param v128 i32 f64 v128) (result v128 v128)\n"
                + "    (i32x4.add (local.get 3) (i32x4.replace_lane 2 (local.get 0) (local.get 1)))\n"
                + "    (f64x2.replace_lane 0 (v128.xor (local.get 0) (local.get 3)) (local.get 2)))\n");
        w.append("  (func (export \"f\") (param i32 i32) (result i32) (local i32)");
        for (int k = 0; k < LOCALS; k++) w.append(" (local v128)");
        w.append('\n');
        int first = 3;
        for (int k = 0; k < LOCALS; k++) {
            if (r.nextBoolean()) {
                w.append(String.format("    (local.set %d (i32x4.splat (i32.add (local.get 0) (i32.const %d))))%n",
                        first + k, r.nextInt()));
            } else {
                w.append(String.format("    (local.set %d (v128.const i32x4 %d %d %d %d))%n", first + k, r.nextInt(),
                        r.nextInt(), r.nextInt(), r.nextInt()));
            }
        }
        // a loop running param 1 (mod 8) times around some statements, then straight-line statements
        w.append("    (local.set 2 (i32.and (local.get 1) (i32.const 7)))\n");
        w.append("    (block (loop (br_if 1 (i32.eqz (local.get 2)))\n");
        for (int s = 0; s < 12; s++) w.append("      ").append(statement(r, first)).append('\n');
        w.append("      (local.set 2 (i32.sub (local.get 2) (i32.const 1))) (br 0)))\n");
        for (int s = 0; s < 20; s++) w.append("    ").append(statement(r, first)).append('\n');
        StringBuilder fold = new StringBuilder("(local.get 0)");
        for (int k = 0; k < LOCALS; k++) {
            fold = new StringBuilder(String.format("(i32.xor (i32.rotl %s (i32.const 5)) (i32x4.extract_lane %d (local.get %d)))",
                    fold, k % 4, first + k));
        }
        w.append("    ").append(fold).append("))\n");
        return w.toString();
    }

    private static String local(Random r, int first) {
        return "(local.get " + (first + r.nextInt(LOCALS)) + ")";
    }

    private static String statement(Random r, int first) {
        int a = first + r.nextInt(LOCALS);
        String x = local(r, first);
        String y = local(r, first);
        String z = local(r, first);
        String c = "(v128.const i32x4 " + r.nextInt() + " " + r.nextInt() + " " + r.nextInt() + " " + r.nextInt() + ")";
        return switch (r.nextInt(15)) {
            case 0 -> "(local.set " + a + " (i32x4.add " + x + " " + y + "))";
            case 1 -> "(local.set " + a + " (i32x4.sub " + x + " " + y + "))";
            case 2 -> "(local.set " + a + " (i32x4.mul " + x + " " + y + "))";
            case 3 -> "(local.set " + a + " (v128.bitselect " + x + " " + y + " " + z + "))";
            case 4 -> {
                StringBuilder lanes = new StringBuilder();
                for (int k = 0; k < 16; k++) lanes.append(r.nextInt(32)).append(' ');
                yield "(local.set " + a + " (i8x16.shuffle " + lanes + x + " " + y + "))";
            }
            case 5 -> "(local.set " + a + " (i8x16.swizzle " + x + " (v128.and " + y
                    + " (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))))";
            case 6 -> "(local.set " + a + " (i32x4.replace_lane " + r.nextInt(4) + " " + x + " (i32x4.extract_lane "
                    + r.nextInt(4) + " " + y + ")))";
            case 7 -> { // a call with v128 arguments and two v128 results, while the other locals live on
                int b = first + r.nextInt(LOCALS);
                yield "(call $h " + x + " (i32x4.extract_lane 1 " + y + ") (f64.convert_i32_s (local.get 0)) " + z
                        + ") (local.set " + a + ") (local.set " + b + ")";
            }
            case 8 -> "(if (i32.and (i32x4.extract_lane 0 " + x + ") (i32.const 1)) (then (local.set " + a
                    + " (i16x8.add " + y + " " + z + "))) (else (local.set " + a + " (v128.xor " + y + " " + x
                    + "))))";
            case 9 -> "(local.set " + a + " (select " + x + " " + y + " (i32.and (i32x4.extract_lane 3 " + z
                    + ") (i32.const 2))))";
            case 10 -> "(v128.store offset=" + 16 * r.nextInt(8) + " (i32.const 64) " + x + ") (local.set " + a
                    + " (i32x4.add " + y + " (v128.load offset=" + 8 * r.nextInt(16) + " (i32.const 64))))";
            // constants as operands: pool memory operands, an immediate shift count, a shuffle with zero
            case 11 -> "(local.set " + a + " (i32x4.min_u " + (r.nextBoolean() ? x + " " + c : c + " " + x) + "))";
            case 12 -> "(local.set " + a + " (f32x4.sub " + (r.nextBoolean() ? x + " " + c : c + " " + x) + "))";
            case 13 -> {
                StringBuilder lanes = new StringBuilder();
                for (int k = 0; k < 16; k++) lanes.append(r.nextInt(32)).append(' ');
                yield "(local.set " + a + " (i32x4.shr_s (i8x16.shuffle " + lanes + x + " (v128.const i32x4 0 0 0 0)) "
                        + "(i32.const " + r.nextInt(40) + ")))";
            }
            default -> "(local.set " + a + " (i8x16.sub_sat_u " + x + " (v128.or " + y + " " + z + ")))";
        };
    }
}
