package dev.isthmus;

import dev.isthmus.runtime.abi.TrapCode;

/**
 * Why a {@link WasmTrap} happened: the public names of the runtime's trap codes, one to one. Each kind has the
 * spec's message text ({@code assert_trap} compares a prefix of it).
 */
public enum TrapKind {
    /** The {@code unreachable} instruction. */
    UNREACHABLE,
    /** Integer division or remainder by zero. */
    INTEGER_DIVIDE_BY_ZERO,
    /** Signed division {@code MIN / -1}. */
    INTEGER_OVERFLOW,
    /** A trapping float-to-integer conversion of NaN or an out-of-range value. */
    INVALID_CONVERSION_TO_INTEGER,
    /** A load or store outside the memory's current size. */
    OUT_OF_BOUNDS_MEMORY_ACCESS,
    /** A table access outside the table's current size. */
    OUT_OF_BOUNDS_TABLE_ACCESS,
    /** {@code call_indirect} to a function of another type. */
    INDIRECT_CALL_TYPE_MISMATCH,
    /** {@code call_indirect} through a null table entry. */
    UNINITIALIZED_ELEMENT,
    /** The wasm stack ran out (deep or infinite recursion). */
    CALL_STACK_EXHAUSTED,
    /** {@code call_indirect} with an index beyond the table (the wording of older spec versions). */
    UNDEFINED_ELEMENT,
    /** A null reference where a non-null one is required ({@code ref.as_non_null}, {@code br_on_non_null}). */
    NULL_REFERENCE,
    /** {@code call_ref} / {@code return_call_ref} of a null function reference. */
    NULL_FUNCTION_REFERENCE,
    /** A struct access through a null reference. */
    NULL_STRUCTURE_REFERENCE,
    /** An array access through a null reference. */
    NULL_ARRAY_REFERENCE,
    /** {@code i31.get_s/u} of a null reference. */
    NULL_I31_REFERENCE,
    /** {@code ref.cast} that fails. */
    CAST_FAILURE,
    /** An array element access outside the array. */
    OUT_OF_BOUNDS_ARRAY_ACCESS,
    /** {@code memory.init} / {@code array.new_data} reading past a data segment. */
    OUT_OF_BOUNDS_DATA_SEGMENT_ACCESS,
    /** {@code table.init} / {@code array.new_elem} reading past an element segment. */
    OUT_OF_BOUNDS_ELEMENT_SEGMENT_ACCESS,
    /** An atomic access at an address that is not a multiple of its size (threads proposal). */
    UNALIGNED_ATOMIC,
    /**
     * The call was interrupted: {@link Instance#interrupt()}, {@link Thread#interrupt()} of the calling thread, or a
     * call timeout ({@link Isthmus.Builder#callTimeout}). Never reported as {@link #UNREACHABLE}.
     */
    INTERRUPTED,
    /**
     * The instance's fuel ran out ({@link Isthmus.Builder#consumeFuel}, {@link Instance#setFuel}) and its fuel
     * handler, if any, gave no more. Never reported as {@link #UNREACHABLE} or {@link #INTERRUPTED}.
     */
    OUT_OF_FUEL;

    /** The spec's message text, e.g. {@code "integer divide by zero"} (the runtime's text for the same code). */
    public String message() {
        return TrapCode.valueOf(name()).message();
    }

    /** The public kind of the runtime's trap code: one to one (the switch does not compile if a code is missing). */
    static TrapKind of(TrapCode code) {
        return switch (code) {
            case UNREACHABLE -> UNREACHABLE;
            case INTEGER_DIVIDE_BY_ZERO -> INTEGER_DIVIDE_BY_ZERO;
            case INTEGER_OVERFLOW -> INTEGER_OVERFLOW;
            case INVALID_CONVERSION_TO_INTEGER -> INVALID_CONVERSION_TO_INTEGER;
            case OUT_OF_BOUNDS_MEMORY_ACCESS -> OUT_OF_BOUNDS_MEMORY_ACCESS;
            case OUT_OF_BOUNDS_TABLE_ACCESS -> OUT_OF_BOUNDS_TABLE_ACCESS;
            case INDIRECT_CALL_TYPE_MISMATCH -> INDIRECT_CALL_TYPE_MISMATCH;
            case UNINITIALIZED_ELEMENT -> UNINITIALIZED_ELEMENT;
            case CALL_STACK_EXHAUSTED -> CALL_STACK_EXHAUSTED;
            case UNDEFINED_ELEMENT -> UNDEFINED_ELEMENT;
            case NULL_REFERENCE -> NULL_REFERENCE;
            case NULL_FUNCTION_REFERENCE -> NULL_FUNCTION_REFERENCE;
            case NULL_STRUCTURE_REFERENCE -> NULL_STRUCTURE_REFERENCE;
            case NULL_ARRAY_REFERENCE -> NULL_ARRAY_REFERENCE;
            case NULL_I31_REFERENCE -> NULL_I31_REFERENCE;
            case CAST_FAILURE -> CAST_FAILURE;
            case OUT_OF_BOUNDS_ARRAY_ACCESS -> OUT_OF_BOUNDS_ARRAY_ACCESS;
            case OUT_OF_BOUNDS_DATA_SEGMENT_ACCESS -> OUT_OF_BOUNDS_DATA_SEGMENT_ACCESS;
            case OUT_OF_BOUNDS_ELEMENT_SEGMENT_ACCESS -> OUT_OF_BOUNDS_ELEMENT_SEGMENT_ACCESS;
            case UNALIGNED_ATOMIC -> UNALIGNED_ATOMIC;
            case INTERRUPTED -> INTERRUPTED;
            case OUT_OF_FUEL -> OUT_OF_FUEL;
        };
    }
}
