package dev.isthmus.options;

import java.util.Locale;

/**
 * When function bodies are compiled.
 *
 * <pre>
 *   EAGER   every function, by {@link CompilerOptions#tier()}, before the module can be instantiated (what code
 *           files and the code cache store)
 *   LAZY    each function by {@link CompilerOptions#tier()} when it is first called
 *   TIERED  each function by the baseline tier when it is first called; a function whose calls and loop
 *           iterations use up its budget is compiled again by the optimizing tier on a background thread, and
 *           calls switch to the new code as soon as it is published (activations already running finish in
 *           the old code)
 * </pre>
 *
 * Validation is eager in every mode, so a compilation can never fail at run time for a reason in the module. Under
 * {@code LAZY} and {@code TIERED} a call between functions of one module goes through the caller's instance context
 * (the callee's func ref), where {@code EAGER} code calls the callee's address directly.
 */
public enum Compilation {
    EAGER,
    LAZY,
    TIERED;

    /** Whether functions are compiled when first called (calls between them then go through func refs). */
    public boolean lazy() {
        return this != EAGER;
    }

    /** The default: system property {@code isthmus.compilation} (eager, lazy, tiered), else EAGER. */
    static Compilation fromSystemProperty() {
        String s = System.getProperty("isthmus.compilation");
        return s == null || s.isBlank() ? EAGER : parse(s);
    }

    /** {@code eager}, {@code lazy} or {@code tiered}, in any case. */
    public static Compilation parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("compilation must be eager, lazy or tiered: " + s);
        }
    }
}
