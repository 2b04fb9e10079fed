/**
 * The baseline tier: one pass over a function's wasm code straight to x86-64 (like V8's Liftoff or Wasmtime's
 * Winch, with register-allocated locals). ~3.7× faster to compile than the optimizing tier; selected with
 * {@link dev.isthmus.options.Tier#BASELINE}.
 *
 * <pre>
 *   ┌───────────────┐  ┌───────────────────────┐  ┌──────────┐
 *   │ LocalHomes    │→ │ FunctionCompiler      │→ │ frame    │→ CompiledFunction (machine)
 *   │ scan: local   │  │ one pass, lazy value  │  │ size     │
 *   │ weights, leaf,│  │ stack → x86-64 via    │  │ filled in│
 *   │ memory, SIMD  │  │ the lowerings         │  │ (known)  │
 *   └───────────────┘  └───────────────────────┘  └──────────┘
 * </pre>
 *
 * <p>{@link dev.isthmus.compiler.baseline.FunctionCompiler} walks the instructions once and handles control flow; the
 * {@code Codegen} value stack holds each operand lazily, as a constant, a pending read of a local, a register, its
 * spill slot, or a condition still in the flags, so each lowering ({@code IntegerLowering}, {@code FloatLowering},
 * {@code ConversionLowering}, {@code MemoryLowering}, {@code CallLowering}) chooses the instruction form: immediates,
 * {@code [r14 + index + offset]} memory operands, {@code lea} for adds into a new register, {@code cmp}+{@code jcc}
 * without materialising booleans, cmov for integer selects. Compound sequences (truncation, min/max, sign
 * operations, division, parallel moves) come from {@link dev.isthmus.compiler.machine.sequences}; {@code ParallelMove}
 * adapts the operand-stack values of call arguments and branch values to its parallel moves. Trap sites are out of line at the end of each function
 * ({@code mov edi, code; call [r15 + raiseStub]}).
 *
 * <p>Register allocation happens at two levels: locals get whole-function registers by loop-weighted use counts
 * ({@code LocalHomes}: callee-saved ones, and in leaf functions the caller-saved ones first, parameters staying in
 * their argument registers); operand-stack values are allocated on the fly from the remaining caller-saved
 * registers, spilled oldest-first to one slot per stack position under pressure and around calls. Values crossing
 * control flow: block/if results in fixed registers, loop parameters in their slots. Frames always keep rbp.
 *
 * <p>SIMD: v128 values live where f32/f64 do (xmm registers; {@code Codegen.isFloat} covers all three), moved with
 * 16-byte instructions ({@code movaps} between registers, {@code movdqu} to and from memory); a function that can
 * hold a v128 ({@code LocalHomes.wide}) has 16-byte local and operand slots. v128 values are never constants on the
 * value stack ({@code v128.const} is materialized at once). {@code VectorLowering} puts the operands of every SIMD
 * instruction in registers and hands it to {@link dev.isthmus.compiler.machine.simd.SimdLowering}; memory
 * instructions take their address from {@code MemoryLowering} like the scalar loads.
 *
 * <p>Invariants the lowerings rely on: i32 values in registers are zero-extended; below any open block the stack
 * holds only slots and constants; r11 and xmm15 are scratch; r15 is the vmctx, r14 the memory base when used.
 */
package dev.isthmus.compiler.baseline;
