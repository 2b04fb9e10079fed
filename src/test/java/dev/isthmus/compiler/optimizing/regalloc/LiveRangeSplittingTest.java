package dev.isthmus.compiler.optimizing.regalloc;

import dev.isthmus.Instance;
import dev.isthmus.Isthmus;
import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.isel.InstructionSelector;
import dev.isthmus.compiler.optimizing.isel.MInstr;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;
import dev.isthmus.compiler.optimizing.passes.Simplifier;
import dev.isthmus.compiler.optimizing.ssa.SsaBuilder;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live-range splitting in {@link LinearScan}: functions with more live values than registers, and with values live
 * across calls (where only the four callee-saved registers survive), compiled by the optimizing tier and run; the
 * results are checked against the same arithmetic in Java, and the allocator must have inserted reloads.
 */
class LiveRangeSplittingTest {
    private static final int VALUES = 20;

    /** {@code (param x)}: VALUES values v_k = x * (k+3) + k*k, then sum of v_k * v_(VALUES-1-k), a call between. */
    private static String pressure(String type, boolean callBetween, boolean loop) {
        StringBuilder w = new StringBuilder("(module\n");
        w.append("(func $mix (param ").append(type).append(") (result ").append(type).append(") (")
                .append(type).append(".add (local.get 0) (").append(type).append(".const 1)))\n");
        w.append("(func (export \"f\") (param ").append(type).append(" i32) (result ").append(type).append(")");
        w.append(" (local");
        for (int k = 0; k < VALUES + 1; k++) w.append(' ').append(type);
        w.append(")\n");
        if (loop) w.append("(loop $again\n");
        for (int k = 0; k < VALUES; k++) {
            w.append("(local.set ").append(k + 2).append(" (").append(type).append(".add (").append(type)
                    .append(".mul (local.get 0) (").append(type).append(".const ").append(k + 3).append(")) (")
                    .append(type).append(".const ").append(k * k).append(")))\n");
        }
        if (callBetween) w.append("(local.set 0 (call $mix (local.get 0)))\n");
        for (int k = 0; k < VALUES; k++) {
            w.append("(local.set ").append(VALUES + 2).append(" (").append(type).append(".add (local.get ")
                    .append(VALUES + 2).append(") (").append(type).append(".mul (local.get ").append(k + 2)
                    .append(") (local.get ").append(VALUES - 1 - k + 2).append("))))\n");
            if (callBetween && k % 5 == 4) w.append("(local.set 0 (call $mix (local.get 0)))\n");
        }
        if (loop) {
            w.append("(local.set 0 (").append(type).append(".add (local.get 0) (local.get ").append(VALUES + 2)
                    .append(")))\n(br_if $again (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))\n");
        }
        w.append("(").append(type).append(".add (local.get 0) (local.get ").append(VALUES + 2).append(")))\n)");
        return w.toString();
    }

    private static long expectedLong(long x, int iterations, boolean callBetween, boolean loop, boolean wide) {
        long acc = 0;
        do {
            long[] v = new long[VALUES];
            for (int k = 0; k < VALUES; k++) v[k] = narrow(x * (k + 3) + (long) k * k, wide);
            if (callBetween) x = narrow(x + 1, wide);
            for (int k = 0; k < VALUES; k++) {
                acc = narrow(acc + v[k] * v[VALUES - 1 - k], wide);
                if (callBetween && k % 5 == 4) x = narrow(x + 1, wide);
            }
            if (loop) x = narrow(x + acc, wide);
            iterations--;
        } while (loop && iterations != 0);
        return narrow(x + acc, wide);
    }

    private static double expectedDouble(double x, boolean callBetween) {
        double acc = 0;
        double[] v = new double[VALUES];
        for (int k = 0; k < VALUES; k++) v[k] = x * (k + 3) + (double) k * k;
        if (callBetween) x = x + 1;
        for (int k = 0; k < VALUES; k++) {
            acc = acc + v[k] * v[VALUES - 1 - k];
            if (callBetween && k % 5 == 4) x = x + 1;
        }
        return x + acc;
    }

    private static long narrow(long v, boolean wide) {
        return wide ? v : (int) v;
    }

    private static WasmModule load(String wat) {
        WasmModule m = ModuleDecoder.decode(Wat.toBinary(wat));
        Validator.validate(m);
        return m;
    }

    /** Runs the tier's pipeline on exported function f and counts the reload moves the allocator inserted. */
    private static int reloads(WasmModule m) {
        int index = m.importedFunctionCount() + 1;
        assertNotNull(OptimizingCompiler.tryCompile(m, VmContextLayout.of(m), index), "optimizing tier declined");
        IrFunction f = SsaBuilder.build(m, index);
        Simplifier.run(f);
        MachineFunction mf = InstructionSelector.select(f, VmContextLayout.of(m), m);
        int before = count(mf);
        LinearScan.allocate(mf);
        return count(mf) - before;
    }

    private static int count(MachineFunction mf) {
        int n = 0;
        for (var block : mf.blocks) for (MInstr i : block) if (i.op == dev.isthmus.compiler.optimizing.isel.MOp.MOV) n++;
        return n;
    }

    /** Compiles with the optimizing tier (the compiler reads the tier property per module) and instantiates. */
    private static Instance instantiate(String wat) {
        return dev.isthmus.compiler.WithProperty.get("isthmus.tier", "OPTIMIZING",
                () -> Isthmus.create().compile(Wat.toBinary(wat)).instantiate());
    }

    private static void checkLong(String type, boolean call, boolean loop) {
        String wat = pressure(type, call, loop);
        boolean wide = type.equals("i64");
        assertTrue(reloads(load(wat)) > 0, "no live range was split");
        try (Instance instance = instantiate(wat)) {
            for (long x : new long[] {0, 1, -7, 123456789, Integer.MAX_VALUE}) {
                int iterations = 3;
                Object[] r = instance.call("f", wide ? (Object) x : (Object) (int) x, iterations);
                long actual = wide ? (long) r[0] : (int) r[0];
                assertEquals(expectedLong(narrow(x, wide), iterations, call, loop, wide), actual, type + " x=" + x);
            }
        }
    }

    @Test
    void moreLiveIntegersThanRegisters() {
        checkLong("i32", false, false);
        checkLong("i64", false, false);
    }

    @Test
    void integersLiveAcrossCalls() {
        checkLong("i32", true, false);
        checkLong("i64", true, false);
    }

    @Test
    void splitValuesInALoopWithCalls() {
        checkLong("i32", true, true);
        checkLong("i64", true, true);
    }

    /**
     * A spilled result serves the uses right after it from its own register ({@link SpillSplitter}): values that are
     * used at once (added to a running sum) and again much later (the products), under more pressure than there are
     * registers, take fewer loads from their slots than when each use reloads; the results stay right.
     */
    @Test
    void aSpilledResultIsNotReloadedForTheUsesRightAfterIt() {
        StringBuilder w = new StringBuilder("(module (func (export \"f\") (param i64) (result i64) (local");
        for (int k = 0; k < VALUES + 1; k++) w.append(" i64");
        w.append(")\n");
        for (int k = 0; k < VALUES; k++) {
            w.append("(local.set ").append(k + 1).append(" (i64.add (i64.mul (local.get 0) (i64.const ").append(k + 3)
                    .append(")) (i64.const ").append(k * k).append(")))\n");
            w.append("(local.set ").append(VALUES + 1).append(" (i64.xor (local.get ").append(VALUES + 1)
                    .append(") (local.get ").append(k + 1).append(")))\n");
        }
        for (int k = 0; k < VALUES; k++) {
            w.append("(local.set ").append(VALUES + 1).append(" (i64.add (local.get ").append(VALUES + 1)
                    .append(") (i64.mul (local.get ").append(k + 1).append(") (local.get ").append(VALUES - k)
                    .append("))))\n");
        }
        w.append("(local.get ").append(VALUES + 1).append(")))");
        String wat = w.toString();
        WasmModule m = load(wat);
        int with = slotLoads(m, "true");
        int without = slotLoads(m, "false");
        assertTrue(with < without, "loads from slots: " + with + " with result registers, " + without + " without");
        System.out.println("loads from slots: " + with + " with result registers, " + without + " without");
        try (Instance instance = instantiate(wat)) {
            for (long x : new long[] {0, 1, -7, 123456789, Long.MIN_VALUE + 3}) {
                long acc = 0;
                long[] v = new long[VALUES];
                for (int k = 0; k < VALUES; k++) {
                    v[k] = x * (k + 3) + (long) k * k;
                    acc ^= v[k];
                }
                for (int k = 0; k < VALUES; k++) acc += v[k] * v[VALUES - 1 - k];
                assertEquals(acc, (long) instance.call("f", x)[0], "x=" + x);
            }
        }
    }

    /** The operands read from stack slots after allocation (each a load), with result registers on or off. */
    private static int slotLoads(WasmModule m, String resultRegisters) {
        return allocated(m, SpillSplitter.RESULT_REGISTERS_PROPERTY, resultRegisters, (mf, location) -> {
            int n = 0;
            for (var block : mf.blocks) {
                for (MInstr i : block) {
                    for (int u : i.uses) if (location[u] < 0) n++;         // each a load from the slot
                }
            }
            return n;
        });
    }

    /** {@code count} applied to the first function of {@code m} allocated with {@code property} set to {@code value}. */
    private static int allocated(WasmModule m, String property, String value,
                                 java.util.function.ToIntBiFunction<MachineFunction, int[]> count) {
        return dev.isthmus.compiler.WithProperty.get(property, value, () -> {
            IrFunction f = SsaBuilder.build(m, m.importedFunctionCount());
            Simplifier.run(f);
            MachineFunction mf = InstructionSelector.select(f, VmContextLayout.of(m), m);
            return count.applyAsInt(mf, LinearScan.allocate(mf).location());
        });
    }

    /**
     * Spilled values joined by a move share a slot when their lives do not overlap ({@link LinearScan}'s shared
     * slots): a loop keeping more values across its back edge than there are registers (a phi and its back-edge
     * value both spilled) copies fewer of them from slot to slot; the results stay right ({@link #checkLong}).
     */
    @Test
    void spilledPhisShareSlotsWithTheirBackEdgeValues() {
        String wat = loopOfState(24);
        WasmModule m = load(wat);
        int with = slotToSlotMoves(m, "true");
        int without = slotToSlotMoves(m, "false");
        assertTrue(with < without, "slot-to-slot moves: " + with + " with shared slots, " + without + " without");
        System.out.println("slot-to-slot moves: " + with + " with shared slots, " + without + " without");
        try (Instance instance = instantiate(wat)) {
            for (long x : new long[] {0, 1, -7, 123456789}) {
                long[] s = new long[24];
                for (int k = 0; k < 24; k++) s[k] = x + k;
                for (int round = 0; round < 5; round++) {
                    long[] t = new long[24];
                    for (int k = 0; k < 24; k++) t[k] = Long.rotateLeft(s[k] ^ s[(k + 1) % 24], k + 1) + s[(k + 5) % 24];
                    s = t;
                }
                long acc = 0;
                for (long v : s) acc ^= v;
                assertEquals(acc, (long) instance.call("f", x)[0], "x=" + x);
            }
        }
    }

    /** A loop of 5 rounds over {@code n} i64 state words, each new word from three old ones (keccak's shape). */
    private static String loopOfState(int n) {
        StringBuilder w = new StringBuilder("(module (func (export \"f\") (param i64) (result i64) (local i32");
        for (int k = 0; k < 2 * n; k++) w.append(" i64");
        w.append(")\n");
        for (int k = 0; k < n; k++) {
            w.append("(local.set ").append(k + 2).append(" (i64.add (local.get 0) (i64.const ").append(k).append(")))\n");
        }
        w.append("(loop $round\n");
        for (int k = 0; k < n; k++) {
            w.append("(local.set ").append(n + k + 2).append(" (i64.add (i64.rotl (i64.xor (local.get ").append(k + 2)
                    .append(") (local.get ").append((k + 1) % n + 2).append(")) (i64.const ").append(k + 1)
                    .append(")) (local.get ").append((k + 5) % n + 2).append(")))\n");
        }
        for (int k = 0; k < n; k++) {
            w.append("(local.set ").append(k + 2).append(" (local.get ").append(n + k + 2).append("))\n");
        }
        w.append("(br_if $round (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (i32.const 5))))\n");
        w.append("(local.get 2)");
        for (int k = 1; k < n; k++) w.append(" (local.get ").append(k + 2).append(") (i64.xor)");
        w.append("))");
        return w.toString();
    }

    /** Moves (MOV, parallel moves) from a stack slot to another after allocation, with shared slots on or off. */
    private static int slotToSlotMoves(WasmModule m, String sharedSlots) {
        return allocated(m, LinearScan.SHARED_SLOTS_PROPERTY, sharedSlots, (mf, location) -> {
            int n = 0;
            for (var block : mf.blocks) {
                for (MInstr i : block) {
                    if (i.op == dev.isthmus.compiler.optimizing.isel.MOp.MOV && location[i.defs[0]] < 0
                            && location[i.uses[0]] < 0 && location[i.defs[0]] != location[i.uses[0]]) {
                        n++;
                    } else if (i.op == dev.isthmus.compiler.optimizing.isel.MOp.PMOV) {
                        var pm = i.parallelMove();
                        for (int k = 0; k < i.defs.length; k++) {
                            if (!pm.isConstant(k) && location[i.defs[k]] < 0 && location[pm.register(k)] < 0
                                    && location[i.defs[k]] != location[pm.register(k)]) {
                                n++;
                            }
                        }
                    }
                }
            }
            return n;
        });
    }

    @Test
    void floatsLiveAcrossCalls() {
        String wat = pressure("f64", true, false);
        assertTrue(reloads(load(wat)) > 0, "no live range was split");
        try (Instance instance = instantiate(wat)) {
            for (double x : new double[] {0, 1.5, -7.25, 1e10}) {
                Object[] r = instance.call("f", x, 1);
                assertEquals(expectedDouble(x, true), (double) r[0], "x=" + x);
            }
        }
    }
}
