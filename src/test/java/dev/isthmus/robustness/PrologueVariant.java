package dev.isthmus.robustness;

import dev.isthmus.Isthmus;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One combination of the compiler settings that shape function prologues (issue #5): how the stack is checked,
 * whether the frame pointer is kept, and which tier compiles. The robustness tests run in every one of them:
 *
 * <pre>
 *   {GUARD_PAGE, PROBE, EXPLICIT_PINNED, EXPLICIT} x {frame pointer on, off} x {OPTIMIZING, BASELINE} = 16
 * </pre>
 *
 * The baseline tier always keeps its frame pointer; its "off" variants still run, to show the setting is harmless
 * there. {@link #toString()} is the name a test report shows, e.g. {@code explicit-pinned/no-fp/optimizing}.
 *
 * <p>For debugging one variant, {@code -Disthmus.robustness.variants=NAME[,NAME...]} keeps only the variants whose
 * name contains one of the NAMEs (e.g. {@code explicit/} or {@code probe/no-fp}); without it all of them run.
 *
 * @param stackCheck how prologues keep recursion inside the wasm stack
 * @param framePointer whether every function keeps the {@code rbp} chain
 * @param tier which compiler translates the function bodies
 */
record PrologueVariant(StackCheck stackCheck, boolean framePointer, Tier tier) {
    private static final Map<PrologueVariant, Isthmus> ENGINES = new ConcurrentHashMap<>();

    /** The system property that narrows {@link #all()} down for debugging. */
    static final String SELECTION_PROPERTY = "isthmus.robustness.variants";

    /** Every variant (or those {@code -Disthmus.robustness.variants} selects), the default first. */
    static List<PrologueVariant> all() {
        List<PrologueVariant> variants = new ArrayList<>();
        for (StackCheck check : StackCheck.values()) {
            for (Tier tier : List.of(Tier.OPTIMIZING, Tier.BASELINE)) {
                for (boolean framePointer : List.of(true, false)) {
                    PrologueVariant variant = new PrologueVariant(check, framePointer, tier);
                    if (selected(variant)) variants.add(variant);
                }
            }
        }
        return List.copyOf(variants);
    }

    private static boolean selected(PrologueVariant variant) {
        String selection = System.getProperty(SELECTION_PROPERTY);
        if (selection == null || selection.isBlank()) return true;
        for (String name : selection.split(",")) {
            if (!name.isBlank() && variant.toString().contains(name.strip())) return true;
        }
        return false;
    }

    /** An engine compiling with this variant's settings (one per variant; engines are immutable). */
    Isthmus engine() {
        return ENGINES.computeIfAbsent(this, v -> Isthmus.builder().tier(v.tier).stackCheck(v.stackCheck)
                .framePointer(v.framePointer).build());
    }

    @Override
    public String toString() {
        return stackCheck.flag() + "/" + (framePointer ? "fp" : "no-fp") + "/" + tier.name().toLowerCase(Locale.ROOT);
    }
}
