/**
 * Running generated code on its own stacks: {@link dev.isthmus.runtime.stack.WasmStack} (stacks in the shape of
 * {@link dev.isthmus.runtime.abi.StackGeometry}), per-OS-thread contexts ({@link
 * dev.isthmus.runtime.stack.ThreadContexts}, {@link dev.isthmus.runtime.abi.ThreadContextLayout}) with their
 * alternate signal stacks, the machine code that crosses between Java and wasm ({@link
 * dev.isthmus.runtime.stack.RuntimeStubs}: entry trampoline, recovery and raise stubs, host-call bridge, thread
 * attach/exit hooks), and the backtrace walker ({@link dev.isthmus.runtime.stack.FrameWalker}).
 *
 * <pre>
 *   Java ──WasmCall.invoke──▶ enter (Java stack: entry frame) ──switch RSP──▶ wasm code (wasm stack)
 *        ◀── status 0, result ─┘                                              │ trap: signal → shim → recovery
 *        ◀── status = TrapCode code ◀── recovery (RSP = entry frame) ◀─────────┘   or jmp/call raise → recovery
 *        then FrameWalker reads the abandoned frames        │ host call: hostCall bridge (checks the limit) →
 *                                                           │ Java upcall on the Java stack
 * </pre>
 *
 * <h2>The alternate signal stack: on every OS thread that runs wasm, virtual-thread carriers included</h2>
 * With the {@code guard-page} prologue variant nothing checks the stack: an overflow is a fault in the guard, and
 * the kernel can deliver that signal only on an alternate signal stack ({@code sigaltstack}, {@code SA_ONSTACK}),
 * which is a property of the OS thread. How it is guaranteed:
 * <ol>
 *   <li><b>Before the first wasm instruction on an OS thread.</b> The entry trampoline finds the context with
 *       {@code pthread_getspecific} on every entry — on the OS thread it runs on, which for a virtual thread is its
 *       current carrier. With no context it returns "no context" before touching any wasm stack, and
 *       {@link dev.isthmus.runtime.stack.WasmCall} attaches one and retries. Attaching is one native call on the
 *       calling OS thread that installs the alternate stack first and only then sets the pthread key; a virtual
 *       thread cannot change carriers inside a native call, so the key is never set on a thread without its
 *       alternate stack. A virtual thread moved to another carrier between two calls simply finds that carrier's
 *       context (or attaches one): state is keyed by OS thread, never by {@code ThreadLocal}.</li>
 *   <li><b>While it runs.</b> Wasm code runs inside a native call, so the virtual thread stays pinned to its
 *       carrier until the call returns; the carrier's alternate stack is the one in force. Nothing in Isthmus
 *       disables it while the thread lives (HotSpot installs none of its own on Java threads).</li>
 *   <li><b>When the OS thread ends.</b> glibc runs the pthread key's destructor, native code that disables the
 *       alternate stack with a raw {@code sigaltstack} system call and marks the context EXITED; Java unmaps the
 *       stacks of exited contexts when the next thread attaches (or on {@code ThreadContexts.reapExited()}).
 *       Carriers that end (the scheduler retires idle ones) are freed the same way.</li>
 * </ol>
 * Tested by {@code VirtualThreadCarriersTest} (1,000 virtual threads on two carriers, each overflowing with no
 * check instruction at all: exactly one context per carrier) and {@code StackExhaustionTest}.
 *
 * <h2>Host exits</h2>
 * The host-call bridge and the builtin stubs start with {@code test esp, WINDOW_MASK; jz exhausted}, so host code
 * and nested entries never start below the stack's limit, whatever prologue variant the wasm code uses.
 */
package dev.isthmus.runtime.stack;
