package dev.isthmus.text.script;

import java.util.List;

/** An action in a script: calling an export or reading an exported global. */
public sealed interface WastAction {

    /** The script line of the action. */
    int line();

    /** The module's $name, or null for the most recently defined module. */
    String moduleName();

    /** The export name. */
    String export();

    /** {@code (invoke $m? "name" args...)}. */
    record Invoke(int line, String moduleName, String export, List<WastValue> args) implements WastAction {}

    /** {@code (get $m? "name")}. */
    record Get(int line, String moduleName, String export) implements WastAction {}
}
