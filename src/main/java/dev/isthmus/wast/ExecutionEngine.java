package dev.isthmus.wast;

import dev.isthmus.model.WasmModule;

import java.util.List;

/**
 * What {@link WastRunner} needs to run a script's execution commands ({@code invoke}, {@code get},
 * {@code assert_return}, {@code assert_trap}, {@code register}, linking and instantiation). Isthmus's own is
 * {@link dev.isthmus.wast.engine.IsthmusEngine}, handed to {@link WastRunner#WastRunner(FrontEnd, ExecutionEngine)};
 * a runner given none reports those commands as skipped.
 *
 * <p>Every method signals the failures the spec defines with {@link EngineFailure}; anything else it throws is
 * reported as a failure of the command.
 */
public interface ExecutionEngine {

    /** An instantiated module. */
    interface Instance {}

    /**
     * Links and instantiates a validated module: imports resolve against the {@code spectest} host module
     * ({@link SpectestHost}) and the instances registered so far; runs data/element initialisation and the start
     * function.
     *
     * @throws EngineFailure {@code UNLINKABLE} or {@code TRAP}
     */
    Instance instantiate(WasmModule module, byte[] binary);

    /** Makes {@code instance}'s exports importable under the module name {@code as}. */
    void register(String as, Instance instance);

    /**
     * Calls an exported function.
     *
     * @throws EngineFailure {@code TRAP}, {@code EXHAUSTION} or {@code EXCEPTION}
     */
    List<Value> invoke(Instance instance, String export, List<Value> args);

    /** Reads an exported global. */
    Value get(Instance instance, String export);

    /**
     * Called before the commands of script {@code file} run: the engine may drop what the previous script made
     * (instances, registrations). Returns null to run the script's execution commands, or the reason to skip them.
     */
    default String beginScript(String file) {
        return null;
    }
}
