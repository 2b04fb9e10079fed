package dev.isthmus.compiler.optimizing;

import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.machine.TailCallEffects;
import dev.isthmus.compiler.optimizing.ir.UnsupportedInTierException;
import dev.isthmus.compiler.optimizing.isel.InstructionSelector;
import dev.isthmus.compiler.optimizing.isel.MachineFunction;
import dev.isthmus.compiler.optimizing.passes.LoopUnrolling;
import dev.isthmus.compiler.optimizing.passes.LoopVersioning;
import dev.isthmus.compiler.optimizing.passes.Simplifier;
import dev.isthmus.compiler.optimizing.passes.StripMining;
import dev.isthmus.compiler.machine.SafepointPoll;
import dev.isthmus.compiler.optimizing.regalloc.Allocation;
import dev.isthmus.compiler.optimizing.regalloc.LinearScan;
import dev.isthmus.compiler.optimizing.ssa.SsaBuilder;
import dev.isthmus.compiler.machine.CompiledFunction;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;

/**
 * The optimizing tier: wasm → SSA ({@link SsaBuilder}) → simplification ({@link Simplifier}) → loop versioning and
 * unrolling ({@link LoopVersioning}, {@link LoopUnrolling}) → instruction selection
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
     * The system property that, set to {@code false} while a module is compiled, leaves loops as they are (no
     * {@link LoopUnrolling}): a measurement switch ({@code bench/.../UnrollCost}).
     */
    public static final String UNROLL_PROPERTY = "isthmus.unroll";

    /**
     * Process-wide counts for reports: functions compiled, functions declined (left to the baseline), and of those
     * declined, how many because of an internal error of the tier.
     */
    public static long[] statistics() {
        return new long[] {COMPILED.get(), DECLINED.get(), FAILED.get()};
    }

    /**
     * Range-check elimination ({@link LoopVersioning}) for the memories whose accesses are checked explicitly:
     * memory64 memories, and 32-bit ones in explicit bounds-check mode.
     */
    private static void versionLoops(IrFunction f, WasmModule module, CompilerOptions options) {
        int n = module.memoryCount();
        boolean[] address64 = new boolean[n];
        boolean[] checked = new boolean[n];
        for (int k = 0; k < n; k++) {
            address64[k] = module.memoryType(k).address64();
            checked[k] = address64[k] || options.boundsChecks() == BoundsChecks.EXPLICIT;
        }
        LoopVersioning.run(f, checked, address64);
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
        return tryCompile(module, vm, options, cpu, functionIndex, null);
    }

    /**
     * Sees the intermediate stages of one function as {@link #tryCompile} produces them (the golden listings print
     * them). An observer reads, never changes, what it is given: the compiled code is the same with or without one.
     */
    public interface StageObserver {
        /** The IR after simplification, before instruction selection (nothing by default). */
        default void simplified(IrFunction f) {
        }

        /** The machine instructions after selection, before register allocation (nothing by default). */
        default void selected(MachineFunction m) {
        }

        /** The tier declined the function (the baseline compiles it), for {@code reason}. */
        void declined(String reason);
    }

    /**
     * As {@link #tryCompile(WasmModule, VmContextLayout, CompilerOptions, CpuFeatures, int)}, reporting each stage
     * to {@code observer} (may be null).
     */
    public static CompiledFunction tryCompile(WasmModule module, VmContextLayout vm, CompilerOptions options,
                                              CpuFeatures cpu, int functionIndex, StageObserver observer) {
        return tryCompile(module, vm, options, cpu, functionIndex, observer, null);
    }

    /**
     * As {@link #tryCompile(WasmModule, VmContextLayout, CompilerOptions, CpuFeatures, int, StageObserver)} with
     * the module's {@link TailCallEffects} (null: computed when the function makes a direct call).
     */
    public static CompiledFunction tryCompile(WasmModule module, VmContextLayout vm, CompilerOptions options,
                                              CpuFeatures cpu, int functionIndex, StageObserver observer,
                                              TailCallEffects effects) {
        IrFunction f;
        try {
            // bit counts need lzcnt/tzcnt/popcnt
            f = SsaBuilder.build(module, functionIndex, new SsaBuilder.SsaOptions(
                    cpu.lzcnt() && cpu.tzcnt() && cpu.popcnt(), options.fuel()));
        } catch (UnsupportedInTierException | StackOverflowError e) {
            DECLINED.incrementAndGet();
            if (observer != null) {
                observer.declined(e instanceof StackOverflowError ? "nesting too deep for the IR builder"
                        : "not translated: " + e.getMessage());
            }
            return null;
        }
        COMPILED.incrementAndGet();
        try {
            Simplifier.run(f);
            versionLoops(f, module, options);
            boolean mining = !"false".equals(System.getProperty(SafepointPoll.MEASUREMENT_PROPERTY)) // part of the polls: off with them
                    && !"false".equals(System.getProperty(StripMining.PROPERTY));
            if (mining) StripMining.runInnermost(f);          // before unrolling: it unrolls the mined loops
            if (!"false".equals(System.getProperty(UNROLL_PROPERTY))) LoopUnrolling.run(f);                       // after versioning: its copies are unrolled too
            if (mining) StripMining.run(f);
            if (observer != null) observer.simplified(f);
            MachineFunction m = InstructionSelector.select(f, vm, module, cpu, effects,
                    options.boundsChecks() == BoundsChecks.EXPLICIT);
            if (observer != null) observer.selected(m);
            Allocation alloc = LinearScan.allocate(m);
            return MachineEmitter.emit(m, alloc, vm, options, functionIndex, cpu);
        } catch (RuntimeException e) {
            // an internal error of the tier: the baseline still compiles the function (-Disthmus.tier.strict=true
            // makes it fail instead, for tests)
            if (STRICT) throw e;
            FAILED.incrementAndGet();
            COMPILED.decrementAndGet();
            DECLINED.incrementAndGet();
            if (observer != null) observer.declined("internal error of the tier: " + e);
            return null;
        }
    }
}
