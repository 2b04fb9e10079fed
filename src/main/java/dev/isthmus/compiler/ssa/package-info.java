/** Wasm to SSA in one pass (Braun et al.): {@link dev.isthmus.compiler.ssa.SsaBuilder}. */
package dev.isthmus.compiler.ssa;
