package dev.isthmus.runtime.instance;

import dev.isthmus.runtime.trap.TrapException;

/**
 * Instantiation trapped after allocation (an active segment out of bounds, or the start function). The half-made
 * instance stays allocated, because tables and memories it wrote into may refer to it; its owner closes it when
 * nothing can use it any more ({@link #abandoned()}).
 */
public final class InstantiationTrap extends RuntimeException {
    private final transient RuntimeInstance abandoned;

    InstantiationTrap(TrapException trap, RuntimeInstance abandoned) {
        super(trap.getMessage(), trap, false, false);
        this.abandoned = abandoned;
    }

    /** The trap. */
    public TrapException trap() {
        return (TrapException) getCause();
    }

    /** The half-made instance. */
    public RuntimeInstance abandoned() {
        return abandoned;
    }
}
