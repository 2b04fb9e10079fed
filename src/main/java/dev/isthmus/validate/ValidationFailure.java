package dev.isthmus.validate;

/**
 * A broken typing rule found deep inside the stack machinery, before its location is known. The code that knows the
 * location (section, instruction offset, function) turns it into an
 * {@link dev.isthmus.binary.ValidationException}. Carries no stack trace: it is control flow, not a bug report.
 */
final class ValidationFailure extends RuntimeException {
    ValidationFailure(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
