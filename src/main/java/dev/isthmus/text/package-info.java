/**
 * The WebAssembly text format (WAT).
 *
 * <p>{@link dev.isthmus.text.Wat} is the entry point: text goes through the {@link dev.isthmus.text.Lexer}
 * (tokens, comments, annotations, strings), then a two-pass parser that resolves names and abbreviations and writes
 * the binary format; the binary decoder then builds the same module model a {@code .wasm} file gives. Errors are
 * {@link dev.isthmus.text.WatSyntaxException}s worded as the spec test suite words them.
 *
 * <pre>
 *   text --Lexer--> tokens --WatParser (declare, define)--> binary --ModuleDecoder--> WasmModule
 *                                 |
 *                                 +-- InstructionParser (function bodies, constant expressions)
 * </pre>
 *
 * <p>Subpackage {@code wast} reads spec test scripts.
 */
package dev.isthmus.text;
