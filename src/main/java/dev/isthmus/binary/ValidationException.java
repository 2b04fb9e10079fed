package dev.isthmus.binary;

/** A well-formed module that breaks a validation rule: the spec's "invalid" (assert_invalid). */
public class ValidationException extends ModuleRejection {
    public ValidationException(String reason, String section, long offset, int functionIndex) {
        super(reason, section, offset, functionIndex, null);
    }
}
