package dev.isthmus.wast.engine;

import dev.isthmus.CompiledModule;
import dev.isthmus.Imports;
import dev.isthmus.Isthmus;
import dev.isthmus.UninstantiableException;
import dev.isthmus.TrapKind;
import dev.isthmus.UnlinkableException;
import dev.isthmus.WasmTrap;
import dev.isthmus.model.ExternKind;
import dev.isthmus.model.FuncType;
import dev.isthmus.model.Import;
import dev.isthmus.model.WasmModule;
import dev.isthmus.wast.EngineFailure;
import dev.isthmus.wast.ExecutionEngine;
import dev.isthmus.wast.SpectestHost;
import dev.isthmus.wast.Value;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs spec test scripts' execution commands on the embedding API: every module is compiled with {@link Isthmus}
 * and instantiated against a fresh {@code spectest} module and the instances the script registered. Traps become
 * {@link EngineFailure}s ({@code call stack exhausted} is {@code EXHAUSTION}); everything a script made is closed
 * when the next script begins. v128 values cross as {@link dev.isthmus.V128} ({@link ScriptValues}). Wasm runs
 * under a {@link Watchdog}, so a runaway module fails its command instead of hanging the run.
 */
public final class IsthmusEngine implements ExecutionEngine, AutoCloseable {
    private final Isthmus isthmus;
    private final SpectestHost host;
    private final Map<String, dev.isthmus.Instance> registered = new HashMap<>();
    private final List<dev.isthmus.Instance> instances = new ArrayList<>();
    private final List<CompiledModule> modules = new ArrayList<>();
    private final String noCompiler;
    private final Watchdog watchdog = new Watchdog();
    private SpectestImports spectest;

    private record ScriptInstance(dev.isthmus.Instance instance) implements ExecutionEngine.Instance {}

    /** An engine whose spectest print functions print nothing. */
    public IsthmusEngine(Isthmus isthmus) {
        this(isthmus, new SpectestHost(new PrintStream(OutputStream.nullOutputStream())));
    }

    public IsthmusEngine(Isthmus isthmus, SpectestHost host) {
        this.isthmus = isthmus;
        this.host = host;
        this.noCompiler = probe(isthmus);
    }

    /** An engine with the default compiler settings. */
    public static IsthmusEngine create() {
        return new IsthmusEngine(Isthmus.create());
    }

    @Override
    public String beginScript(String file) {
        close();
        return noCompiler;
    }

    /** Null when {@code isthmus} can compile at all (tried on the empty module), else why not. */
    private static String probe(Isthmus isthmus) {
        try {
            isthmus.compile(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}).close();
            return null;
        } catch (UnsupportedOperationException e) {
            return "no compiler: " + e.getMessage();
        }
    }

    private boolean codeFiles;

    /**
     * Whether every module goes through a code file before it is instantiated: compiled from its binary, written
     * with {@link CompiledModule#serialize()} and loaded back with {@link Isthmus#deserialize} (the loaded module
     * runs the script's commands). For testing code files against the spec suites.
     */
    public IsthmusEngine throughCodeFiles(boolean on) {
        this.codeFiles = on;
        return this;
    }

    @Override
    public ExecutionEngine.Instance instantiate(WasmModule module, byte[] binary) {
        CompiledModule compiled = codeFiles && binary != null ? throughCodeFile(binary) : isthmus.compile(module);
        modules.add(compiled);
        Imports imports = imports(module);
        try {
            dev.isthmus.Instance instance = watchdog.run(() -> compiled.instantiate(imports), modules);
            instances.add(instance);
            return new ScriptInstance(instance);
        } catch (UnlinkableException e) {
            throw new EngineFailure(EngineFailure.Kind.UNLINKABLE, e.getMessage());
        } catch (UninstantiableException e) {
            if (e.getCause() instanceof dev.isthmus.WasmThrow thrown) {
                throw new EngineFailure(EngineFailure.Kind.EXCEPTION, thrown.getMessage());
            }
            if (e.trap() == null) throw e; // a resource limit, not what an assertion expects
            throw failure(e.trap());
        }
    }

    private CompiledModule throughCodeFile(byte[] binary) {
        CompiledModule fresh = isthmus.compile(binary);
        try {
            return isthmus.deserialize(fresh.serialize());
        } finally {
            fresh.close();
        }
    }

    private Imports imports(WasmModule module) {
        Imports.Builder imports = Imports.builder();
        for (Import imp : module.imports()) {
            if (imp.module().equals(SpectestHost.MODULE_NAME)) {
                spectest().provide(imp.name(), imports);
                continue;
            }
            dev.isthmus.Instance provider = registered.get(imp.module());
            if (provider != null && provider.exportKinds().containsKey(imp.name())) {
                imports.export(imp.module(), imp.name(), provider, imp.name());
            }
        }
        return imports.build();
    }

    private SpectestImports spectest() {
        if (spectest == null) spectest = new SpectestImports(host, isthmus.boundsChecks());
        return spectest;
    }

    @Override
    public void register(String as, ExecutionEngine.Instance instance) {
        registered.put(as, ((ScriptInstance) instance).instance());
    }

    @Override
    public List<Value> invoke(ExecutionEngine.Instance target, String export, List<Value> args) {
        dev.isthmus.Instance instance = ((ScriptInstance) target).instance();
        FuncType type = instance.functionType(export);
        if (args.size() != type.params().size()) {
            throw new IllegalArgumentException(export + " takes " + type.params().size() + " arguments, not "
                    + args.size());
        }
        Object[] javaArgs = new Object[args.size()];
        for (int i = 0; i < javaArgs.length; i++) javaArgs[i] = ScriptValues.toJava(type.params().get(i), args.get(i));
        Object[] results;
        try {
            results = watchdog.run(() -> instance.call(export, javaArgs), modules);
        } catch (WasmTrap trap) {
            throw failure(trap);
        } catch (dev.isthmus.WasmThrow thrown) {
            throw new EngineFailure(EngineFailure.Kind.EXCEPTION, thrown.getMessage());
        }
        List<Value> out = new ArrayList<>(results.length);
        for (int i = 0; i < results.length; i++) out.add(ScriptValues.fromJava(type.results().get(i), results[i]));
        return out;
    }

    @Override
    public Value get(ExecutionEngine.Instance target, String export) {
        dev.isthmus.Instance instance = ((ScriptInstance) target).instance();
        if (instance.exportKinds().get(export) != ExternKind.GLOBAL) {
            throw new IllegalArgumentException("no global export named " + export);
        }
        var global = instance.global(export);
        return ScriptValues.fromJava(global.type(), global.get());
    }

    private static EngineFailure failure(WasmTrap trap) {
        EngineFailure.Kind kind = trap.kind() == TrapKind.CALL_STACK_EXHAUSTED ? EngineFailure.Kind.EXHAUSTION
                : EngineFailure.Kind.TRAP;
        return new EngineFailure(kind, trap.getMessage());
    }

    /** Closes every instance and module the current script made, and its spectest module. */
    @Override
    public void close() {
        registered.clear();
        for (int i = instances.size() - 1; i >= 0; i--) instances.get(i).close();
        instances.clear();
        for (CompiledModule module : modules) module.close();
        modules.clear();
        if (spectest != null) {
            spectest.close();
            spectest = null;
        }
    }

}
