/**
 * {@code isthmus demo}: hand-assembled x86-64 (ackermann, fibonacci) built with Isthmus's assembler, mapped
 * executable through {@link dev.isthmus.tooling} and run, with an annotated listing. The one tool that uses the
 * assembler directly: it demonstrates it.
 */
package dev.isthmus.demo;
