/**
 * Running generated code on its own stacks: {@link dev.isthmus.runtime.stack.WasmStack} (guarded stacks),
 * per-OS-thread contexts ({@link dev.isthmus.runtime.stack.ThreadContexts}, {@link
 * dev.isthmus.runtime.stack.ThreadContextLayout}) with their alternate signal stacks, and the machine code that
 * crosses between Java and wasm ({@link dev.isthmus.runtime.stack.RuntimeStubs}: entry trampoline, recovery and
 * raise stubs, host-call bridge, thread attach/exit hooks).
 *
 * <pre>
 *   Java ──WasmCall.invoke──▶ enter (Java stack: entry frame) ──switch RSP──▶ wasm code (wasm stack)
 *        ◀── status 0, result ─┘                                              │ trap: signal → shim → recovery
 *        ◀── status = TrapKind code, backtrace ◀── recovery (RSP = entry frame) ◀┘   or call raise → recovery
 *                                                                             │ host call: hostCall bridge →
 *                                                                             │ Java upcall on the Java stack
 * </pre>
 */
package dev.isthmus.runtime.stack;
