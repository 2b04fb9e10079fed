/**
 * The {@code .wast} script format of the WebAssembly spec tests: {@link dev.isthmus.text.script.WastParser} turns a
 * script into {@link dev.isthmus.text.script.WastCommand}s (modules, registrations, actions and assertions) with their
 * argument values and expected results. Text modules inside a script are kept as text and parsed by whoever runs the
 * command, so a malformed module is reported by the assertion that contains it.
 */
package dev.isthmus.text.script;
