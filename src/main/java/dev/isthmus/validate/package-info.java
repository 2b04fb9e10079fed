/**
 * Validation of WebAssembly modules (spec chapter "Validation"), after decoding and before compilation: 2.0, and of
 * 3.0 the tail calls, typed function references and extended constants, with the 2.0 rules where the two disagree
 * under {@link dev.isthmus.model.WasmVersion#V2_0}.
 *
 * <p>Entry point: {@link dev.isthmus.validate.Validator#validate}. Module-level rules live in {@code Validator}, the
 * spec's context C in {@code ModuleContext}, constant expressions in {@code ConstExprValidator}, and function bodies
 * in {@code FunctionValidator} on top of {@code TypeStack} (operand and control stacks of the spec's appendix
 * algorithm) and {@code Locals}. Instructions with a fixed stack effect are typed by data, not code:
 * {@code NumericTyping}, {@code MemoryTyping} (with natural alignments) and {@code SimdTyping} (with lane counts)
 * fill one {@code SignatureTable} keyed by opcode.
 *
 * <p>Typed function references: operand types match by subtyping ({@code ModuleContext.matches}: non-null below
 * nullable, {@code (ref $t)} below {@code func}, type indices compared by 3.0's equivalence of types without explicit
 * recursion groups); {@code FunctionValidator} tracks which non-null locals are set, forgetting those set inside a
 * block when it ends, as the spec's algorithm does ("uninitialized local").
 */
package dev.isthmus.validate;
