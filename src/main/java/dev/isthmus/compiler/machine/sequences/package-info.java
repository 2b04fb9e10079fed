/**
 * Compound x86-64 instruction sequences shared by both tiers, written once over physical registers and memory
 * operands: float to integer truncation ({@link dev.isthmus.compiler.machine.sequences.FloatToInt}), integer to float
 * conversion ({@link dev.isthmus.compiler.machine.sequences.IntToFloat}), wasm min/max
 * ({@link dev.isthmus.compiler.machine.sequences.FloatMinMax}), sign operations
 * ({@link dev.isthmus.compiler.machine.sequences.FloatSign}), division with its traps
 * ({@link dev.isthmus.compiler.machine.sequences.IntegerDivision}), memory.copy and memory.fill with their bounds
 * checks ({@link dev.isthmus.compiler.machine.sequences.BulkMemory}) and parallel moves
 * ({@link dev.isthmus.compiler.machine.sequences.ParallelMoves}). Each tier keeps its own instruction selection and
 * register handling and calls these with the registers, scratch registers and trap targets it chose; constants
 * go to the assembler's constant pool.
 */
package dev.isthmus.compiler.machine.sequences;
