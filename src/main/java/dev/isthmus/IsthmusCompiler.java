package dev.isthmus;

import dev.isthmus.runtime.loader.LazyCode;
import dev.isthmus.runtime.loader.LoadedCode;
import dev.isthmus.options.Tier;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.compiler.machine.MachineCode;
import dev.isthmus.compiler.ModuleCompiler;
import dev.isthmus.compiler.machine.CpuFeatures;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.instance.ModuleCode;

/** The default {@link CodeGenerator}: Isthmus's own compiler, its code loaded and registered ({@link LoadedCode}). */
final class IsthmusCompiler {
    private IsthmusCompiler() {
    }

    static ModuleCode generate(WasmModule module, CompilerOptions options) {
        return load(module, ModuleCompiler.compile(module, options));
    }

    /** For explicit CPU features (tests: {@code Isthmus.builder().codeGenerator((m, o) -> generate(m, o, cpu))}). */
    static ModuleCode generate(WasmModule module, CompilerOptions options, CpuFeatures cpu) {
        return load(module, ModuleCompiler.compile(module, options, cpu));
    }

    /**
     * The code of {@code module} compiled when first called ({@code options.compilation()} is lazy): the adapters
     * and stubs now, each function by the chunk compiler when first called (and again by the optimizing tier when
     * hot, under {@link dev.isthmus.options.Compilation#TIERED}).
     */
    static LazyCode lazy(WasmModule module, CompilerOptions options, int tierUpBudget) {
        ModuleCompiler.LazyContext context = ModuleCompiler.lazyContext(module, options);
        ModuleCompiler.Adapters adapters = ModuleCompiler.adapters(module);
        return new LazyCode(module, options.compilation(), options.tier() == Tier.OPTIMIZING,
                (functions, optimizing) -> ModuleCompiler.compileChunk(context, functions, optimizing),
                adapters.code(), adapters.entry(), adapters.host(), adapters.unwind(), tierUpBudget);
    }

    /** Maps {@code machineCode} (compiled now, or read from a code file) and registers it with the runtime. */
    static LoadedCode load(WasmModule module, MachineCode machineCode) {
        return new LoadedCode(module, machineCode.code(), new LoadedCode.CodeMap() {
            @Override
            public int functionOffset(int functionIndex) {
                return machineCode.functionOffset(functionIndex);
            }

            @Override
            public int entryAdapterOffset(int typeIndex) {
                return machineCode.entryAdapterOffset(typeIndex);
            }

            @Override
            public int hostAdapterOffset(int typeIndex) {
                return machineCode.hostAdapterOffset(typeIndex);
            }

            @Override
            public int functionAt(int codeOffset) {
                return machineCode.functionAt(codeOffset);
            }

            @Override
            public int wasmOffsetAt(int codeOffset) {
                return machineCode.wasmOffsetAt(codeOffset);
            }

            @Override
            public FrameUnwind unwind(int functionIndex) {
                return machineCode.unwind(functionIndex);
            }

            @Override
            public FrameUnwind adapterUnwind() {
                return machineCode.adapterUnwind();
            }
        });
    }
}
