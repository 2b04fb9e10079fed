package dev.isthmus;

/** The bytes (or text) are not a well-formed module: the spec's "malformed" ({@code assert_malformed}). */
public final class MalformedModuleException extends ModuleRejectedException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the full message (reason and location)
     * @param reason the bare description
     * @param section the section, or null
     * @param offset the byte offset in the binary, or -1
     * @param functionIndex the function index, or -1
     * @param cause the internal exception, or null
     */
    public MalformedModuleException(String message, String reason, String section, long offset, int functionIndex,
                             Throwable cause) {
        super(message, reason, section, offset, functionIndex, cause);
    }
}
