package dev.isthmus;

/** A well-formed module that breaks a validation rule: the spec's "invalid" ({@code assert_invalid}). */
public final class InvalidModuleException extends ModuleRejectedException {
    private static final long serialVersionUID = 1L;

    InvalidModuleException(String message, String reason, String section, long offset, int functionIndex,
                           Throwable cause) {
        super(message, reason, section, offset, functionIndex, cause);
    }
}
