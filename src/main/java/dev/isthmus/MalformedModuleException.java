package dev.isthmus;

/** The bytes (or text) are not a well-formed module: the spec's "malformed" ({@code assert_malformed}). */
public final class MalformedModuleException extends ModuleRejectedException {
    private static final long serialVersionUID = 1L;

    MalformedModuleException(String message, String reason, String section, long offset, int functionIndex,
                             Throwable cause) {
        super(message, reason, section, offset, functionIndex, cause);
    }
}
