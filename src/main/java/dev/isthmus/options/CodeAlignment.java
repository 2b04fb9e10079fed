package dev.isthmus.options;

/**
 * Where compiled code falls relative to cache-line and fetch-block boundaries. Measured on these machines, the same
 * code ran up to ±25% faster or slower depending only on where its entry and loop heads fell relative to 32/64-byte
 * boundaries, so layout is a compiler option like any other (and the benchmarks sweep it).
 *
 * @param functionAlignment each function's entry is at {@code k * functionAlignment + functionPadding} (a power of
 *                          two, 1 to 64)
 * @param functionPadding   bytes after the boundary (0 ≤ padding &lt; functionAlignment), for layout experiments
 * @param loopAlignment     loop heads reached only by a back edge and a fall-through are aligned to this (a power
 *                          of two, 1 = not aligned), padded with multi-byte NOPs executed once on entry
 */
public record CodeAlignment(int functionAlignment, int functionPadding, int loopAlignment) {
    /**
     * The default policy: function entries on 64-byte boundaries, loop heads on 32-byte boundaries — the layout
     * with the best median over every prologue variant on four of the five workloads measured in
     * {@code docs/prologue-variants.md} (entries at +32/+48 in a 64-byte line ran up to 20% slower).
     */
    public static final CodeAlignment DEFAULT = new CodeAlignment(64, 0, 32);

    public CodeAlignment {
        check(functionAlignment, "function alignment");
        check(loopAlignment, "loop alignment");
        if (functionPadding < 0 || functionPadding >= functionAlignment && functionPadding != 0) {
            throw new IllegalArgumentException("function padding must be in [0, " + functionAlignment + "): "
                    + functionPadding);
        }
    }

    private static void check(int alignment, String what) {
        if (alignment < 1 || alignment > 64 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(what + " must be a power of two from 1 to 64: " + alignment);
        }
    }

    /**
     * Parses {@code FUNCTION[+PADDING][:LOOP]}, e.g. {@code 16}, {@code 64+24}, {@code 32:16} (no commas, so a spec
     * can be a JMH parameter value).
     */
    public static CodeAlignment parse(String s) {
        try {
            String[] parts = s.trim().split(":", -1);
            if (parts.length > 2) throw new IllegalArgumentException();
            String[] entry = parts[0].split("\\+", -1);
            int function = Integer.parseInt(entry[0].trim());
            int padding = entry.length > 1 ? Integer.parseInt(entry[1].trim()) : 0;
            int loop = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 1;
            return new CodeAlignment(function, padding, loop);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? "" : ": " + e.getMessage();
            throw new IllegalArgumentException("bad alignment '" + s + "', expected FUNCTION[+PADDING][:LOOP] such as "
                    + "16, 64+24 or 32:16" + why);
        }
    }

    @Override
    public String toString() {
        return functionAlignment + (functionPadding != 0 ? "+" + functionPadding : "") + ":" + loopAlignment;
    }
}
