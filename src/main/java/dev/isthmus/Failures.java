package dev.isthmus;

import dev.isthmus.binary.ModuleRejection;
import dev.isthmus.binary.ValidationException;
import dev.isthmus.compiler.machine.UnimplementedFeatureException;
import dev.isthmus.runtime.trap.TrapException;

/**
 * The API boundary's translation of internal exceptions into the {@link WasmException} family (the internal one
 * becomes the cause; messages are kept).
 */
final class Failures {
    private Failures() {
    }

    /** The API exception for a module the front end refused. */
    static ModuleRejectedException rejected(ModuleRejection e) {
        if (e instanceof ValidationException) {
            return new InvalidModuleException(e.getMessage(), e.reason(), e.section(), e.offset(), e.functionIndex(),
                    e);
        }
        return new MalformedModuleException(e.getMessage(), e.reason(), e.section(), e.offset(), e.functionIndex(), e);
    }

    static UnsupportedFeatureException unsupported(UnimplementedFeatureException e) {
        return new UnsupportedFeatureException(e.getMessage(), e);
    }

    static WasmTrap trap(TrapException e) {
        return WasmTrap.of(e);
    }
}
