package dev.isthmus.compiler.x64;

/**
 * The machine code of one function before linking: prologue and body are laid out back to back; the body refers to
 * nothing outside itself except other functions.
 *
 * @param prologue     the frame setup (its size depends on the finished body's frame)
 * @param body         code, trap sites, jump tables and constants, position independent
 * @param relocations  pairs (offset of a rel32 field in {@code body}, defined-or-imported function index it targets)
 * @param codeOffsets  body offsets where wasm instructions start, ascending
 * @param wasmOffsets  the module byte offset of the instruction at each {@code codeOffsets} entry
 */
public record CompiledFunction(byte[] prologue, byte[] body, int[] relocations, int[] codeOffsets, int[] wasmOffsets) {
}
