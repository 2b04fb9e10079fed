/** Linear-time IR passes: copy propagation (trivial phis), constant folding, dead code elimination. */
package dev.isthmus.compiler.optimizing.passes;
