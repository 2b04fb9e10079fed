/**
 * Linear-scan register allocation over live intervals with holes ({@link dev.isthmus.compiler.regalloc.LinearScan}):
 * two register classes (integer, xmm), fixed intervals for ABI registers and call clobbers, move hints, whole
 * intervals spilled when registers run out.
 */
package dev.isthmus.compiler.regalloc;
