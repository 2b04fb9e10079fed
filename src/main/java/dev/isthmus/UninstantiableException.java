package dev.isthmus;

import dev.isthmus.runtime.trap.TrapException;

/**
 * Instantiation trapped: an active segment did not fit its table or memory, or the start function trapped. The
 * cause is the {@link TrapException}; the message is the trap's spec message.
 */
public final class UninstantiableException extends RuntimeException {
    public UninstantiableException(TrapException cause) {
        super(cause.getMessage(), cause);
    }

    /** The trap. */
    public TrapException trap() {
        return (TrapException) getCause();
    }
}
