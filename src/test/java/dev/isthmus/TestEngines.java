package dev.isthmus;

import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.instance.ModuleCode;
import java.util.function.Function;

/** Engines whose code generator a test supplies (the substitution is package-private, not API). */
public final class TestEngines {
    private TestEngines() {
    }

    /** An engine that gets each module's loaded code from {@code generator} instead of the compiler. */
    public static Isthmus withCode(Function<WasmModule, ModuleCode> generator) {
        return Isthmus.builder().codeGenerator((module, options) -> generator.apply(module)).build();
    }
}
