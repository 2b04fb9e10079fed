/**
 * What a wasm trap is, independent of how it was detected: {@link dev.isthmus.runtime.abi.TrapCode} (the spec's
 * messages and the small codes native code stores), {@link dev.isthmus.runtime.trap.TrapException} (the runtime's
 * trap, which the API turns into {@code dev.isthmus.WasmTrap}) with its backtrace of {@link dev.isthmus.runtime.trap.TrapFrame}s, and
 * {@link dev.isthmus.runtime.trap.WasmFrameSource}, through which the owner of compiled code names its frames.
 * Depends only on {@link dev.isthmus.runtime.abi}.
 */
package dev.isthmus.runtime.trap;
