package dev.isthmus.compiler.optimizing;

import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.optimizing.ir.UnsupportedInTierException;
import dev.isthmus.compiler.optimizing.isel.InstructionSelector;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;
import dev.isthmus.compiler.optimizing.passes.Simplifier;
import dev.isthmus.compiler.optimizing.regalloc.Allocation;
import dev.isthmus.compiler.optimizing.regalloc.LinearScan;
import dev.isthmus.compiler.optimizing.ssa.SsaBuilder;
import dev.isthmus.compiler.machine.CompiledFunction;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;

/**
 * The optimizing tier: wasm → SSA ({@link SsaBuilder}) → simplification ({@link Simplifier}) → instruction selection
 * ({@link InstructionSelector}) → linear-scan register allocation ({@link LinearScan}) → machine code
 * ({@link MachineEmitter}), under the same {@link dev.isthmus.runtime.abi.WasmAbi} as the baseline compiler.
 */
public final class OptimizingCompiler {
    private OptimizingCompiler() {}

    private static final java.util.concurrent.atomic.AtomicLong COMPILED = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong DECLINED = new java.util.concurrent.atomic.AtomicLong();

    private static final java.util.concurrent.atomic.AtomicLong FAILED = new java.util.concurrent.atomic.AtomicLong();
    private static final boolean STRICT = Boolean.getBoolean("isthmus.tier.strict");

    /**
     * Process-wide counts for reports: functions compiled, functions declined (left to the baseline), and of those
     * declined, how many because of an internal error of the tier.
     */
    public static long[] statistics() {
        return new long[] {COMPILED.get(), DECLINED.get(), FAILED.get()};
    }

    /**
     * Compiles defined function {@code functionIndex} (function index space), or returns null when the tier does
     * not support something the function uses (the caller then uses the baseline compiler).
     */
    public static CompiledFunction tryCompile(WasmModule module, VmContextLayout vm, int functionIndex) {
        return tryCompile(module, vm, CompilerOptions.DEFAULT, CpuFeatures.host(), functionIndex);
    }

    /** As {@link #tryCompile(WasmModule, VmContextLayout, int)} for the given options and CPU. */
    public static CompiledFunction tryCompile(WasmModule module, VmContextLayout vm, CompilerOptions options,
                                              CpuFeatures cpu, int functionIndex) {
        IrFunction f;
        try {
            // memory accesses rely on guard pages (no bounds checks); bit counts need lzcnt/tzcnt/popcnt
            f = SsaBuilder.build(module, functionIndex, new SsaBuilder.SsaOptions(
                    options.boundsChecks() == BoundsChecks.GUARD_PAGES,
                    cpu.lzcnt() && cpu.tzcnt() && cpu.popcnt()));
        } catch (UnsupportedInTierException | StackOverflowError e) {
            DECLINED.incrementAndGet();
            return null;
        }
        COMPILED.incrementAndGet();
        try {
            Simplifier.run(f);
            MachineFunction m = InstructionSelector.select(f, vm, module);
            Allocation alloc = LinearScan.allocate(m);
            return MachineEmitter.emit(m, alloc, vm, options);
        } catch (RuntimeException e) {
            // an internal error of the tier: the baseline still compiles the function (-Disthmus.tier.strict=true
            // makes it fail instead, for tests)
            if (STRICT) throw e;
            FAILED.incrementAndGet();
            COMPILED.decrementAndGet();
            DECLINED.incrementAndGet();
            return null;
        }
    }
}
