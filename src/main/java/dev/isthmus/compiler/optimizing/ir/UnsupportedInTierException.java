package dev.isthmus.compiler.optimizing.ir;

/**
 * Thrown while building the IR of a function the optimizing tier does not compile (an instruction or type it does
 * not support); thrown before any code is emitted, so the caller falls back to the baseline compiler.
 */
public final class UnsupportedInTierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedInTierException(String what) {
        super(what, null, false, false);
    }
}
