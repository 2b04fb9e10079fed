/**
 * The spec-test runner: runs {@code .wast} scripts (parsed by {@link dev.isthmus.text.script}) command by command,
 * compares results with the spec rules (NaN patterns, traps by message), and reports per file and per command
 * kind, as text or JSON ({@link dev.isthmus.wast.SuiteRunner}, {@link dev.isthmus.wast.WastRunner}). The engine under
 * test plugs in through {@link dev.isthmus.wast.ExecutionEngine}; {@code wast.engine} is Isthmus on its public API.
 */
package dev.isthmus.wast;
