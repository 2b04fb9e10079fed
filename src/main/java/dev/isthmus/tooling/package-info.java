/**
 * The entry point of Isthmus's own tools: the command line ({@code cli}), the spec-script runner ({@code wast},
 * {@code wast.engine}), the explorer ({@code explore}) and the assembler demo ({@code demo}). <b>Not API</b>: the
 * module does not export this package, and it may change with any commit.
 *
 * <p>{@link dev.isthmus.tooling.Tooling} gives the tools what the embedding API does not: the text formats (WAT to
 * binary, WAST scripts to commands), decoding and validating with precise errors (the API's
 * {@link dev.isthmus.MalformedModuleException} and {@link dev.isthmus.InvalidModuleException}), a module compiled to
 * per-function machine code with its pc → wasm map, a function body's wasm instructions as text, and hand-assembled
 * code mapped executable. The tools use the API, this package and the data types it returns (the WAST command
 * records of {@code text.script}), never the front end, compiler or runtime packages directly.
 */
package dev.isthmus.tooling;
