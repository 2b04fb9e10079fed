package dev.isthmus.compiler;

import java.util.Objects;

/**
 * Options of the {@link ModuleCompiler}.
 *
 * @param boundsChecks how memory accesses are kept in bounds
 */
public record CompilerOptions(BoundsChecks boundsChecks) {
    /** Guard-page memories. */
    public static final CompilerOptions DEFAULT = new CompilerOptions(BoundsChecks.GUARD_PAGES);

    public CompilerOptions {
        Objects.requireNonNull(boundsChecks, "boundsChecks");
    }
}
