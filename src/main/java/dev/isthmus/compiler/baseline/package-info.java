/**
 * Translation of one function body to x86-64.
 *
 * <p>{@link dev.isthmus.compiler.baseline.FunctionCompiler} walks the instructions once and handles control flow; the
 * {@code Codegen} value stack holds each operand lazily, as a constant, a pending read of a local, a register, its
 * spill slot, or a condition still in the flags, so each lowering ({@code IntegerLowering}, {@code FloatLowering},
 * {@code ConversionLowering}, {@code MemoryLowering}, {@code CallLowering}) chooses the instruction form: immediates,
 * {@code [r14 + index + offset]} memory operands, {@code lea} for adds into a new register, {@code cmp}+{@code jcc}
 * without materialising booleans, cmov for integer selects. {@code ParallelMove} places call arguments and branch
 * values. Trap sites are out of line at the end of each function ({@code mov edi, code; call [r15 + raiseStub]}).
 *
 * <p>Invariants the lowerings rely on: i32 values in registers are zero-extended; below any open block the stack
 * holds only slots and constants; r11 and xmm15 are scratch; r15 is the vmctx, r14 the memory base when used.
 */
package dev.isthmus.compiler.baseline;
