package dev.isthmus.wast;

import dev.isthmus.ModuleRejectedException;
import dev.isthmus.text.script.ModuleSource;
import dev.isthmus.text.script.WastCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the commands of a parsed WAST script and judges each one.
 *
 * <p>The front end decides what it can on its own:
 * <ul>
 *   <li>{@code assert_malformed} passes iff decoding (for text: parsing, then decoding) throws
 *       MalformedModuleException;</li>
 *   <li>{@code assert_invalid} passes iff the module decodes and validation throws InvalidModuleException;</li>
 *   <li>every {@code module} must decode and validate, and so must the modules inside {@code assert_unlinkable},
 *       {@code assert_uninstantiable} and {@code assert_trap}: each of those yields an extra {@code module} result
 *       on the assertion's line.</li>
 * </ul>
 * An error worded differently from the script's expectation does not fail a command; it is kept as a
 * {@link CommandResult#note() note}. Everything that needs execution goes to an {@link ExecutionSession}; without an
 * {@link ExecutionEngine} it is skipped with the reason {@link #NO_ENGINE}, and when the engine declines a script
 * ({@link ExecutionEngine#beginScript}) with the engine's reason.
 */
public final class WastRunner {
    /** Why execution commands are skipped when there is no engine. */
    public static final String NO_ENGINE = "execution engine not yet available";

    private final ModuleLoader loader;
    private final ExecutionEngine engine;

    /** A runner for the front end only: execution commands are skipped. */
    public WastRunner(FrontEnd frontEnd) {
        this(frontEnd, null);
    }

    /** A runner that executes with {@code engine} (null for none). */
    public WastRunner(FrontEnd frontEnd, ExecutionEngine engine) {
        this.loader = new ModuleLoader(frontEnd);
        this.engine = engine;
    }

    /** Runs {@code commands} of script {@code file} in order; one or two results per command. */
    public List<CommandResult> run(String file, List<WastCommand> commands) {
        String skipReason = engine == null ? NO_ENGINE : engine.beginScript(file);
        ExecutionSession session = new ExecutionSession(file, skipReason == null ? engine : null,
                skipReason == null ? NO_ENGINE : skipReason);
        List<CommandResult> out = new ArrayList<>(commands.size());
        for (WastCommand command : commands) run(file, command, session, out);
        return out;
    }

    private void run(String file, WastCommand command, ExecutionSession session, List<CommandResult> out) {
        int line = command.line();
        switch (command) {
            case WastCommand.ModuleCommand m -> {
                ModuleLoad load = loader.load(m.source());
                if (load instanceof ModuleLoad.Loaded loaded) {
                    out.add(session.instantiate(line, m.name(), loaded));
                } else {
                    session.moduleFailed(m.name());
                    out.add(CommandResult.failed(file, line, CommandKind.MODULE, load.describe()));
                }
            }
            case WastCommand.ModuleDefinition d -> {
                ModuleLoad load = loader.load(d.source());
                if (load instanceof ModuleLoad.Loaded loaded) session.define(d.name(), loaded);
                out.add(moduleResult(file, line, load, null));
            }
            case WastCommand.ModuleInstance i ->
                    out.add(session.instantiateDefinition(line, i.instanceName(), i.definitionName()));
            case WastCommand.Register r -> out.add(session.register(line, r.as(), r.moduleName()));
            case WastCommand.ActionCommand a -> out.add(session.action(line, a.action()));
            case WastCommand.AssertReturn a -> out.add(session.assertReturn(line, a.action(), a.expected()));
            case WastCommand.AssertTrap t -> out.add(session.assertActionFails(line, CommandKind.ASSERT_TRAP,
                    t.action(), EngineFailure.Kind.TRAP, t.message()));
            case WastCommand.AssertExhaustion e -> out.add(session.assertActionFails(line,
                    CommandKind.ASSERT_EXHAUSTION, e.action(), EngineFailure.Kind.EXHAUSTION, e.message()));
            case WastCommand.AssertException e -> out.add(session.assertActionFails(line,
                    CommandKind.ASSERT_EXCEPTION, e.action(), EngineFailure.Kind.EXCEPTION, ""));
            case WastCommand.AssertModuleTrap t -> instantiationFails(file, line, CommandKind.ASSERT_TRAP, t.module(),
                    EngineFailure.Kind.TRAP, t.message(), session, out);
            case WastCommand.AssertUnlinkable u -> instantiationFails(file, line, CommandKind.ASSERT_UNLINKABLE,
                    u.module(), EngineFailure.Kind.UNLINKABLE, u.message(), session, out);
            case WastCommand.AssertUninstantiable u -> instantiationFails(file, line,
                    CommandKind.ASSERT_UNINSTANTIABLE, u.module(), EngineFailure.Kind.TRAP, u.message(), session, out);
            case WastCommand.AssertMalformed m -> out.add(assertMalformed(file, line, m.module(), m.message()));
            case WastCommand.AssertInvalid i -> out.add(assertInvalid(file, line, i.module(), i.message()));
            case WastCommand.Unsupported u -> out.add(CommandResult.failed(file, line, CommandKind.fromText(u.kind()),
                    "the WAST parser does not support this " + u.kind() + ": " + u.reason()));
        }
    }

    /** The module of an instantiation assertion must load (a {@code module} result); then the engine's part. */
    private void instantiationFails(String file, int line, CommandKind kind, ModuleSource source,
                                    EngineFailure.Kind failure, String message, ExecutionSession session,
                                    List<CommandResult> out) {
        ModuleLoad load = loader.load(source);
        out.add(moduleResult(file, line, load, kind));
        out.add(session.assertInstantiationFails(line, kind, load, failure, message));
    }

    private static CommandResult moduleResult(String file, int line, ModuleLoad load, CommandKind within) {
        if (load instanceof ModuleLoad.Loaded) return CommandResult.passed(file, line, CommandKind.MODULE, null);
        String prefix = within == null ? "" : "module of " + within.text() + ": ";
        return CommandResult.failed(file, line, CommandKind.MODULE, prefix + load.describe());
    }

    private CommandResult assertMalformed(String file, int line, ModuleSource source, String message) {
        ModuleLoad load = loader.decode(source);
        CommandKind kind = CommandKind.ASSERT_MALFORMED;
        return switch (load) {
            case ModuleLoad.Malformed m -> CommandResult.passed(file, line, kind, wordingNote(message, m.error()));
            case ModuleLoad.Loaded l -> CommandResult.failed(file, line, kind,
                    "decoded without error; expected malformed \"" + message + "\"");
            case ModuleLoad.Invalid i -> CommandResult.failed(file, line, kind, "expected malformed \"" + message
                    + "\", but decoding reported " + load.describe());
            case ModuleLoad.Broken b -> CommandResult.failed(file, line, kind, "expected malformed \"" + message
                    + "\"; " + b.describe());
        };
    }

    private CommandResult assertInvalid(String file, int line, ModuleSource source, String message) {
        ModuleLoad load = loader.load(source);
        CommandKind kind = CommandKind.ASSERT_INVALID;
        return switch (load) {
            case ModuleLoad.Invalid i -> CommandResult.passed(file, line, kind, wordingNote(message, i.error()));
            case ModuleLoad.Loaded l -> CommandResult.failed(file, line, kind,
                    "module validated; expected invalid \"" + message + "\"");
            case ModuleLoad.Malformed m -> CommandResult.failed(file, line, kind, "expected invalid \"" + message
                    + "\", but " + load.describe());
            case ModuleLoad.Broken b -> CommandResult.failed(file, line, kind, "expected invalid \"" + message
                    + "\"; " + load.describe());
        };
    }

    private static String wordingNote(String expected, ModuleRejectedException actual) {
        return wordingNote(expected, actual.reason());
    }

    /**
     * Null when {@code actual} starts with {@code expected} (the reference interpreter's rule); otherwise a note
     * with both texts.
     */
    static String wordingNote(String expected, String actual) {
        if (expected == null || actual != null && actual.startsWith(expected)) return null;
        return "expected \"" + expected + "\", got \"" + actual + "\"";
    }
}
