/**
 * The engine's compiler settings, a leaf package that the API, the compiler and the runtime all read:
 * {@link dev.isthmus.options.Tier}, {@link dev.isthmus.options.StackCheck},
 * {@link dev.isthmus.options.CodeAlignment}, {@link dev.isthmus.options.BoundsChecks} and the record that holds
 * them all, {@link dev.isthmus.options.CompilerOptions}. Part of the public API ({@code Isthmus.Builder} takes them).
 */
package dev.isthmus.options;
