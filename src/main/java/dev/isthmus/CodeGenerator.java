package dev.isthmus;

import dev.isthmus.options.CompilerOptions;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.instance.ModuleCode;

/**
 * Turns a validated module into loaded machine code: the engine's back end. {@link Isthmus#create()} uses Isthmus's
 * compiler; {@link Isthmus.Builder#codeGenerator} substitutes another (tests, from this package). If the returned
 * code is {@link AutoCloseable}, it is closed when its {@link CompiledModule} is unreachable and no instance needs
 * it. Package-private: it returns the runtime's {@link ModuleCode}, which is not API.
 */
@FunctionalInterface
interface CodeGenerator {
    /**
     * @param options the engine's compiler settings; {@code options.boundsChecks()} must be honoured (the memories
     *                are created to match it)
     */
    ModuleCode generate(WasmModule module, CompilerOptions options);
}
