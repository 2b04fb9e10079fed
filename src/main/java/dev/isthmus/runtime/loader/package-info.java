/**
 * Loading compiled code: {@link dev.isthmus.runtime.loader.LoadedCode} maps a module's machine code executable
 * ({@code mmap} read-write, copy, {@code mprotect} read+execute: never writable and executable at once), registers it
 * with the signal shim's tables and the code registry, and answers the runtime's questions about it: where each
 * function and adapter is, which wasm instruction a PC belongs to, each frame's unwind table. The code is unmapped
 * when its module is closed and no instance uses it any more.
 */
package dev.isthmus.runtime.loader;
