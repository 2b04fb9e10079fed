package dev.isthmus.compiler.tier;

import dev.isthmus.compiler.ir.IrFunction;
import dev.isthmus.compiler.ir.UnsupportedInTierException;
import dev.isthmus.compiler.isel.InstructionSelector;
import dev.isthmus.compiler.isel.MachineFunction;
import dev.isthmus.compiler.opt.Simplifier;
import dev.isthmus.compiler.regalloc.Allocation;
import dev.isthmus.compiler.regalloc.LinearScan;
import dev.isthmus.compiler.ssa.SsaBuilder;
import dev.isthmus.compiler.x64.CompiledFunction;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;

/**
 * The optimizing tier: wasm → SSA ({@link SsaBuilder}) → simplification ({@link Simplifier}) → instruction selection
 * ({@link InstructionSelector}) → linear-scan register allocation ({@link LinearScan}) → machine code
 * ({@link MachineEmitter}), under the same {@link dev.isthmus.runtime.abi.WasmAbi} as the baseline compiler.
 */
public final class OptimizingCompiler {
    private OptimizingCompiler() {}

    /**
     * Compiles defined function {@code functionIndex} (function index space), or returns null when the tier does
     * not support something the function uses (the caller then uses the baseline compiler).
     */
    public static CompiledFunction tryCompile(WasmModule module, VmContextLayout vm, int functionIndex) {
        IrFunction f;
        try {
            f = SsaBuilder.build(module, functionIndex);
        } catch (UnsupportedInTierException | StackOverflowError e) {
            return null;
        }
        Simplifier.run(f);
        MachineFunction m = InstructionSelector.select(f);
        Allocation alloc = LinearScan.allocate(m);
        return MachineEmitter.emit(m, alloc, vm);
    }
}
