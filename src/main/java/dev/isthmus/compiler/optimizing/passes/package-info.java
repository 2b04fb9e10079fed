/**
 * IR passes: copy propagation (trivial phis), constant folding, dead code elimination, reassociation of integer sums
 * (a loop's accumulator added last), all linear-time; range-check elimination by loop versioning
 * ({@link dev.isthmus.compiler.optimizing.passes.LoopVersioning}: a bounded number of small loops, each costing a
 * pass over the function).
 */
package dev.isthmus.compiler.optimizing.passes;
