/**
 * WASI preview1 for {@code isthmus run} and embedders, written on the public API alone
 * ({@link dev.isthmus.wasi.Wasi} gives the imports; one class per family of calls: file descriptors, paths, clocks
 * and random, polling, arguments and environment, process, sockets), with a sandboxed view of preopened directories.
 */
package dev.isthmus.wasi;
