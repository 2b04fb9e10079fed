/**
 * The compiler's module driver: a validated {@link dev.isthmus.model.WasmModule} to x86-64 machine code that Isthmus
 * encodes itself ({@link dev.isthmus.x64}). {@link dev.isthmus.compiler.ModuleCompiler#compile} compiles each
 * defined function with the tier the {@link dev.isthmus.options.CompilerOptions options} choose, emits the adapters of
 * every function type and links the calls between functions into one
 * {@link dev.isthmus.compiler.machine.MachineCode}: a position-independent blob with the maps from code offsets back
 * to functions and wasm instructions, and each function's {@link dev.isthmus.runtime.abi.FrameUnwind unwind table}.
 *
 * <h2>Packages, named by path</h2>
 * <pre>
 *   compiler                      this driver: the only package that imports both tiers
 *   ├── baseline                  single pass over the wasm code, lazy operand stack (like V8's Liftoff)
 *   ├── optimizing                SSA tier: OptimizingCompiler, MachineEmitter
 *   │   ├── ssa                   wasm → SSA IR in one pass (Braun et al.)
 *   │   ├── ir                    the SSA IR and its printer
 *   │   ├── passes                simplification: copy propagation, constant folding, dead code
 *   │   ├── isel                  IR → machine instructions over virtual registers
 *   │   ├── regalloc              linear scan with splitting
 *   │   └── layout                block order: static branch prediction, loop rotation
 *   └── machine                   what both tiers share: compiled-function records, CPU features, frames and
 *       │                         stack checks, adapters, linking, tail-call effects
 *       └── sequences             compound instruction sequences written once (truncation, min/max, ...)
 * </pre>
 * Who may import whom: the tiers import {@code machine} and never each other; {@code machine} imports neither tier;
 * the whole compiler reaches the runtime only through its ABI contract ({@link dev.isthmus.runtime.abi}) and never
 * the API. {@code PackageDependencyTest} enforces it.
 */
package dev.isthmus.compiler;
