package dev.isthmus.runtime.abi;

/**
 * Functions compiled together after instantiation ({@code options.Compilation}: lazily, or again by another tier),
 * laid out in one position-independent piece of code that refers to nothing outside itself: calls to other functions
 * go through the instance context. Offsets are from the start of {@code code}.
 *
 * @param code        the machine code
 * @param functions   the functions in it (function index space), in the order they are laid out
 * @param entries     each function's entry
 * @param ends        the end of each function's code (the next function's piece starts at or after it)
 * @param codeOffsets offsets where wasm instructions start, ascending over the whole chunk
 * @param wasmOffsets the module byte offset of the instruction at each {@code codeOffsets} entry
 * @param unwinds     each function's unwind table (offsets from its entry), with its exception handlers
 * @param optimized   each function's tier: true when the optimizing tier compiled it
 */
public record CompiledChunk(byte[] code, int[] functions, int[] entries, int[] ends, int[] codeOffsets,
                            int[] wasmOffsets, FrameUnwind[] unwinds, boolean[] optimized) {
}
