/** Wasm to SSA in one pass (Braun et al.): {@link dev.isthmus.compiler.optimizing.ssa.SsaBuilder}. */
package dev.isthmus.compiler.optimizing.ssa;
