/**
 * Instruction selection: IR to x86-64 machine instructions ({@link dev.isthmus.compiler.optimizing.isel.MInstr}) over virtual
 * registers, with immediates, fused compare-and-branch, cmov/setcc, and the fixed registers of calls, returns,
 * shifts and division as short moves the register allocator coalesces through hints.
 *
 * <p>An instruction is an operation ({@link dev.isthmus.compiler.optimizing.isel.MOp}), uniform def and use register lists
 * (what the allocator reads), an immediate, and a typed detail per form ({@link dev.isthmus.compiler.optimizing.isel.MDetail}:
 * the assembler's ALU/shift/condition/bit operations, float, conversion, load and store kinds, call kinds, jump
 * targets, parallel-move sources). {@code MInstr.toString()} prints one listing line
 * ({@code v12 = add.i32 v10, v11}, {@code jcc.l block3, block5}); {@code MachineFunction.toString()} prints the
 * blocks. Virtual register {@code vN} of an IR value is the IR's value N.
 */
package dev.isthmus.compiler.optimizing.isel;
