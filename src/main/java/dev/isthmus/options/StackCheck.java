package dev.isthmus.options;

import java.util.Locale;

/**
 * How compiled functions keep wasm recursion from running off the end of the wasm stack (see
 * {@link dev.isthmus.runtime.abi.StackGeometry} for the stack's shape and {@code docs/prologue-variants.md} for what
 * each costs). Every variant is safe on every thread; they differ in what the prologue executes.
 */
public enum StackCheck {
    /**
     * No check instruction at all: running into the stack's PROT_NONE guard faults, and the signal shim, running on
     * the thread's alternate signal stack, turns the fault into a trap.
     */
    GUARD_PAGE("guard-page"),
    /**
     * A stack bang: {@code test [rsp - PROBE_DISTANCE], eax} at entry, so the guard fault happens while RSP still
     * has room below it for a signal frame (large frames probe page by page).
     */
    PROBE("probe"),
    /**
     * The cheapest explicit check: {@code test esp, WINDOW_MASK; jz overflow} — the limit is implied by the
     * stack's alignment, so there is no load and no register.
     */
    EXPLICIT_PINNED("explicit-pinned"),
    /**
     * wasmtime's shape, the cost the seed measured: the limit is loaded through a chain of dependent loads (the
     * stack header's context pointer, then the context's limit), compared with RSP, and a branch to the trap.
     */
    EXPLICIT("explicit");

    private final String flag;

    StackCheck(String flag) {
        this.flag = flag;
    }

    /** The name used by command-line flags and system properties ({@code guard-page}, {@code probe}, ...). */
    public String flag() {
        return flag;
    }

    /** Whether the check is implicit (relies on the guard page). */
    public boolean implicit() {
        return this == GUARD_PAGE || this == PROBE;
    }

    /** Parses {@link #flag()} (or the constant's name, any case). */
    public static StackCheck parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (StackCheck c : values()) {
            if (c.flag.equals(t)) return c;
        }
        throw new IllegalArgumentException("unknown stack check '" + s + "' (guard-page, probe, explicit-pinned, "
                + "explicit)");
    }
}
