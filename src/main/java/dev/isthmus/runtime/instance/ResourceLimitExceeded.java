package dev.isthmus.runtime.instance;

/**
 * A valid module asks for more than this runtime allocates (for example a table larger than
 * {@link TableInstance#MAX_ELEMENTS}): instantiation fails before anything runs. The API reports it as an
 * {@code UninstantiableException} without a trap.
 */
public final class ResourceLimitExceeded extends RuntimeException {
    public ResourceLimitExceeded(String message) {
        super(message, null, false, false);
    }
}
