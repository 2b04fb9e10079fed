/**
 * The lowering of the 128-bit SIMD instructions (Wasm 2.0 SIMD and 3.0 relaxed SIMD) to SSE/AVX instruction sequences,
 * shared by both tiers: a tier puts the operands in registers, asks {@link dev.isthmus.compiler.machine.simd.SimdShape}
 * how many temporaries the instruction needs, and calls {@link dev.isthmus.compiler.machine.simd.SimdLowering}.
 *
 * <pre>
 *   tier (baseline value stack / optimizing isel+regalloc)
 *        │  operands in registers: v128, f32, f64 in xmm; i32, i64 in general-purpose registers
 *        ▼
 *   SimdLowering.emit(op, SimdOperands)          one entry point; picks the family:
 *        ├── SimdIntegerOps   lane-wise integer arithmetic, shifts, compares, bitwise, masks, narrow/extend
 *        ├── SimdFloatOps     lane-wise float arithmetic, compares, rounding, conversions
 *        ├── SimdLaneOps      constants, splats, lane extract/replace, shuffles, swizzle
 *        ├── SimdMemoryOps    loads and stores (the tier computes and bounds-checks the address: a {@code Mem})
 *        └── SimdRelaxedOps   relaxed SIMD (results inside the spec's sets, fixed per engine configuration)
 * </pre>
 *
 * <p>Contract for callers (both tiers): the destination may be any register of the result's class and may alias
 * any source; temporaries ({@link dev.isthmus.compiler.machine.simd.SimdShape#xmmTemps()},
 * {@link dev.isthmus.compiler.machine.simd.SimdShape#gprTemps()}) are distinct from the destination, the sources
 * and each other; {@code xmm15} and {@code r11} are scratch in both tiers and every sequence may clobber them (no
 * operand is ever there); flags are clobbered. Sources are never written unless they alias the destination.
 * i32 operands in general-purpose registers have meaningful low 32 bits only; i32 results are zero-extended.
 * A tier may tell which operands are constants ({@link dev.isthmus.compiler.machine.simd.SimdOperands#constants()}:
 * an i32/i64 value or a v128's 16 bytes, null when unknown); the operand is in its register all the same, and a
 * lowering may use the knowledge (shifts by an immediate count, a shuffle with an all-zero operand as one pshufb or
 * pmovzx, a swizzle by constant indices as one pshufb) or ignore it. The baseline tier knows its CONST value-stack
 * entries (i32/i64 only), the optimizing tier its CONST operands and {@code v128.const} values.
 * With {@link dev.isthmus.compiler.machine.CpuFeatures#avx()} the sequences use the VEX three-operand forms,
 * otherwise SSE4.1 at most (the minimum Isthmus requires for SIMD).
 */
package dev.isthmus.compiler.machine.simd;
