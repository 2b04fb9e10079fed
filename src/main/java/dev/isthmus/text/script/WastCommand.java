package dev.isthmus.text.script;

import java.util.List;

/**
 * One top-level command of a {@code .wast} script. Every command knows the 1-based line it starts on, so a runner
 * can name it {@code file:line kind}.
 */
public sealed interface WastCommand {

    int line();

    /** {@code (module $name? ...)}: define (and instantiate) a module; {@code name} is null when absent. */
    record ModuleCommand(int line, String name, ModuleSource source) implements WastCommand {}

    /**
     * 3.0 {@code (module definition $name? ...)}: define a module without instantiating it; later
     * {@link ModuleInstance} commands instantiate it.
     */
    record ModuleDefinition(int line, String name, ModuleSource source) implements WastCommand {}

    /** 3.0 {@code (module instance $instance? $definition?)}. */
    record ModuleInstance(int line, String instanceName, String definitionName) implements WastCommand {}

    /** {@code (register "as" $name?)}: make a module's exports importable under {@code as}. */
    record Register(int line, String as, String moduleName) implements WastCommand {}

    /** A bare action whose results are ignored (it must not trap). */
    record ActionCommand(int line, WastAction action) implements WastCommand {}

    /** {@code (assert_return action expected...)}. */
    record AssertReturn(int line, WastAction action, List<WastExpected> expected) implements WastCommand {}

    /** {@code (assert_trap action "message")}: the action must trap with that message. */
    record AssertTrap(int line, WastAction action, String message) implements WastCommand {}

    /** {@code (assert_trap (module ...) "message")}: instantiating the module must trap (e.g. in its start function). */
    record AssertModuleTrap(int line, ModuleSource module, String message) implements WastCommand {}

    /** {@code (assert_exhaustion action "message")}: the action must exhaust the call stack. */
    record AssertExhaustion(int line, WastAction action, String message) implements WastCommand {}

    /** 3.0 {@code (assert_exception action)}: the action must throw a Wasm exception. */
    record AssertException(int line, WastAction action) implements WastCommand {}

    /** {@code (assert_malformed module "message")}: decoding (or parsing) the module must fail. */
    record AssertMalformed(int line, ModuleSource module, String message) implements WastCommand {}

    /** {@code (assert_invalid module "message")}: validating the module must fail. */
    record AssertInvalid(int line, ModuleSource module, String message) implements WastCommand {}

    /** {@code (assert_unlinkable module "message")}: linking the module's imports must fail. */
    record AssertUnlinkable(int line, ModuleSource module, String message) implements WastCommand {}

    /** {@code (assert_uninstantiable module "message")}: instantiating must fail (trap in start/segments). */
    record AssertUninstantiable(int line, ModuleSource module, String message) implements WastCommand {}

    /**
     * A command this parser could not read or does not support (e.g. 3.0 threads syntax). {@code kind} is the
     * command's keyword, {@code reason} says why; the rest of the file is still parsed.
     */
    record Unsupported(int line, String kind, String reason) implements WastCommand {}
}
