package dev.isthmus.wast;

import dev.isthmus.text.script.WastAction;
import dev.isthmus.text.script.WastExpected;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The execution half of running one script: the instances made so far (the current one and those with a $name),
 * module definitions (3.0), and every command that needs an {@link ExecutionEngine}. Without an engine each of
 * them is {@link WastRunner#NO_ENGINE skipped}.
 */
final class ExecutionSession {
    private final String file;
    private final ExecutionEngine engine;
    private final String skipReason;
    private final Map<String, ExecutionEngine.Instance> named = new HashMap<>();
    private final Map<String, ModuleLoad.Loaded> definitions = new HashMap<>();
    private ExecutionEngine.Instance current;
    private ModuleLoad.Loaded lastDefinition;

    ExecutionSession(String file, ExecutionEngine engine, String skipReason) {
        this.file = file;
        this.engine = engine;
        this.skipReason = skipReason;
    }

    boolean hasEngine() {
        return engine != null;
    }

    /** After a {@code module} command loaded: instantiate it (with an engine) and make it current. */
    CommandResult instantiate(int line, String name, ModuleLoad.Loaded loaded) {
        if (engine == null) return CommandResult.passed(file, line, CommandKind.MODULE, null);
        current = null;
        try {
            ExecutionEngine.Instance instance = engine.instantiate(loaded.module(), loaded.binary());
            current = instance;
            if (name != null) named.put(name, instance);
            return CommandResult.passed(file, line, CommandKind.MODULE, null);
        } catch (EngineFailure e) {
            return CommandResult.failed(file, line, CommandKind.MODULE, "instantiation failed: " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return CommandResult.failed(file, line, CommandKind.MODULE, "engine threw " + e);
        }
    }

    /** A {@code module} command whose module did not load: later actions on "the current module" must fail. */
    void moduleFailed(String name) {
        current = null;
        if (name != null) named.remove(name);
    }

    /** 3.0 {@code (module definition $d ...)}: remembered for {@link #instantiateDefinition}. */
    void define(String name, ModuleLoad.Loaded loaded) {
        lastDefinition = loaded;
        if (name != null) definitions.put(name, loaded);
    }

    /** 3.0 {@code (module instance $i $d)}. */
    CommandResult instantiateDefinition(int line, String instanceName, String definitionName) {
        if (engine == null) return skipped(line, CommandKind.MODULE);
        ModuleLoad.Loaded def = definitionName == null ? lastDefinition : definitions.get(definitionName);
        if (def == null) return CommandResult.failed(file, line, CommandKind.MODULE, "unknown module definition "
                + definitionName);
        return instantiate(line, instanceName, def);
    }

    CommandResult register(int line, String as, String moduleName) {
        if (engine == null) return skipped(line, CommandKind.REGISTER);
        return attempt(line, CommandKind.REGISTER, () -> {
            engine.register(as, instance(moduleName));
            return null;
        });
    }

    /** A bare action: passes when it returns (whatever it returns). */
    CommandResult action(int line, WastAction action) {
        if (engine == null) return skipped(line, CommandKind.ACTION);
        return attempt(line, CommandKind.ACTION, () -> {
            perform(action);
            return null;
        });
    }

    CommandResult assertReturn(int line, WastAction action, List<WastExpected> expected) {
        if (engine == null) return skipped(line, CommandKind.ASSERT_RETURN);
        CommandKind kind = CommandKind.ASSERT_RETURN;
        try {
            String mismatch = ResultMatcher.mismatch(expected, perform(action));
            return mismatch == null ? CommandResult.passed(file, line, kind, null)
                    : CommandResult.failed(file, line, kind, mismatch);
        } catch (EngineFailure e) {
            return CommandResult.failed(file, line, kind, "expected " + WastNotation.expected(expected) + ", got "
                    + failure(e));
        } catch (MissingInstance e) {
            return CommandResult.failed(file, line, kind, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return CommandResult.failed(file, line, kind, "expected " + WastNotation.expected(expected)
                    + ", got exception " + e);
        }
    }

    /** {@code trap "integer divide by zero"}, {@code exhaustion "call stack exhausted"}, ... */
    static String failure(EngineFailure e) {
        return failure(e.kind(), e.getMessage());
    }

    static String failure(EngineFailure.Kind kind, String message) {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " \"" + message + "\"";
    }

    /** {@code assert_trap}, {@code assert_exhaustion} or {@code assert_exception} on an action. */
    CommandResult assertActionFails(int line, CommandKind kind, WastAction action, EngineFailure.Kind failure,
                                    String message) {
        if (engine == null) return skipped(line, kind);
        try {
            List<Value> results = perform(action);
            return CommandResult.failed(file, line, kind, "expected " + failure(failure, message) + ", got "
                    + ResultMatcher.describe(results));
        } catch (EngineFailure e) {
            return expectedFailure(line, kind, failure, message, e);
        } catch (MissingInstance e) {
            return CommandResult.failed(file, line, kind, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return CommandResult.failed(file, line, kind, "expected " + failure(failure, message) + ", got exception "
                    + e);
        }
    }

    /** {@code assert_unlinkable}, {@code assert_uninstantiable} or {@code assert_trap} on a (loaded) module. */
    CommandResult assertInstantiationFails(int line, CommandKind kind, ModuleLoad load, EngineFailure.Kind failure,
                                           String message) {
        if (engine == null) return skipped(line, kind);
        if (!(load instanceof ModuleLoad.Loaded loaded)) {
            return CommandResult.failed(file, line, kind, "module did not load: " + load.describe());
        }
        try {
            engine.instantiate(loaded.module(), loaded.binary());
            return CommandResult.failed(file, line, kind, "expected " + failure(failure, message)
                    + ", got an instance");
        } catch (EngineFailure e) {
            return expectedFailure(line, kind, failure, message, e);
        } catch (RuntimeException | StackOverflowError e) {
            return CommandResult.failed(file, line, kind, "engine threw " + e);
        }
    }

    private CommandResult expectedFailure(int line, CommandKind kind, EngineFailure.Kind failure, String message,
                                          EngineFailure e) {
        if (e.kind() != failure) {
            return CommandResult.failed(file, line, kind, "expected " + failure(failure, message) + ", got "
                    + failure(e));
        }
        return CommandResult.passed(file, line, kind, WastRunner.wordingNote(message, e.getMessage()));
    }

    private List<Value> perform(WastAction action) {
        ExecutionEngine.Instance instance = instance(action.moduleName());
        return switch (action) {
            case WastAction.Invoke i -> engine.invoke(instance, i.export(), ResultMatcher.toValues(i.args()));
            case WastAction.Get g -> List.of(engine.get(instance, g.export()));
        };
    }

    private ExecutionEngine.Instance instance(String moduleName) {
        ExecutionEngine.Instance instance = moduleName == null ? current : named.get(moduleName);
        if (instance == null) {
            throw new MissingInstance(moduleName == null ? "no current module instance"
                    : "no module instance named " + moduleName);
        }
        return instance;
    }

    /** An action or register names a module the script has not (successfully) instantiated. */
    private static final class MissingInstance extends RuntimeException {
        MissingInstance(String message) {
            super(message, null, false, false);
        }
    }

    /** Runs {@code step}, which returns null when the command passed or else why it failed. */
    private CommandResult attempt(int line, CommandKind kind, Supplier<String> step) {
        try {
            String mismatch = step.get();
            return mismatch == null ? CommandResult.passed(file, line, kind, null)
                    : CommandResult.failed(file, line, kind, mismatch);
        } catch (EngineFailure e) {
            return CommandResult.failed(file, line, kind, failure(e));
        } catch (MissingInstance e) {
            return CommandResult.failed(file, line, kind, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return CommandResult.failed(file, line, kind, "engine threw " + e);
        }
    }

    private CommandResult skipped(int line, CommandKind kind) {
        return CommandResult.skipped(file, line, kind, skipReason);
    }
}
