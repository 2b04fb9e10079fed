package dev.isthmus.compiler.optimizing.regalloc;

import dev.isthmus.CompiledModule;
import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.isel.InstructionSelector;
import dev.isthmus.compiler.optimizing.isel.MInstr;
import dev.isthmus.compiler.optimizing.isel.MOp;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;
import dev.isthmus.compiler.optimizing.passes.Simplifier;
import dev.isthmus.compiler.optimizing.ssa.SsaBuilder;
import dev.isthmus.model.WasmModule;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spill choice by loop depth ({@link LinearScan}'s spill weights, {@link LoopDepth}): a function with far more
 * values live across three nested loops than there are registers (20 i64, 18 f64, and in the SIMD variant 4 v128
 * values), of which the innermost loop uses only a few, plus the memory base. Without calls, the values the
 * innermost loop uses must stay in registers there (no operand of an instruction of the innermost loop is in a
 * stack slot). With a call in the outer loop, every value crossing it needs one of four callee-saved registers (no
 * xmm register is callee-saved), so the innermost loop cannot do without reloads: that variant checks results
 * only. Every result must equal the baseline tier's, with AVX and without.
 */
class SpillChoiceTest {
    private static final int INTS = 20;
    private static final int FLOATS = 18;
    private static final int VECTORS = 4;

    /**
     * {@code f(n: i32, seed: i64) -> i64}: three nested loops of n iterations each (at least one); the innermost
     * reads and writes memory and uses v3, v7, v11, w2, w5 (and x1); the middle loop updates v0, v1, w0; the outer
     * loop updates every value from its neighbour (v19 through a call of $mix when {@code call}), so all stay live
     * to the end, where they are
     * combined into the result.
     */
    static String nestedLoops(boolean simd, boolean call) {
        StringBuilder w = new StringBuilder("(module\n  (memory 1)\n");
        w.append("  (func $mix (param i64) (result i64)\n")
                .append("    (i64.add (i64.mul (local.get 0) (i64.const 6364136223846793005)) (i64.const 1442695040888963407)))\n");
        w.append("  (func (export \"f\") (param $n i32) (param $seed i64) (result i64)\n");
        w.append("    (local $i i32) (local $j i32) (local $k i32) (local $acc i64) (local $facc f64) (local $r i64)\n");
        for (int k = 0; k < INTS; k++) w.append("    (local $v").append(k).append(" i64)\n");
        for (int k = 0; k < FLOATS; k++) w.append("    (local $w").append(k).append(" f64)\n");
        if (simd) {
            w.append("    (local $vacc v128)\n");
            for (int k = 0; k < VECTORS; k++) w.append("    (local $x").append(k).append(" v128)\n");
        }
        for (int k = 0; k < INTS; k++) {
            w.append("    (local.set $v").append(k).append(" (i64.add (i64.mul (local.get $seed) (i64.const ")
                    .append(k + 3).append(")) (i64.const ").append(k * k).append(")))\n");
        }
        for (int k = 0; k < FLOATS; k++) {
            w.append("    (local.set $w").append(k).append(" (f64.add (f64.mul (f64.convert_i64_s (local.get $v")
                    .append(k).append(")) (f64.const 0.5)) (f64.const ").append(k).append(")))\n");
        }
        if (simd) {
            for (int k = 0; k < VECTORS; k++) {
                w.append("    (local.set $x").append(k).append(" (i64x2.replace_lane 1 (i64x2.splat (local.get $v")
                        .append(k).append(")) (local.get $v").append(k + 10).append(")))\n");
            }
        }
        w.append("    (loop $outer\n      (local.set $j (i32.const 0))\n");
        w.append("      (loop $middle\n        (local.set $k (i32.const 0))\n");
        w.append("        (loop $inner\n");
        String address = "(i32.and (i32.shl (local.get $k) (i32.const 4)) (i32.const 4080))";
        w.append("          (local.set $acc (i64.add (i64.add (i64.mul (local.get $acc) (local.get $v3))\n")
                .append("            (i64.xor (local.get $v7) (i64.load32_u ").append(address).append(")))\n")
                .append("            (local.get $v11)))\n");
        w.append("          (i32.store offset=4 ").append(address).append(" (i32.wrap_i64 (local.get $acc)))\n");
        w.append("          (local.set $facc (f64.sub (f64.add (f64.mul (local.get $facc) (f64.const 0.5)) (local.get $w5))\n")
                .append("            (f64.mul (local.get $w2) (f64.const 0.125))))\n");
        if (simd) {
            w.append("          (local.set $vacc (i32x4.add (local.get $vacc) (i32x4.mul (local.get $x1) (v128.load ")
                    .append(address).append("))))\n");
        }
        w.append("          (br_if $inner (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))\n");
        w.append("        (local.set $v0 (i64.add (local.get $v0) (local.get $acc)))\n");
        w.append("        (local.set $v1 (i64.xor (local.get $v1) (i64.add (local.get $v19) (i64.extend_i32_u (local.get $j)))))\n");
        w.append("        (local.set $w0 (f64.add (f64.mul (local.get $w0) (f64.const 0.5)) (local.get $facc)))\n");
        w.append("        (br_if $middle (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))\n");
        for (int k = 0; k < INTS - 1; k++) {
            w.append("      (local.set $v").append(k).append(" (i64.add (local.get $v").append(k)
                    .append(") (i64.rotl (local.get $v").append(k + 1).append(") (i64.const ").append(k + 1).append("))))\n");
        }
        w.append(call ? "      (local.set $v19 (call $mix (local.get $v19)))\n"
                : "      (local.set $v19 (i64.add (i64.mul (local.get $v19) (i64.const 6364136223846793005)) (local.get $v0)))\n");
        for (int k = 0; k < FLOATS - 1; k++) {
            w.append("      (local.set $w").append(k).append(" (f64.add (f64.mul (local.get $w").append(k)
                    .append(") (f64.const 0.5)) (f64.mul (local.get $w").append(k + 1).append(") (f64.const 0.25))))\n");
        }
        if (simd) {
            for (int k = 0; k < VECTORS - 1; k++) {
                w.append("      (local.set $x").append(k).append(" (i64x2.add (local.get $x").append(k)
                        .append(") (local.get $x").append(k + 1).append(")))\n");
            }
        }
        w.append("      (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))\n");
        w.append("    (local.set $r (i64.xor (local.get $acc) (i64.reinterpret_f64 (local.get $facc))))\n");
        for (int k = 0; k < INTS; k++) {
            w.append("    (local.set $r (i64.add (i64.mul (local.get $r) (i64.const 31)) (local.get $v").append(k).append(")))\n");
        }
        for (int k = 0; k < FLOATS; k++) {
            w.append("    (local.set $r (i64.add (i64.mul (local.get $r) (i64.const 37)) (i64.reinterpret_f64 (local.get $w")
                    .append(k).append("))))\n");
        }
        if (simd) {
            for (int k = 0; k < VECTORS; k++) {
                w.append("    (local.set $r (i64.add (i64.mul (local.get $r) (i64.const 41)) (i64x2.extract_lane 1 (local.get $x")
                        .append(k).append("))))\n");
            }
            w.append("    (local.set $r (i64.xor (local.get $r) (i64x2.extract_lane 0 (local.get $vacc))))\n");
        }
        w.append("    (local.get $r))\n)\n");
        return w.toString();
    }

    private static WasmModule load(String wat) {
        WasmModule m = ModuleDecoder.decode(Wat.toBinary(wat));
        Validator.validate(m);
        return m;
    }

    /**
     * Runs the tier's pipeline on function f and returns, over the instructions of its innermost loop (the blocks
     * of greatest loop depth), those with an operand or result the allocation left in a stack slot.
     */
    private static List<String> innermostStackOperands(WasmModule m, CpuFeatures cpu) {
        int index = m.importedFunctionCount() + 1;
        IrFunction f = SsaBuilder.build(m, index);
        Simplifier.run(f);
        MachineFunction mf = InstructionSelector.select(f, VmContextLayout.of(m), m, cpu);
        Allocation a = LinearScan.allocate(mf);
        int[] depth = LoopDepth.of(mf.successors);
        int max = 0;
        for (int d : depth) max = Math.max(max, d);
        assertEquals(3, max, "loop depth of the innermost loop");
        List<String> found = new ArrayList<>();
        for (int b = 0; b < mf.blocks.size(); b++) {
            if (depth[b] != max) continue;
            for (MInstr i : mf.blocks.get(b)) {
                for (int r : concat(i.uses, i.defs)) {
                    if (r >= MachineFunction.FIRST_VIRTUAL && a.location()[r] < 0) found.add(i + " (v" + r + ")");
                }
            }
        }
        return found;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Spilled values (stack slots) exist at all: the function does need more registers than there are. */
    private static int spilled(WasmModule m, CpuFeatures cpu) {
        int index = m.importedFunctionCount() + 1;
        IrFunction f = SsaBuilder.build(m, index);
        Simplifier.run(f);
        MachineFunction mf = InstructionSelector.select(f, VmContextLayout.of(m), m, cpu);
        int count = 0;
        for (int loc : LinearScan.allocate(mf).location()) if (loc < 0) count++;
        return count;
    }

    private static long[] run(String wat, CompilerOptions options, long[][] inputs) {
        CompiledModule module = Isthmus.builder().compilerOptions(options).build().compile(Wat.toBinary(wat));
        long[] out = new long[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            try (Instance instance = module.instantiate()) {
                out[k] = (long) instance.call("f", (int) inputs[k][0], inputs[k][1])[0];
            }
        }
        return out;
    }

    private static final long[][] INPUTS = {{0, 0}, {1, 1}, {2, -7}, {3, 123456789}, {5, Long.MIN_VALUE + 3},
            {7, 0x5DEECE66DL}};

    private static void check(boolean simd, boolean call) {
        String wat = nestedLoops(simd, call);
        WasmModule m = load(wat);
        CpuFeatures host = CpuFeatures.host();
        for (boolean avx : simd ? new boolean[] {true, false} : new boolean[] {false}) {
            CompilerOptions options = CompilerOptions.DEFAULT.withTier(Tier.OPTIMIZING).withAvx(avx);
            CpuFeatures cpu = avx ? host : host.withoutAvx();
            assertNotNull(OptimizingCompiler.tryCompile(m, VmContextLayout.of(m), options, cpu,
                    m.importedFunctionCount() + 1), "optimizing tier declined");
            assertTrue(spilled(m, cpu) > 0, "nothing spilled: the test needs more values than registers");
            List<String> stackOperands = innermostStackOperands(m, cpu);
            if (!call) assertEquals(List.of(), stackOperands, "innermost loop operands in stack slots (avx " + avx + ")");
            long[] baseline = run(wat, CompilerOptions.DEFAULT.withTier(Tier.BASELINE).withAvx(avx), INPUTS);
            long[] optimizing = run(wat, options, INPUTS);
            assertArrayEquals(baseline, optimizing, "optimizing vs baseline (avx " + avx + ")");
        }
    }

    @Test
    void scalarValuesLiveAcrossNestedLoops() {
        check(false, false);
    }

    @Test
    void simdValuesLiveAcrossNestedLoops() {
        check(true, false);
    }

    @Test
    void scalarValuesLiveAcrossNestedLoopsAndACall() {
        check(false, true);
    }

    @Test
    void simdValuesLiveAcrossNestedLoopsAndACall() {
        check(true, true);
    }
}
