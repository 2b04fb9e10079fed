package dev.isthmus;

/**
 * A valid module uses something Isthmus does not compile yet (SIMD it cannot lower on this CPU, for one) or, under
 * the 3.0 rules, a proposal it does not implement: garbage collection's types, reference types and instructions.
 */
public final class UnsupportedFeatureException extends WasmException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
