package dev.isthmus;

import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.instance.ModuleCode;

/** The default {@link CodeGenerator}: Isthmus's own compiler, with its code loaded and registered. */
final class IsthmusCompiler {
    private IsthmusCompiler() {
    }

    static ModuleCode generate(WasmModule module, BoundsChecks boundsChecks) {
        throw new UnsupportedOperationException("the compiler (dev.isthmus.compiler) is not integrated yet");
    }
}
