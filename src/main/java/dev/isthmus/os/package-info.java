/**
 * The operating system through Panama: libc calls ({@code mmap}, {@code mprotect}, {@code sigaction},
 * {@code sigaltstack}, pthread keys, {@code malloc}/{@code free} via {@link dev.isthmus.os.NativeHeap}) with errno
 * ({@link dev.isthmus.os.OsException}), and the layouts of the kernel and glibc structures they take. The bottom
 * layer: imports nothing else of Isthmus.
 */
package dev.isthmus.os;
