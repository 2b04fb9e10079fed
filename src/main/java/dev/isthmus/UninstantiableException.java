package dev.isthmus;

/**
 * Instantiation trapped: an active segment did not fit its table or memory, or the start function trapped. The
 * cause is the {@link WasmTrap}; the message is the trap's spec message.
 */
public final class UninstantiableException extends WasmException {
    private static final long serialVersionUID = 1L;

    public UninstantiableException(WasmTrap cause) {
        super(cause.getMessage(), cause);
    }

    /** The trap. */
    public WasmTrap trap() {
        return (WasmTrap) getCause();
    }
}
