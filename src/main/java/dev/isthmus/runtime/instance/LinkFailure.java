package dev.isthmus.runtime.instance;

/**
 * An import could not be satisfied; the message starts with the spec's wording ({@code "unknown import"} or
 * {@code "incompatible import type"}).
 */
public final class LinkFailure extends RuntimeException {
    public LinkFailure(String message) {
        super(message);
    }
}
