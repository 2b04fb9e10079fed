package dev.isthmus.wast;

import java.util.List;

/**
 * The scripts of the wasm-3.0 suite that pass completely with multiple memories (every one of them failed before
 * they were implemented). Most define or import several memories; the others use the 3.0 binary format of memory
 * instructions (memory indices, memarg flags). Run by SpecSuiteTest (ratchet {@code wasm-3.0-multi-memory.passing})
 * and by validate.SpecSuiteTextModulesTest.
 */
public final class MultiMemoryScripts {
    private MultiMemoryScripts() {}

    public static final List<String> FILES = List.of(
            "address0.wast",
            "address1.wast",
            "align0.wast",
            "binary0.wast",
            "data0.wast",
            "data1.wast",
            "data_drop0.wast",
            "exports0.wast",
            "float_exprs0.wast",
            "float_exprs1.wast",
            "float_memory0.wast",
            "imports0.wast",
            "imports1.wast",
            "imports2.wast",
            "imports3.wast",
            "imports4.wast",
            "linking0.wast",
            "linking1.wast",
            "linking2.wast",
            "linking3.wast",
            "load0.wast",
            "load1.wast",
            "load2.wast",
            "memory-multi.wast",
            "memory_copy0.wast",
            "memory_copy1.wast",
            "memory_fill0.wast",
            "memory_grow.wast",
            "memory_init0.wast",
            "memory_size0.wast",
            "memory_size1.wast",
            "memory_size2.wast",
            "memory_size3.wast",
            "memory_size_import.wast",
            "memory_trap0.wast",
            "memory_trap1.wast",
            "simd_memory-multi.wast",
            "start0.wast",
            "store0.wast",
            "store1.wast",
            "store2.wast",
            "traps0.wast");
}
