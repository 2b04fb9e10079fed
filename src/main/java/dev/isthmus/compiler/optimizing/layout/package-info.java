/**
 * Block layout of the optimizing tier, after register allocation: {@link
 * dev.isthmus.compiler.optimizing.layout.BranchPrediction} picks each conditional jump's fall-through by static
 * prediction (a short returning block beside a call or a loop is cold; a branch out of a loop is predicted not taken;
 * {@code x == 0} is predicted false), and
 * {@link dev.isthmus.compiler.optimizing.layout.LoopRotation} moves a loop's latch in front of its header so an
 * iteration ends in one backward conditional branch.
 */
package dev.isthmus.compiler.optimizing.layout;
