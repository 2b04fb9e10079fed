package dev.isthmus.wast;

/**
 * Thrown by an {@link ExecutionEngine} when linking, instantiation or execution fails the way the spec allows:
 * the script's assertions ({@code assert_unlinkable}, {@code assert_trap}, ...) expect these.
 * {@link #getMessage()} is the spec's wording (e.g. "integer divide by zero", "unknown import").
 */
public final class EngineFailure extends RuntimeException {

    /** Which spec failure it is. */
    public enum Kind {
        /** Imports could not be resolved or do not match ({@code assert_unlinkable}). */
        UNLINKABLE,
        /** Execution trapped, also during instantiation ({@code assert_trap}, {@code assert_uninstantiable}). */
        TRAP,
        /** The call stack was exhausted ({@code assert_exhaustion}). */
        EXHAUSTION,
        /** A Wasm exception escaped (3.0 {@code assert_exception}). */
        EXCEPTION
    }

    private final Kind kind;

    public EngineFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
