package dev.isthmus.runtime.abi;

/**
 * Every way a wasm computation can trap, each carrying the message text the spec test suite expects
 * ({@code assert_trap} compares a prefix of it) and a small positive {@link #code()} that generated code and the
 * signal shim store in native memory (0 means "no trap").
 *
 * <p>Codes are fixed by declaration order ({@code ordinal() + 1}); add new kinds at the end only, so code already
 * emitted keeps its meaning within a process.
 */
public enum TrapCode {
    /** The {@code unreachable} instruction. */
    UNREACHABLE("unreachable"),
    /** Integer division or remainder by zero. */
    INTEGER_DIVIDE_BY_ZERO("integer divide by zero"),
    /** Signed division {@code MIN / -1}. */
    INTEGER_OVERFLOW("integer overflow"),
    /** A trapping float-to-integer conversion of NaN or an out-of-range value. */
    INVALID_CONVERSION_TO_INTEGER("invalid conversion to integer"),
    /** A load or store outside the memory's current size. */
    OUT_OF_BOUNDS_MEMORY_ACCESS("out of bounds memory access"),
    /** A table access outside the table's current size. */
    OUT_OF_BOUNDS_TABLE_ACCESS("out of bounds table access"),
    /** {@code call_indirect} to a function of another type. */
    INDIRECT_CALL_TYPE_MISMATCH("indirect call type mismatch"),
    /** {@code call_indirect} through a null table entry. */
    UNINITIALIZED_ELEMENT("uninitialized element"),
    /** The wasm stack ran out (deep or infinite recursion). */
    CALL_STACK_EXHAUSTED("call stack exhausted"),
    /** {@code call_indirect} with an index beyond the table (the wording of older spec versions). */
    UNDEFINED_ELEMENT("undefined element"),
    /** A null reference where a non-null one is required ({@code ref.as_non_null}, {@code br_on_non_null}). */
    NULL_REFERENCE("null reference"),
    /** {@code call_ref} / {@code return_call_ref} of a null function reference. */
    NULL_FUNCTION_REFERENCE("null function reference"),
    /** A struct access through a null reference. */
    NULL_STRUCTURE_REFERENCE("null structure reference"),
    /** An array access through a null reference. */
    NULL_ARRAY_REFERENCE("null array reference"),
    /** {@code i31.get_s/u} of a null reference. */
    NULL_I31_REFERENCE("null i31 reference"),
    /** {@code ref.cast} that fails. */
    CAST_FAILURE("cast failure"),
    /** An array element access outside the array. */
    OUT_OF_BOUNDS_ARRAY_ACCESS("out of bounds array access"),
    /** {@code memory.init} / {@code array.new_data} reading past a data segment. */
    OUT_OF_BOUNDS_DATA_SEGMENT_ACCESS("out of bounds data segment access"),
    /** {@code table.init} / {@code array.new_elem} reading past an element segment. */
    OUT_OF_BOUNDS_ELEMENT_SEGMENT_ACCESS("out of bounds element segment access"),
    /** An atomic access at an address that is not a multiple of its size (threads proposal). */
    UNALIGNED_ATOMIC("unaligned atomic"),
    /** The instance was interrupted ({@code Instance.interrupt()}, a thread interrupt, a call timeout): a safepoint
     * poll found its poll page unreadable. */
    INTERRUPTED("interrupted"),
    /** Fuel metering: the instance's fuel ran out and no handler gave more (wasmtime's wording). */
    OUT_OF_FUEL("all fuel consumed by WebAssembly");

    private static final TrapCode[] BY_CODE = values();

    private final String message;

    TrapCode(String message) {
        this.message = message;
    }

    /** The spec's message text, e.g. {@code "integer divide by zero"}. */
    public String message() {
        return message;
    }

    /** The code stored in native memory for this kind: {@code ordinal() + 1}, never 0. */
    public int code() {
        return ordinal() + 1;
    }

    /**
     * The kind with {@code code}.
     *
     * @throws IllegalArgumentException for 0 (no trap) and codes no kind has
     */
    public static TrapCode fromCode(int code) {
        if (code < 1 || code > BY_CODE.length) {
            throw new IllegalArgumentException("no trap kind has code " + code);
        }
        return BY_CODE[code - 1];
    }
}
