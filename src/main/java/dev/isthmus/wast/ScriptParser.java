package dev.isthmus.wast;

import dev.isthmus.text.script.WastCommand;

import java.util.List;

/** Turns the text of a {@code .wast} script into its commands. {@link IsthmusFrontEnd} is the real one. */
@FunctionalInterface
public interface ScriptParser {
    List<WastCommand> parse(String script, String fileName);
}
