package dev.isthmus.model;

/**
 * The version of WebAssembly whose rules the front end (decoder and validator) applies: the switch between what the
 * 2.0 and the 3.0 specification disagree on.
 *
 * <p>3.0 is a superset of 2.0 except for a few rules a 2.0 module could only break, so their tests contradict
 * each other: 2.0 rejects {@code global.get} of a module-defined global in a constant expression ("unknown
 * global") and {@code i32.add} there ("constant expression required"), which 3.0's extended constants allow; 2.0
 * rejects the reference-type encodings 0x63/0x64 and a type index as {@code ref.null}'s heap type as malformed,
 * which 3.0's typed function references use. {@link #V3_0}, the default, accepts the 3.0 features Isthmus
 * implements ({@link #extendedConstants()}, {@link #functionReferences()}, {@link #multiMemory()}, tail
 * calls); {@link #V2_0} applies the
 * 2.0 rules to those, for the 2.0 spec suite. Tail calls are accepted under both: no 2.0 rule contradicts them.
 */
public enum WasmVersion {
    V2_0("2.0"),
    V3_0("3.0");

    /** What the front end applies unless told otherwise: everything Isthmus implements. */
    public static final WasmVersion DEFAULT = V3_0;

    private final String text;

    WasmVersion(String text) {
        this.text = text;
    }

    /** {@code "2.0"} or {@code "3.0"}. */
    public String text() {
        return text;
    }

    /** {@code i32/i64.add/sub/mul} and {@code global.get} of earlier defined immutable globals in constant expressions. */
    public boolean extendedConstants() {
        return this != V2_0;
    }

    /** Typed function references: {@code (ref null? $t)} types, {@code call_ref}, {@code br_on_null}, ... */
    public boolean functionReferences() {
        return this != V2_0;
    }

    /**
     * Multiple memories: memory indices in memory instructions (memarg flag bit 6, the index immediates of
     * memory.size/grow/fill/init/copy) and more than one memory; 2.0 reads those index bytes as reserved zeros.
     */
    public boolean multiMemory() {
        return this != V2_0;
    }

    /**
     * Memory64 and table64: the limits flags 0x04/0x05 (address type i64) with u64 bounds, u64 memarg offsets, and
     * limits beyond 2^32 written in the text format (2.0: u32, larger values malformed).
     */
    public boolean memory64() {
        return this != V2_0;
    }

    /** The version named {@code text} ({@code "2.0"}, {@code "3.0"}, also {@code "2"}, {@code "3"}). */
    public static WasmVersion parse(String text) {
        return switch (text.strip()) {
            case "2.0", "2" -> V2_0;
            case "3.0", "3" -> V3_0;
            default -> throw new IllegalArgumentException("unknown WebAssembly version '" + text
                    + "' (expected 2.0 or 3.0)");
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
