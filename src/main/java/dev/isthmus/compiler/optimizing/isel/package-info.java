/**
 * Instruction selection: IR to x86-64 machine instructions ({@link dev.isthmus.compiler.optimizing.isel.MInstr}) over virtual
 * registers, with immediates, fused compare-and-branch, cmov/setcc, and the fixed registers of calls, returns,
 * shifts and division as short moves the register allocator coalesces through hints.
 */
package dev.isthmus.compiler.optimizing.isel;
