package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.machine.TailCallEffects;
import dev.isthmus.compiler.machine.CodeSites;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.compiler.machine.AdapterEmitter;
import dev.isthmus.compiler.machine.CodeLinker;
import dev.isthmus.compiler.optimizing.OptimizingCompiler;
import dev.isthmus.compiler.machine.CompiledFunction;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.compiler.baseline.FunctionCompiler;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.x64.Assembler;

import java.util.Arrays;

/**
 * Compiles a validated module to {@link MachineCode}: each defined function by the {@link FunctionCompiler} (or, with
 * {@link Tier#OPTIMIZING}, by the optimizing tier when it supports the function), then
 * the adapters of every function type, then the calls between functions are linked. Function entries are placed
 * by the options' {@link CodeAlignment}; each function carries its unwind table.
 */
public final class ModuleCompiler {
    private ModuleCompiler() {}

    /**
     * Compiles for this machine's CPU ({@link CpuFeatures#host()}), without AVX when {@code options.avx()} is
     * false.
     *
     * @throws UnimplementedFeatureException for what the compiler cannot translate, and for SIMD on a CPU without
     *         SSE4.1
     */
    public static MachineCode compile(WasmModule validatedModule, CompilerOptions options) {
        return compile(validatedModule, options, cpuFeatures(options));
    }

    /** The CPU features {@code options} allow on this machine: the host's, without AVX unless {@code avx()}. */
    public static CpuFeatures cpuFeatures(CompilerOptions options) {
        return options.avx() ? CpuFeatures.host() : CpuFeatures.host().withoutAvx();
    }

    /**
     * As {@link #compile(WasmModule, CompilerOptions)} with explicit CPU features (tests of fallback paths; a cache
     * of code for another machine): both tiers use only {@code cpu}'s instructions, and the result records them
     * ({@link MachineCode#requiredExtensions()}).
     */
    public static MachineCode compile(WasmModule module, CompilerOptions options, CpuFeatures cpu) {
        if (!options.avx()) cpu = cpu.withoutAvx();
        SimdRequirement.check(module, cpu);
        VmContextLayout vm = VmContextLayout.of(module);
        int imports = module.importedFunctionCount();
        int defined = module.functions().size();
        CodeLinker linker = new CodeLinker();
        int[] starts = new int[defined];
        int[] ends = new int[defined];
        CompiledFunction[] compiled = new CompiledFunction[defined];
        int[] pieceStarts = new int[defined];
        FrameUnwind[] unwinds = new FrameUnwind[defined];
        TailCallEffects effects = TailCallEffects.of(module);
        int offsetTotal = 0;
        for (int i = 0; i < defined; i++) {
            CompiledFunction f = options.tier() == Tier.OPTIMIZING
                    ? OptimizingCompiler.tryCompile(module, vm, options, cpu, imports + i, null, effects) : null;
            if (f == null) f = FunctionCompiler.compile(module, vm, options, cpu, imports + i, effects);
            compiled[i] = f;
            pieceStarts[i] = linker.appendFunction(f.code(), f.entry(), options.alignment());
            starts[i] = pieceStarts[i] + f.entry();
            ends[i] = pieceStarts[i] + f.code().length;
            unwinds[i] = f.unwind();
            offsetTotal += f.codeOffsets().length;
        }
        int[] codeOffsets = new int[offsetTotal];
        int[] wasmOffsets = new int[offsetTotal];
        int relocationCount = 0;
        for (CompiledFunction f : compiled) relocationCount += f.relocations().length / 2;
        int[] sites = new int[relocationCount];
        int[] targets = new int[relocationCount];
        int k = 0;
        int rk = 0;
        for (int i = 0; i < defined; i++) {
            CompiledFunction f = compiled[i];
            for (int j = 0; j < f.codeOffsets().length; j++) {
                codeOffsets[k] = pieceStarts[i] + f.codeOffsets()[j];
                wasmOffsets[k++] = f.wasmOffsets()[j];
            }
            int[] rel = f.relocations();
            for (int j = 0; j < rel.length; j += 2) {
                sites[rk] = pieceStarts[i] + rel[j];
                targets[rk++] = starts[rel[j + 1] - imports];
            }
        }
        int types = module.types().size();
        int[] entry = new int[types];
        int[] host = new int[types];
        for (int t = 0; t < types; t++) {
            FuncType type = module.types().get(t);
            Assembler e = new Assembler();
            AdapterEmitter.emitEntry(e, type);
            entry[t] = linker.append(e.finish());
            Assembler h = new Assembler();
            AdapterEmitter.emitHost(h, type);
            host[t] = linker.append(h.finish());
        }
        byte[] code = linker.link(sites, targets, rk);
        CodeSites typeIdSites = new CodeSites();
        for (int i = 0; i < defined; i++) {
            int[] pairs = compiled[i].typeIdSites();
            for (int j = 0; j < pairs.length; j += 2) typeIdSites.add(pieceStarts[i] + pairs[j], pairs[j + 1]);
        }
        return new MachineCode(code, imports, starts, ends, entry, host, Arrays.copyOf(codeOffsets, k),
                Arrays.copyOf(wasmOffsets, k), unwinds, cpu.extensions(), options.fuel(), typeIdSites.toArray());
    }
}
