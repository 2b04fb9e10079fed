/**
 * Wasm linear memories: {@link dev.isthmus.runtime.memory.LinearMemory} reserves address space once, makes the
 * current pages read-write, grows by changing protections, and registers the reservation with the signal shim so
 * out-of-bounds accesses become traps.
 */
package dev.isthmus.runtime.memory;
