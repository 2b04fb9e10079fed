package dev.isthmus.wast;

import dev.isthmus.text.script.WastCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Runs whole script files: reads, parses, and hands the commands to a {@link WastRunner}. Never throws for a bad
 * script: a file that cannot be read or parsed becomes one failed {@code parse} result on line 1.
 */
public final class SuiteRunner {
    private final ScriptParser parser;
    private final WastRunner runner;

    public SuiteRunner(ScriptParser parser, WastRunner runner) {
        this.parser = parser;
        this.runner = runner;
    }

    public FileReport run(ScriptFile script) {
        String text;
        try {
            text = Files.readString(script.path());
        } catch (IOException e) {
            return broken(script, "cannot read " + script.path() + ": " + e);
        }
        List<WastCommand> commands;
        try {
            commands = parser.parse(text, script.name());
        } catch (RuntimeException | StackOverflowError e) {
            return broken(script, "the WAST parser rejected the file: " + e);
        }
        return new FileReport(script.name(), runner.run(script.name(), commands));
    }

    private static FileReport broken(ScriptFile script, String message) {
        return new FileReport(script.name(), List.of(CommandResult.failed(script.name(), 1, CommandKind.PARSE,
                message)));
    }
}
