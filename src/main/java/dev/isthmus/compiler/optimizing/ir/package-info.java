/**
 * The SSA intermediate representation of the optimizing tier: {@link dev.isthmus.compiler.optimizing.ir.IrFunction} holds
 * values (one per instruction: operation, type, immediate, operand value ids in parallel arrays) and
 * {@link dev.isthmus.compiler.optimizing.ir.IrBlock}s (phis, instructions, terminator; predecessors in phi-operand order);
 * {@link dev.isthmus.compiler.optimizing.ir.IrPrinter} prints it for tests.
 */
package dev.isthmus.compiler.optimizing.ir;
