/**
 * IR passes: copy propagation (trivial phis), constant folding, dead code elimination, reassociation of integer sums
 * (a loop's accumulator added last), all linear-time; range-check elimination by loop versioning
 * ({@link dev.isthmus.compiler.optimizing.passes.LoopVersioning}: a bounded number of small loops, each costing a
 * pass over the function); unrolling of small innermost loops keeping every exit test
 * ({@link dev.isthmus.compiler.optimizing.passes.LoopUnrolling}: at most 16 loops, each a pass over the function);
 * both on the simple-cycle shape of {@code SimpleLoop}.
 */
package dev.isthmus.compiler.optimizing.passes;
