package dev.isthmus.wast;

import java.util.List;

/**
 * The scripts of the wasm-3.0 suite about memory64 and table64 (i64 address types), and the 32-bit scripts whose
 * 64-bit offsets and limits needed them ({@code address}, {@code align}, {@code memory}; {@code table} and
 * {@code simd_address} are in the funcref and SIMD ratchets). Every command of them passes but for the two of
 * {@code table_init64.wast} that use GC's array types. Run by SpecSuiteTest (ratchet
 * {@code wasm-3.0-memory64.passing}) and by validate.SpecSuiteTextModulesTest.
 */
public final class Memory64Scripts {
    private Memory64Scripts() {}

    public static final List<String> FILES = List.of(
            "address.wast",
            "address64.wast",
            "align.wast",
            "align64.wast",
            "binary_leb128_64.wast",
            "bulk64.wast",
            "call_indirect64.wast",
            "endianness64.wast",
            "float_memory64.wast",
            "load64.wast",
            "memory.wast",
            "memory64-imports.wast",
            "memory64.wast",
            "memory_copy64.wast",
            "memory_fill64.wast",
            "memory_grow64.wast",
            "memory_init64.wast",
            "memory_redundancy64.wast",
            "memory_trap64.wast",
            "table64.wast",
            "table_copy64.wast",
            "table_copy_mixed.wast",
            "table_fill64.wast",
            "table_get64.wast",
            "table_grow64.wast",
            "table_init64.wast",
            "table_set64.wast",
            "table_size64.wast");
}
