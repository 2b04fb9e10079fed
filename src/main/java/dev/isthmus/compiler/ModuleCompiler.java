package dev.isthmus.compiler;

import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.machine.TailCallEffects;
import dev.isthmus.compiler.machine.CodeSites;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.Tier;
import dev.isthmus.options.CodeAlignment;
import dev.isthmus.options.Compilation;
import dev.isthmus.runtime.abi.CompiledChunk;
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
        options = options.withCompilation(Compilation.EAGER);  // the whole module at once: direct calls
        SimdRequirement.check(module, cpu);
        VmContextLayout vm = VmContextLayout.of(module);
        int imports = module.importedFunctionCount();
        int defined = module.functions().size();
        CodeLinker linker = new CodeLinker(CodeLinker.offsetProperty());
        CompiledFunction[] compiled = new CompiledFunction[defined];
        TailCallEffects effects = TailCallEffects.of(module);
        // one function after another: compiling on both cores of this machine kind measured slower (yosys, 28 MB of
        // code: 16.9 s -> 19.3 s, user CPU 29 s -> 37 s; big.wasm warm: 195 -> 250 ms; docs/performance.md)
        for (int i = 0; i < defined; i++) {
            CompiledFunction f = options.tier() == Tier.OPTIMIZING
                    ? OptimizingCompiler.tryCompile(module, vm, options, cpu, imports + i, null, effects) : null;
            compiled[i] = f != null ? f : FunctionCompiler.compile(module, vm, options, cpu, imports + i, effects);
        }
        Pieces pieces = Pieces.append(linker, compiled, options.alignment());
        int[] pieceStarts = pieces.pieceStarts();
        int[] starts = pieces.entries();
        int relocationCount = 0;
        for (CompiledFunction f : compiled) relocationCount += f.relocations().length / 2;
        int[] sites = new int[relocationCount];
        int[] targets = new int[relocationCount];
        int rk = 0;
        for (int i = 0; i < defined; i++) {
            int[] rel = compiled[i].relocations();
            for (int j = 0; j < rel.length; j += 2) {
                sites[rk] = pieceStarts[i] + rel[j];
                targets[rk++] = starts[rel[j + 1] - imports];
            }
        }
        int types = module.types().size();
        int[] entry = new int[types];
        int[] host = new int[types];
        appendAdapters(module, linker, entry, host);
        byte[] code = linker.link(sites, targets, rk);
        CodeSites typeIdSites = new CodeSites();
        for (int i = 0; i < defined; i++) {
            int[] pairs = compiled[i].typeIdSites();
            for (int j = 0; j < pairs.length; j += 2) typeIdSites.add(pieceStarts[i] + pairs[j], pairs[j + 1]);
        }
        return new MachineCode(code, imports, starts, pieces.ends(), entry, host, pieces.codeOffsets(),
                pieces.wasmOffsets(), pieces.unwinds(), cpu.extensions(), options.fuel(), typeIdSites.toArray());
    }

    /**
     * Functions appended to a linker in order: where each piece starts, where its entry and its end are, its unwind
     * table, and the pc map of all of them (code offsets ascending, each with its wasm offset).
     */
    private record Pieces(int[] pieceStarts, int[] entries, int[] ends, FrameUnwind[] unwinds, int[] codeOffsets,
                          int[] wasmOffsets) {
        static Pieces append(CodeLinker linker, CompiledFunction[] compiled, CodeAlignment alignment) {
            int n = compiled.length;
            int[] pieceStarts = new int[n];
            int[] entries = new int[n];
            int[] ends = new int[n];
            FrameUnwind[] unwinds = new FrameUnwind[n];
            int offsetTotal = 0;
            for (int i = 0; i < n; i++) {
                CompiledFunction f = compiled[i];
                pieceStarts[i] = linker.appendFunction(f.code(), f.entry(), alignment);
                entries[i] = pieceStarts[i] + f.entry();
                ends[i] = pieceStarts[i] + f.code().length;
                unwinds[i] = f.unwind();
                offsetTotal += f.codeOffsets().length;
            }
            int[] codeOffsets = new int[offsetTotal];
            int[] wasmOffsets = new int[offsetTotal];
            int k = 0;
            for (int i = 0; i < n; i++) {
                CompiledFunction f = compiled[i];
                for (int j = 0; j < f.codeOffsets().length; j++) {
                    codeOffsets[k] = pieceStarts[i] + f.codeOffsets()[j];
                    wasmOffsets[k++] = f.wasmOffsets()[j];
                }
            }
            return new Pieces(pieceStarts, entries, ends, unwinds, codeOffsets, wasmOffsets);
        }
    }

    /** The entry and host-call adapters of every type, appended in type order; their offsets into the arrays. */
    private static void appendAdapters(WasmModule module, CodeLinker linker, int[] entry, int[] host) {
        for (int t = 0; t < entry.length; t++) {
            FuncType type = module.types().get(t);
            Assembler e = new Assembler();
            AdapterEmitter.emitEntry(e, type);
            entry[t] = linker.append(e.finish());
            Assembler h = new Assembler();
            AdapterEmitter.emitHost(h, type);
            host[t] = linker.append(h.finish());
        }
    }

    /**
     * The adapters of a module compiled lazily, in one piece of code: {@code entry[t]} and {@code host[t]} are the
     * offsets of type {@code t}'s adapters, all sharing {@link AdapterEmitter#UNWIND}.
     */
    public record Adapters(byte[] code, int[] entry, int[] host, FrameUnwind unwind) {
    }

    /** Every type's adapters (the part of a module's code that does not depend on its functions). */
    public static Adapters adapters(WasmModule module) {
        CodeLinker linker = new CodeLinker();
        int types = module.types().size();
        int[] entry = new int[types];
        int[] host = new int[types];
        appendAdapters(module, linker, entry, host);
        return new Adapters(linker.link(new int[0], new int[0], 0), entry, host, AdapterEmitter.UNWIND);
    }

    /**
     * What compiling a module's functions one chunk at a time needs ({@link Compilation#lazy()}): worked out once
     * per module.
     */
    public record LazyContext(WasmModule module, VmContextLayout vm, CompilerOptions options, CpuFeatures cpu,
                              TailCallEffects effects) {
    }

    /** The context for compiling {@code module}'s functions lazily with {@code options} (lazy or tiered). */
    public static LazyContext lazyContext(WasmModule module, CompilerOptions options) {
        if (!options.compilation().lazy()) throw new IllegalArgumentException("not lazy: " + options.compilation());
        CpuFeatures cpu = cpuFeatures(options);
        SimdRequirement.check(module, cpu);
        return new LazyContext(module, VmContextLayout.of(module), options, cpu, TailCallEffects.onDemand(module));
    }

    /**
     * Compiles {@code functions} (defined functions, function index space) into one chunk: with the optimizing tier
     * when {@code optimizing} (the baseline for a function it does not support), else the baseline tier, which
     * under {@link Compilation#TIERED} counts the function's tier-up budget. Calls between functions go through the
     * instance context, so the chunk can be mapped anywhere.
     */
    public static CompiledChunk compileChunk(LazyContext context, int[] functions, boolean optimizing) {
        WasmModule module = context.module();
        CompilerOptions options = context.options();
        CompilerOptions untiered = options.withCompilation(Compilation.LAZY);   // final code counts nothing
        int n = functions.length;
        boolean[] optimized = new boolean[n];
        CompiledFunction[] compiled = new CompiledFunction[n];
        for (int i = 0; i < n; i++) {
            int index = functions[i];
            CompiledFunction f = optimizing ? OptimizingCompiler.tryCompile(module, context.vm(), untiered,
                    context.cpu(), index, null, context.effects()) : null;
            optimized[i] = f != null;
            compiled[i] = f != null ? f : FunctionCompiler.compile(module, context.vm(),
                    optimizing ? untiered : options, context.cpu(), index, context.effects());
        }
        CodeLinker linker = new CodeLinker();
        Pieces pieces = Pieces.append(linker, compiled, options.alignment());
        return new CompiledChunk(linker.link(new int[0], new int[0], 0), functions.clone(), pieces.entries(),
                pieces.ends(), pieces.codeOffsets(), pieces.wasmOffsets(), pieces.unwinds(), optimized);
    }
}
