/**
 * Linear-scan register allocation over live intervals with holes ({@link dev.isthmus.compiler.optimizing.regalloc.LinearScan}):
 * two register classes (integer, xmm; v128 values are xmm values with 16-byte spill slots), fixed intervals for ABI registers and call clobbers, move hints, spill choice by
 * loop-weighted use density ({@link dev.isthmus.compiler.optimizing.regalloc.LoopDepth}), spilled intervals split around their uses (a stack slot for the whole life, reload registers between calls).
 */
package dev.isthmus.compiler.optimizing.regalloc;
