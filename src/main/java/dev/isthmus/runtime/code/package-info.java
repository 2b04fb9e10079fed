/**
 * Executable memory: {@link dev.isthmus.runtime.code.CodeMemory} maps bytes read-write, copies them and flips the
 * mapping to read+execute (never writable and executable at once); {@link dev.isthmus.runtime.code.CodeRegistry}
 * knows which {@link dev.isthmus.runtime.code.CodeRange} a PC belongs to and who owns it (for backtraces and the
 * signal shim). Used by the loader, the runtime stubs and the host-call bridge.
 */
package dev.isthmus.runtime.code;
