package dev.isthmus;

import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.instance.Instantiator;
import dev.isthmus.runtime.instance.LinkFailure;
import dev.isthmus.runtime.instance.ModuleCode;
import dev.isthmus.runtime.instance.RuntimeInstance;
import dev.isthmus.runtime.trap.WasmTrap;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated, compiled module, ready to instantiate any number of times, from any thread.
 */
public final class CompiledModule {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Modules whose instantiation trapped: tables they wrote into may still point at their code. */
    private static final List<CompiledModule> RETAINED = new ArrayList<>();

    private final WasmModule module;
    private final ModuleCode code;
    private final BoundsChecks boundsChecks;

    CompiledModule(WasmModule module, ModuleCode code, BoundsChecks boundsChecks) {
        this.module = module;
        this.code = code;
        this.boundsChecks = boundsChecks;
        if (code instanceof AutoCloseable closeable) {
            CLEANER.register(this, () -> {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // nothing to report to: the module is unreachable
                }
            });
        }
    }

    /** The decoded module. */
    public WasmModule module() {
        return module;
    }

    /** Instantiates a module that has no imports. */
    public Instance instantiate() {
        return instantiate(Imports.none());
    }

    /**
     * Links and instantiates: resolves the imports, initialises tables and memories from the active segments,
     * runs the start function.
     *
     * @throws UnlinkableException when an import is missing or has the wrong type
     * @throws UninstantiableException when a segment does not fit or the start function traps
     */
    public Instance instantiate(Imports imports) {
        RuntimeInstance runtime;
        try {
            runtime = Instantiator.instantiate(module, code, imports::resolve, Isthmus.memoryMode(boundsChecks));
        } catch (LinkFailure e) {
            throw new UnlinkableException(e.getMessage());
        } catch (WasmTrap trap) {
            synchronized (RETAINED) {
                RETAINED.add(this);
            }
            throw new UninstantiableException(trap);
        }
        return new Instance(this, runtime, imports.providers());
    }
}
