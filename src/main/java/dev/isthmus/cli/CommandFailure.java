package dev.isthmus.cli;

/**
 * A command failed for a reason that one line says (a file that cannot be read, a module that is refused, a trap):
 * {@link Main} prints {@code isthmus: MESSAGE} on standard error and exits with {@link #status()}.
 */
final class CommandFailure extends RuntimeException {
    private final int status;

    CommandFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The exit status. */
    int status() {
        return status;
    }
}
