package dev.isthmus.compiler.machine;

/**
 * Thrown by the {@link ModuleCompiler} for a valid module that uses something this compiler does not translate
 * (SIMD: v128 values and instructions).
 */
public final class UnimplementedFeatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnimplementedFeatureException(String message) {
        super(message);
    }
}
