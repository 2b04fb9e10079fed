package dev.isthmus.options;

/** Which compiler translates function bodies. */
public enum Tier {
    /** The single-pass compiler ({@link dev.isthmus.compiler.baseline.FunctionCompiler}): fast, supports everything. */
    BASELINE,
    /**
     * The SSA tier ({@link dev.isthmus.compiler.optimizing.OptimizingCompiler}) for every function it supports, the
     * baseline for the others.
     */
    OPTIMIZING;

    /** The default: system property {@code isthmus.tier} (BASELINE or OPTIMIZING), else OPTIMIZING. */
    static Tier fromSystemProperty() {
        String s = System.getProperty("isthmus.tier");
        return s == null || s.isBlank() ? OPTIMIZING : Tier.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
