package dev.isthmus;

/** A valid module uses something Isthmus does not compile yet (today: SIMD, v128 values and instructions). */
public final class UnsupportedFeatureException extends WasmException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
