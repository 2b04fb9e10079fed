package dev.isthmus.cli;

/** A command line that does not fit the command's usage; Main prints it and exits with status 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
