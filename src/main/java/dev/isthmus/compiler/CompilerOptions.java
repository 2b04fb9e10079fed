package dev.isthmus.compiler;

import java.util.Objects;

/**
 * Options of the {@link ModuleCompiler}.
 *
 * @param boundsChecks how memory accesses are kept in bounds
 * @param tier         which compiler translates function bodies
 */
public record CompilerOptions(BoundsChecks boundsChecks, Tier tier) {
    /** Guard-page memories, the default tier ({@link Tier#OPTIMIZING} unless {@code -Disthmus.tier} says otherwise). */
    public static final CompilerOptions DEFAULT = new CompilerOptions(BoundsChecks.GUARD_PAGES);

    public CompilerOptions {
        Objects.requireNonNull(boundsChecks, "boundsChecks");
        Objects.requireNonNull(tier, "tier");
    }

    /** Options with the default tier. */
    public CompilerOptions(BoundsChecks boundsChecks) {
        this(boundsChecks, Tier.fromSystemProperty());
    }

    /** These options with {@code tier}. */
    public CompilerOptions withTier(Tier tier) {
        return new CompilerOptions(boundsChecks, tier);
    }
}
