package dev.isthmus;

/**
 * Instantiation failed after linking: an active segment did not fit its table or memory, or the start function
 * trapped (then the cause is the {@link WasmTrap} and the message is the trap's spec message); or the module asks for
 * more than the runtime allocates, a resource limit (then {@link #trap()} is null and the message says which limit,
 * e.g. {@code table of 4294967295 elements exceeds the limit of 10000000 elements}: a table is at most 10,000,000
 * elements), or than the engine's {@link ResourceLimits} or {@link ResourceLimiter} allow (a declared minimum
 * above them, or as many live instances as allowed).
 */
public final class UninstantiableException extends WasmException {
    private static final long serialVersionUID = 1L;

    public UninstantiableException(WasmTrap cause) {
        super(cause.getMessage(), cause);
    }

    /** A resource limit: nothing trapped, nothing ran. */
    UninstantiableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The trap, or null when instantiation failed for a resource limit. */
    public WasmTrap trap() {
        return getCause() instanceof WasmTrap trap ? trap : null;
    }
}
