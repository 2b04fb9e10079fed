/**
 * The compiler: a validated {@link dev.isthmus.model.WasmModule} (Wasm 2.0 without SIMD, plus the 3.0 tail calls) to
 * x86-64 machine code that Isthmus encodes itself ({@link dev.isthmus.x64}).
 *
 * <h2>Entry points</h2>
 * {@link dev.isthmus.compiler.ModuleCompiler#compile} produces {@link dev.isthmus.compiler.machine.MachineCode}: one
 * position-independent blob with every defined function, an entry adapter and a host-call adapter per function type,
 * and the maps from code offsets back to functions and wasm instructions (backtraces).
 * {@link dev.isthmus.options.CompilerOptions} chooses guard-page or explicit memory bounds checks, the tier, the
 * prologue's {@link dev.isthmus.options.StackCheck stack check}, whether the optimizing tier keeps the frame
 * pointer, and the {@link dev.isthmus.options.CodeAlignment alignment} of function entries and loop heads; each
 * function's {@link dev.isthmus.runtime.abi.FrameUnwind unwind table} comes with the code
 * ({@link dev.isthmus.compiler.machine.MachineCode#unwind}).
 *
 * <h2>Pipeline</h2>
 * <pre>
 *   per defined function                                      per module
 *   ┌───────────────┐  ┌───────────────────────┐  ┌──────────┐  ┌─────────────────────┐
 *   │ LocalHomes    │→ │ FunctionCompiler      │→ │ frame    │→ │ CodeLinker: layout, │
 *   │ scan: local   │  │ one pass, lazy value  │  │ size     │  │ rel32 calls patched;│
 *   │ weights, leaf,│  │ stack → x86-64 via    │  │ filled in│  │ AdapterEmitter per  │
 *   │ memory, SIMD  │  │ the lowerings         │  │ (known)  │  │ type                │
 *   └───────────────┘  └───────────────────────┘  └──────────┘  └─────────────────────┘
 * </pre>
 * Register allocation happens at two levels: locals get whole-function registers by loop-weighted use counts
 * ({@code LocalHomes}: callee-saved ones, and in leaf functions the caller-saved ones first, parameters staying in
 * their argument registers); operand-stack values are allocated on the fly from the remaining caller-saved
 * registers, spilled oldest-first to one slot per stack position under pressure and around calls. Values crossing
 * control flow: block/if results in fixed registers, loop parameters in their slots.
 *
 * <p>This is a single-pass design (like V8's Liftoff or Wasmtime's Winch, with register-allocated locals): there is
 * no separate SSA IR, no global register allocator, no optimisation passes beyond what the lazy value stack gives
 * (constant folding, immediate and memory operands, compare+branch fusion, in-place updates of locals). The seed's
 * ackermann compiles to clang's shape (two callee-saved registers instead of one, plus the rbp frame) and ran at
 * 1.05x clang -O3 native time here (ackermann(3, 10..11)); a recursive fib at 1.0x, an array loop at 1.0x.
 * Epilogues restore rsp with {@code add rsp, N} (a nop for empty frames): restoring it from rbp cost up to 2x on
 * call-heavy code.
 */
package dev.isthmus.compiler;
