/**
 * Machine-code layout shared by all functions: the {@link dev.isthmus.compiler.machine.FrameLayout stack frame} (the
 * one place prologues and epilogues are built, with the {@link dev.isthmus.compiler.machine.StackCheckEmitter stack
 * check} of the chosen variant and the function's unwind table),
 * {@link dev.isthmus.compiler.machine.ValueLocations argument and result locations} of the wasm ABI, the {@link dev.isthmus.compiler.machine.AdapterEmitter entry and host-call adapters} and
 * the {@link dev.isthmus.compiler.machine.CodeLinker linker} that lays functions out and patches calls between them.
 */
package dev.isthmus.compiler.machine;
