/**
 * Validation of WebAssembly 2.0 modules (spec chapter "Validation"), after decoding and before compilation.
 *
 * <p>Entry point: {@link dev.isthmus.validate.Validator#validate}. Module-level rules live in {@code Validator}, the
 * spec's context C in {@code ModuleContext}, constant expressions in {@code ConstExprValidator}, and function bodies
 * in {@code FunctionValidator} on top of {@code TypeStack} (operand and control stacks of the spec's appendix
 * algorithm) and {@code Locals}. Instructions with a fixed stack effect are typed by data, not code:
 * {@code NumericTyping}, {@code MemoryTyping} (with natural alignments) and {@code SimdTyping} (with lane counts)
 * fill one {@code SignatureTable} keyed by opcode.
 */
package dev.isthmus.validate;
