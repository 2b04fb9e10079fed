/**
 * {@code isthmus explore}: an HTML page showing each function's wasm beside its x86-64 code (disassembled with
 * Zydis), from the compiled module {@link dev.isthmus.tooling} gives. A tool: public API and tooling only.
 */
package dev.isthmus.explore;
