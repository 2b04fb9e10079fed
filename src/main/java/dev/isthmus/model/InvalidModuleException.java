package dev.isthmus.model;

/** A well-formed module that breaks a validation rule: the spec's "invalid" (assert_invalid). */
public class InvalidModuleException extends ModuleException {
    public InvalidModuleException(String reason, String section, long offset, int functionIndex) {
        super(reason, section, offset, functionIndex, null);
    }
}
