/**
 * The binary format: {@link dev.isthmus.binary.ModuleDecoder} reads a module section by section (one decoder per
 * section) into the {@link dev.isthmus.model} and scans every function body for well-formedness;
 * {@link dev.isthmus.binary.InstructionReader} and the opcode table ({@link dev.isthmus.binary.Opcode}, as data) are
 * shared by the validator and both compilers. The front end rejects a module with a
 * {@link dev.isthmus.binary.ModuleRejection} ({@link dev.isthmus.binary.DecodeException} or
 * {@link dev.isthmus.binary.ValidationException}), which the API turns into its malformed/invalid exceptions.
 *
 * <p>Decoding follows a {@link dev.isthmus.model.WasmVersion}: 3.0 (the default) reads the typed-reference value
 * types 0x63/0x64 with a heap type (s33: 0x70 func, 0x6F extern, or a type index), type indices as
 * {@code ref.null}'s heap type, {@code call_ref}, {@code return_call_ref}, {@code ref.as_non_null},
 * {@code br_on_null}, {@code br_on_non_null}, and tables with an initialiser (0x40 0x00 tabletype expr); 2.0 finds
 * all of them malformed.
 */
package dev.isthmus.binary;
