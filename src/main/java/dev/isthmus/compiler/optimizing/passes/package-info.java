/** Linear-time IR passes: copy propagation (trivial phis), constant folding, dead code elimination, reassociation of integer sums (a loop's accumulator added last). */
package dev.isthmus.compiler.optimizing.passes;
