package dev.isthmus.cli;

/**
 * A command line that does not fit the command's usage: {@link Main} prints {@code isthmus: COMMAND: MESSAGE (see
 * 'isthmus COMMAND --help')} as one line and exits with {@link Main#USAGE}.
 */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message, null, false, false);
    }
}
