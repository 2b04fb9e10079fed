/**
 * The optimizing tier: one function at a time, beside the baseline single-pass compiler
 * ({@link dev.isthmus.compiler.baseline.FunctionCompiler}), under the same {@link dev.isthmus.runtime.abi.WasmAbi}.
 *
 * <pre>
 *   wasm body ──SsaBuilder──▶ IrFunction (SSA: blocks, phis)          optimizing.ssa, optimizing.ir
 *             ──Simplifier──▶ trivial phis / copies gone, constants     optimizing.passes
 *                             folded, dead code removed; loops versioned
 *                             (LoopVersioning) and unrolled (LoopUnrolling)
 *     ──InstructionSelector──▶ MachineFunction (x86-64 on virtual      optimizing.isel
 *                             registers, fixed registers for ABI/idiv/shifts, phis as parallel moves)
 *              ──LinearScan──▶ Allocation (register or spill slot      optimizing.regalloc
 *                             per virtual register, callee-saved used)
 *          ──MachineEmitter──▶ CompiledFunction (prologue, body, unwind   optimizing (block order
 *                             table; frame pointer optional)           from optimizing.layout.BlockOrder;
 *                                                                      compound sequences from machine.sequences)
 * </pre>
 *
 * {@link dev.isthmus.compiler.optimizing.OptimizingCompiler#tryCompile} returns null for a function that uses anything
 * the tier does not translate (decided while building the IR, before any code is emitted);
 * {@link dev.isthmus.compiler.ModuleCompiler} then uses the baseline for it. Selected with
 * {@link dev.isthmus.options.Tier#OPTIMIZING} ({@code -Disthmus.tier=OPTIMIZING} for the default options).
 *
 * <p>Memory sizes, growth and bulk operations are translated in both bounds-check modes: memory.size is a vmctx
 * load, memory.copy and memory.fill are inline ({@link dev.isthmus.compiler.machine.sequences.BulkMemory}, their
 * operands in the string registers as fixed registers), memory.grow, memory.init and data.drop are calls of runtime
 * builtins (an instruction that clobbers what a call clobbers). Multiple memories: each memory the function accesses
 * has its base in a register loaded from the vmctx on entry ({@code VMLOAD}), memory 0's first, so a loop over
 * memory 1 is the loop over memory 0 with another register; the memory index travels in the IR immediate
 * ({@code IrOp.memoryImm}).
 *
 * <p>SIMD: every instruction is one generic IR operation ({@code IrOp.SIMD}, {@code SIMD_LOAD}, {@code SIMD_STORE}
 * carrying the opcode and its immediates), one machine instruction ({@code MOp.SIMD}: operands in registers of their
 * class, the temporaries {@link dev.isthmus.compiler.machine.simd.SimdShape} asks for as virtual registers live
 * across it) and one call of {@link dev.isthmus.compiler.machine.simd.SimdLowering}: no code per opcode in the tier.
 * v128 values are in the xmm class (parameters, results, phis, selects, globals, calls as f64), 16 bytes when
 * spilled (every move, spill and reload of a v128 copies all 128 bits). A function using a SIMD instruction that has
 * no lowering yet falls back ("SIMD instruction X not lowered").
 *
 * <p>References (funcref, externref, typed function references) are i64 values: a func ref's address, an extern
 * handle, 0 for null. table.get/set/size are inline; table.grow/fill/copy/init and elem.drop call their builtins.
 * Stack parameters and results live in the ABI's 8-byte slots ({@code MOp.SLOT_LOAD}/{@code SLOT_STORE}): incoming
 * above the return address (rbp-relative: such functions keep the frame pointer), outgoing at the bottom of the
 * frame; a call's stack results are copied to a staging area in the frame right after the call, before rsp is
 * reset. Tail calls ({@code MOp.TAILCALL}) tear the frame down and jump, resizing the incoming area through
 * {@code FrameLayout.emitResizingTeardown} when the callee takes another number of stack slots; a direct call of a
 * callee that may return irregularly (compiler.machine.TailCallEffects) restores r15 and rsp after it.
 *
 * A memory offset too large for a 32-bit displacement (2^31 - 16 and more) is added to the zero-extended index as
 * an i64 address (the guard region covers any 32-bit index plus offset).
 *
 * <p>Exception handling (throw, throw_ref, try_table, the legacy try/catch/catch_all/rethrow/delegate): a call or
 * throw inside a try ends its block, and each clause of each try around it gets a landing block (an exceptional
 * successor: {@code LANDING}, then the {@code CAUGHT} values) placed after the body; what a landing block reads is
 * live across the call, so in a callee-saved register or a stack slot, which the exception dispatch leaves as they
 * were at the call. The handler table ({@code FrameUnwind.handlers}) has a range per covered call or throw. Nothing
 * is added on the path that does not throw (docs/architecture.md, "Exceptions").
 *
 * <p>Bounds checks: none for a 32-bit memory with guard pages; {@code MOp.BOUNDS} for memory64 and, in explicit mode,
 * for 32-bit memories (once per index and block; loops whose accesses walk memory with induction variables are
 * versioned by {@code passes.LoopVersioning}, their copy without checks).
 *
 * <p>Not translated (baseline fallback): SIMD instructions without a lowering; memory64 SIMD accesses; functions
 * with more than 2048 locals; functions whose landing blocks (one per covered call and clause of every try around
 * it: quadratic in deep nests of tries around calls) would exceed 4 per byte of code, at least 4096 ("more than N
 * landing blocks"). Each fallback is visible in the golden listings ({@code src/test/resources/golden/}) and counted
 * by {@code OptimizingFallbackTest}.
 */
package dev.isthmus.compiler.optimizing;
