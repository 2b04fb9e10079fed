package dev.isthmus;

/**
 * A module's imports cannot be satisfied: an import is missing ({@code "unknown import"}) or does not match its
 * declared type ({@code "incompatible import type"}). The message starts with the spec's wording.
 */
public final class UnlinkableException extends WasmException {
    private static final long serialVersionUID = 1L;

    public UnlinkableException(String message) {
        super(message, null);
    }

    UnlinkableException(String message, Throwable cause) {
        super(message, cause);
    }
}
