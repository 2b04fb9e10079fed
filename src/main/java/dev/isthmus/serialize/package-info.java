/**
 * Code files ({@code .ism}): a compiled module written to bytes and loaded back without recompiling any function
 * ({@link dev.isthmus.serialize.CodeFile}; the layout is drawn in {@code docs/architecture.md}, "Code files").
 * A code file holds the module's wasm binary (decoded again on load), the machine code with everything the loader
 * needs around it (function and adapter offsets, pc-to-wasm maps, unwind tables, the places of the canonical type
 * ids that {@code call_indirect} compares, patched for this process on load), and the key it may be loaded under:
 * the engine's build id, the compiler options, the wasm stack geometry and the CPU features the code uses.
 *
 * <p>Below the API ({@code dev.isthmus} calls it), beside the tooling: it uses the front end (to decode the
 * stored binary), the compiler (to find the type-id sites by compiling a second time) and the runtime's ABI, and
 * never the API or the tools.
 */
package dev.isthmus.serialize;
