/**
 * The SSA intermediate representation of the optimizing tier: {@link dev.isthmus.compiler.ir.IrFunction} holds
 * values (one per instruction: operation, type, immediate, operand value ids in parallel arrays) and
 * {@link dev.isthmus.compiler.ir.IrBlock}s (phis, instructions, terminator; predecessors in phi-operand order);
 * {@link dev.isthmus.compiler.ir.IrPrinter} prints it for tests.
 */
package dev.isthmus.compiler.ir;
