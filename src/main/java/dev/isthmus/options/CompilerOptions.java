package dev.isthmus.options;

import java.util.Locale;
import java.util.Objects;

/**
 * Options of the {@link ModuleCompiler}.
 *
 * @param boundsChecks how memory accesses are kept in bounds
 * @param tier         which compiler translates function bodies
 * @param stackCheck   how prologues keep recursion within the wasm stack
 * @param framePointer whether every function keeps the {@code rbp} frame chain ({@code push rbp; mov rbp, rsp});
 *                     without it the optimizing tier gives functions that need no frame none at all and
 *                     backtraces come from unwind tables (the baseline tier always keeps it)
 * @param alignment    where function entries and loop heads fall
 * @param avx          whether the code may use AVX (VEX encodings) when the CPU has it; false restricts it to SSE
 *                     (up to SSE4.2) as on a CPU without AVX (wasmtime's {@code -C cranelift-has-avx=false})
 * @param fuel         whether the code meters fuel (wasmtime's {@code Config::consume_fuel}): every function entry
 *                     and loop header checks the instance's fuel counter, every straight-line run of instructions
 *                     adds its cost to it ({@code compiler.machine.FuelMetering}); off by default, and code compiled
 *                     without it is exactly the code of the other options
 * @param compilation  when function bodies are compiled ({@link Compilation}): eagerly, before instantiation (the
 *                     default), or each when first called; lazily compiled code calls the module's own functions
 *                     through their func refs
 */
public record CompilerOptions(BoundsChecks boundsChecks, Tier tier, StackCheck stackCheck, boolean framePointer,
                              CodeAlignment alignment, boolean avx, boolean fuel, Compilation compilation) {
    /**
     * The default stack check when {@code isthmus.stackCheck} is not set: the guard page alone, the fastest variant
     * measured (docs/prologue-variants.md), safe on every thread that runs wasm.
     */
    public static final StackCheck DEFAULT_STACK_CHECK = StackCheck.GUARD_PAGE;
    /**
     * Whether frame pointers are kept when {@code isthmus.framePointer} is not set: no — omitting them measured
     * faster on every call-bound workload (docs/prologue-variants.md), and backtraces come from unwind tables.
     */
    public static final boolean DEFAULT_FRAME_POINTER = false;

    /**
     * The defaults, each overridable by a system property (for benchmarks and test runs under one variant):
     * {@code isthmus.tier}, {@code isthmus.stackCheck} (guard-page, probe, explicit-pinned, explicit),
     * {@code isthmus.framePointer} (true/false), {@code isthmus.alignment} ({@link CodeAlignment#parse}),
     * {@code isthmus.avx} (true/false; default true: AVX when the CPU has it), {@code isthmus.compilation} (eager, lazy,
     * tiered; default eager).
     */
    public static final CompilerOptions DEFAULT = new CompilerOptions(BoundsChecks.GUARD_PAGES);

    public CompilerOptions {
        Objects.requireNonNull(boundsChecks, "boundsChecks");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(stackCheck, "stackCheck");
        Objects.requireNonNull(alignment, "alignment");
        Objects.requireNonNull(compilation, "compilation");
    }

    /** These options compiled eagerly or not ({@link Compilation}). */
    public CompilerOptions(BoundsChecks boundsChecks, Tier tier, StackCheck stackCheck, boolean framePointer,
                           CodeAlignment alignment, boolean avx, boolean fuel) {
        this(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, Compilation.fromSystemProperty());
    }

    /** Options with the defaults (and system properties) for everything but the bounds checks. */
    public CompilerOptions(BoundsChecks boundsChecks) {
        this(boundsChecks, Tier.fromSystemProperty(), stackCheckFromSystemProperty(), framePointerFromSystemProperty(),
                alignmentFromSystemProperty(), avxFromSystemProperty());
    }

    /** These options without fuel metering. */
    public CompilerOptions(BoundsChecks boundsChecks, Tier tier, StackCheck stackCheck, boolean framePointer,
                           CodeAlignment alignment, boolean avx) {
        this(boundsChecks, tier, stackCheck, framePointer, alignment, avx, false);
    }

    /** These options with fuel metering on or off ({@link #fuel()}). */
    public CompilerOptions withFuel(boolean fuel) {
        return new CompilerOptions(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, compilation);
    }

    /** These options with AVX allowed (when the CPU has it). */
    public CompilerOptions(BoundsChecks boundsChecks, Tier tier, StackCheck stackCheck, boolean framePointer,
                           CodeAlignment alignment) {
        this(boundsChecks, tier, stackCheck, framePointer, alignment, true);
    }

    /** These options with AVX allowed (when the CPU has it) or not (SSE encodings only). */
    public CompilerOptions withAvx(boolean avx) {
        return new CompilerOptions(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, compilation);
    }

    /** These options with {@code compilation}. */
    public CompilerOptions withCompilation(Compilation compilation) {
        return new CompilerOptions(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, compilation);
    }

    /** These options with {@code boundsChecks}. */
    public CompilerOptions withBoundsChecks(BoundsChecks boundsChecks) {
        return new CompilerOptions(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, compilation);
    }

    /** These options with {@code tier}. */
    public CompilerOptions withTier(Tier tier) {
        return new CompilerOptions(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, compilation);
    }

    /** These options with {@code stackCheck}. */
    public CompilerOptions withStackCheck(StackCheck stackCheck) {
        return new CompilerOptions(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, compilation);
    }

    /** These options with frame pointers kept or omitted. */
    public CompilerOptions withFramePointer(boolean framePointer) {
        return new CompilerOptions(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, compilation);
    }

    /** These options with {@code alignment}. */
    public CompilerOptions withAlignment(CodeAlignment alignment) {
        return new CompilerOptions(boundsChecks, tier, stackCheck, framePointer, alignment, avx, fuel, compilation);
    }

    static StackCheck stackCheckFromSystemProperty() {
        String s = System.getProperty("isthmus.stackCheck");
        return s == null || s.isBlank() ? DEFAULT_STACK_CHECK : StackCheck.parse(s);
    }

    static boolean framePointerFromSystemProperty() {
        return booleanProperty("isthmus.framePointer", DEFAULT_FRAME_POINTER);
    }

    static boolean avxFromSystemProperty() {
        return booleanProperty("isthmus.avx", true);
    }

    private static boolean booleanProperty(String name, boolean fallback) {
        String s = System.getProperty(name);
        if (s == null || s.isBlank()) return fallback;
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be on or off: " + s);
        };
    }

    static CodeAlignment alignmentFromSystemProperty() {
        String s = System.getProperty("isthmus.alignment");
        return s == null || s.isBlank() ? CodeAlignment.DEFAULT : CodeAlignment.parse(s);
    }
}
