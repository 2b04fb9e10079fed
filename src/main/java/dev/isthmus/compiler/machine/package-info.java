/**
 * The machine layer both tiers share, below them both (neither tier is imported here):
 * <ul>
 *   <li>what a compiled function and module are: {@link dev.isthmus.compiler.machine.CompiledFunction} (code, call
 *       sites, trap sites, pc→wasm map, unwind table) and {@link dev.isthmus.compiler.machine.MachineCode};</li>
 *   <li>the CPU features code may use ({@link dev.isthmus.compiler.machine.CpuFeatures});</li>
 *   <li>the {@link dev.isthmus.compiler.machine.FrameLayout stack frame}: the one place prologues and epilogues are
 *       built, with the {@link dev.isthmus.compiler.machine.StackCheckEmitter stack check} of the chosen variant and
 *       the function's unwind table;</li>
 *   <li>{@link dev.isthmus.compiler.machine.ValueLocations argument and result locations} of the wasm ABI, the
 *       {@link dev.isthmus.compiler.machine.AdapterEmitter entry and host-call adapters}, the
 *       {@link dev.isthmus.compiler.machine.CodeLinker linker} that lays functions out and patches calls between
 *       them, and {@link dev.isthmus.compiler.machine.TailCallEffects} (which callers must restore r15 and rsp);</li>
 *   <li>the compound instruction sequences of {@link dev.isthmus.compiler.machine.sequences}.</li>
 * </ul>
 * Offsets into the runtime's structures come from {@link dev.isthmus.runtime.abi}, the compiler's only view of the
 * runtime.
 */
package dev.isthmus.compiler.machine;
