package dev.isthmus.compiler.machine;

import dev.isthmus.runtime.abi.FrameUnwind;

/**
 * The machine code of one function before linking: padding up to the entry, the prologue, the body, trap sites,
 * jump tables and constants, in one position-independent piece that refers to nothing outside itself except other
 * functions. The piece is placed so that its start is aligned to {@link dev.isthmus.compiler.machine.CodeLinker}'s
 * block alignment, which keeps its constants aligned; {@code entry} bytes of padding put the entry where the
 * alignment policy wants it.
 *
 * @param code         the code, from the start of the piece
 * @param entry        offset of the function's entry in {@code code}
 * @param relocations  pairs (offset of a rel32 field in {@code code}, defined-or-imported function index it targets)
 * @param codeOffsets  offsets in {@code code} where wasm instructions start, ascending
 * @param wasmOffsets  the module byte offset of the instruction at each {@code codeOffsets} entry
 * @param unwind       how to find the caller from any instruction (offsets from the entry)
 * @param typeIdSites  pairs (offset in {@code code} of a canonical type id's imm32, the module's type index): the
 *                     only bytes that depend on the process (code files patch them when loaded)
 */
public record CompiledFunction(byte[] code, int entry, int[] relocations, int[] codeOffsets, int[] wasmOffsets,
                               FrameUnwind unwind, int[] typeIdSites) {
}
