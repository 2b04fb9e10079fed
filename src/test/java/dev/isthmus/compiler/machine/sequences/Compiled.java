package dev.isthmus.compiler.machine.sequences;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.TestInstance;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.options.Tier;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.runtime.trap.TrapException;
import dev.isthmus.text.Wat;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A module of one-operation functions compiled under one tier; outcomes are result bits or a trap kind. Under the
 * optimizing tier every function is first checked to be compiled by that tier (no baseline fallback).
 */
final class Compiled implements AutoCloseable {
    /** Result bits, or the trap raised. */
    record Outcome(long bits, TrapCode trap) {
        static Outcome value(long bits) {
            return new Outcome(bits, null);
        }

        static Outcome trapped(TrapCode kind) {
            return new Outcome(0, kind);
        }

        @Override
        public String toString() {
            return trap != null ? "trap " + trap : "0x" + Long.toHexString(bits);
        }
    }

    private final TestInstance instance;
    private final List<String> names;

    /** {@code functions}: (name, wat function body with its signature, e.g. "(param f64) (result i32) ..."). */
    Compiled(Tier tier, List<String[]> functions) {
        StringBuilder wat = new StringBuilder("(module\n");
        names = new ArrayList<>();
        for (String[] f : functions) {
            wat.append("  (func (export \"").append(f[0]).append("\") ").append(f[1]).append(")\n");
            names.add(f[0]);
        }
        wat.append(")");
        WasmModule module = TestInstance.load(Wat.toBinary(wat.toString()));
        if (tier == Tier.OPTIMIZING) {
            // the optimizing tier must really compile each function, not leave it to the baseline
            for (int f = 0; f < names.size(); f++) {
                assertNotNull(OptimizingCompiler.tryCompile(module, VmContextLayout.of(module), f),
                        "the optimizing tier declined " + names.get(f));
            }
        }
        instance = new TestInstance(module, CompilerOptions.DEFAULT.withTier(tier));
    }

    Outcome run(String name, long... args) {
        int index = names.indexOf(name);
        if (index < 0) throw new IllegalArgumentException(name);
        try {
            return Outcome.value(instance.invoke(index, args)[0]);
        } catch (TrapException t) {
            return Outcome.trapped(t.kind());
        }
    }

    static void check(Outcome expected, Outcome actual, String what) {
        if (expected.trap() != null || actual.trap() != null) {
            if (expected.trap() != actual.trap()) fail(what + ": expected " + expected + " but was " + actual);
            return;
        }
        assertEquals(expected.toString(), actual.toString(), what);
    }

    static long f32(float v) {
        return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL;
    }

    static long f64(double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Override
    public void close() {
        instance.close();
    }
}
