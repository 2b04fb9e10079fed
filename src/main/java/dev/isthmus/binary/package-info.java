/**
 * The binary format: {@link dev.isthmus.binary.ModuleDecoder} reads a module section by section (one decoder per
 * section) into the {@link dev.isthmus.model} and scans every function body for well-formedness;
 * {@link dev.isthmus.binary.InstructionReader} and the opcode table ({@link dev.isthmus.binary.Opcode}, as data) are
 * shared by the validator and both compilers. The front end rejects a module with a
 * {@link dev.isthmus.binary.ModuleRejection} ({@link dev.isthmus.binary.DecodeException} or
 * {@link dev.isthmus.binary.ValidationException}), which the API turns into its malformed/invalid exceptions.
 */
package dev.isthmus.binary;
