/**
 * The {@code isthmus} command line: {@code run}, {@code wast}, {@code explore}, {@code demo}. A tool: it uses only the
 * public API, WASI and {@link dev.isthmus.tooling}.
 */
package dev.isthmus.cli;
