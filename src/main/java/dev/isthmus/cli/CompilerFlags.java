package dev.isthmus.cli;

import dev.isthmus.options.BoundsChecks;
import dev.isthmus.options.CodeAlignment;
import dev.isthmus.options.CompilerOptions;
import dev.isthmus.options.StackCheck;
import dev.isthmus.options.Tier;
import java.util.Locale;

/**
 * The compiler flags that {@code run}, {@code wast} and {@code explore} share, each mapping to one
 * {@link CompilerOptions} field:
 *
 * <pre>
 *   --tier baseline|optimizing
 *   --bounds-checks guard-pages|explicit
 *   --stack-check guard-page|probe|explicit-pinned|explicit
 *   --frame-pointer on|off
 *   --align FUNCTION[+PADDING][:LOOP]        e.g. 16, 64+24, 32:16
 *   -C KEY=VALUE[,KEY=VALUE...]              code generation, as wasmtime's -C / --codegen:
 *        has-avx=y|n (also cranelift-has-avx)   whether code may use AVX (default: when the CPU has it)
 * </pre>
 */
final class CompilerFlags {
    private CompilerFlags() {
    }

    /** The flags' lines for a command's usage text. */
    static final String USAGE = """
              --tier baseline|optimizing          which compiler (default optimizing)
              --bounds-checks guard-pages|explicit  how memory accesses stay in bounds (default guard-pages)
              --stack-check guard-page|probe|explicit-pinned|explicit
                                                  how prologues detect stack exhaustion (default %s)
              --frame-pointer on|off              keep the rbp frame chain (default %s)
              --align FUNCTION[+PADDING][:LOOP]   code alignment of function entries and loop heads (default %s)
              -C KEY=VALUE[,KEY=VALUE...]         code generation, as wasmtime's -C / --codegen:
                   has-avx[=y|n]                  use AVX (VEX encodings) if the CPU has it (default y); n: SSE
                                                  only, as on a CPU without AVX (also cranelift-has-avx)"""
            .formatted(CompilerOptions.DEFAULT_STACK_CHECK.flag(), CompilerOptions.DEFAULT_FRAME_POINTER ? "on" : "off",
                    CodeAlignment.DEFAULT).indent(2).stripTrailing();

    /** Whether {@code flag} is one of these flags (each takes one value). */
    static boolean isFlag(String flag) {
        return switch (flag) {
            case "--tier", "--bounds-checks", "--stack-check", "--frame-pointer", "--align", "-C", "--codegen" -> true;
            default -> false;
        };
    }

    /**
     * {@code options} with {@code flag value} applied.
     *
     * @throws UsageException when the value is not one the flag takes
     */
    static CompilerOptions apply(CompilerOptions options, String flag, String value) {
        try {
            return switch (flag) {
                case "--tier" -> options.withTier(Tier.valueOf(upper(value)));
                case "--bounds-checks" -> options.withBoundsChecks(BoundsChecks.valueOf(upper(value)));
                case "--stack-check" -> options.withStackCheck(StackCheck.parse(value));
                case "--frame-pointer" -> options.withFramePointer(onOff(value));
                case "--align" -> options.withAlignment(CodeAlignment.parse(value));
                case "-C", "--codegen" -> codegen(options, value);
                default -> throw new IllegalArgumentException("not a compiler flag: " + flag);
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad value for " + flag + ": " + value
                    + (e.getMessage() != null && !e.getMessage().startsWith("No enum") ? " (" + e.getMessage() + ")" : ""));
        }
    }

    /** The -C keys these flags know. */
    static final String C_KEYS = "has-avx (or cranelift-has-avx)";

    /** {@code -C KEY=VALUE[,KEY=VALUE...]}: wasmtime's {@code -C} / {@code --codegen} settings that apply here. */
    private static CompilerOptions codegen(CompilerOptions options, String list) {
        for (String item : list.split(",", -1)) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            String value = eq < 0 ? null : item.substring(eq + 1);
            options = switch (key) {
                case "has-avx", "cranelift-has-avx" -> options.withAvx(yesNo(key, value));
                default -> throw new UsageException(key.isEmpty() ? "-C needs KEY=VALUE" : "unknown -C option " + key
                        + " (this command knows " + C_KEYS + ")");
            };
        }
        return options;
    }

    /** A boolean -C value as wasmtime takes it: nothing, y, yes, true; or n, no, false. */
    private static boolean yesNo(String key, String value) {
        return switch (value == null ? "y" : value) {
            case "y", "yes", "true" -> true;
            case "n", "no", "false" -> false;
            default -> throw new UsageException("-C " + key + "=" + value + ": expected y, yes, true, n, no or false");
        };
    }

    private static String upper(String value) {
        return value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static boolean onOff(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("expected on or off");
        };
    }
}
