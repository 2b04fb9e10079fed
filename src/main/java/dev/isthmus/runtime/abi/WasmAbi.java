package dev.isthmus.runtime.abi;

import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Xmm;

import java.util.List;

/**
 * Isthmus's internal calling convention for wasm-to-wasm calls: the System V AMD64 convention plus one pinned
 * register. Compiled functions, entry adapters, host-call adapters and the runtime all follow it.
 *
 * <ul>
 * <li><b>vmctx</b>: {@link #VMCTX} (r15) holds the current instance's context (see {@link VmContextLayout}) on
 *     entry to every wasm function and is preserved by it. A call to a function of another instance (an import)
 *     saves r15, loads the callee's vmctx from its {@link FuncRefLayout func ref}, calls, and restores r15.</li>
 * <li><b>Arguments</b>: integer-class values (i32, i64, funcref, externref) in {@link #INT_ARGS} in order, float
 *     values (f32, f64) in {@link #FLOAT_ARGS} in order, each class counted separately as in SysV; the rest go to
 *     8-byte <em>stack slots</em> (slot k at {@code [rsp + 8 + 8k]} on entry, i.e. just above the return address), in
 *     parameter order.</li>
 * <li><b>Results</b>: integer-class results in {@link #INT_RESULTS}, float results in {@link #FLOAT_RESULTS}, each
 *     class in order; further results go to the same stack slots (slot k = k-th result that did not fit), which the
 *     callee writes before returning. The caller reserves {@code max(stack args, stack results)} slots.</li>
 * <li><b>i32 values</b> in 64-bit registers: only the low 32 bits are meaningful; code that needs a zero-extended
 *     value (e.g. a memory address) must zero-extend it itself ({@code mov r32, r32}) unless it produced it.</li>
 * <li><b>Callee-saved</b>: {@link #CALLEE_SAVED} (rbx, rbp, r12–r15), exactly as SysV; a function saves only those
 *     it uses. Everything else is caller-saved (all xmm registers included). The direction flag is clear; RSP is
 *     16-byte aligned at every call instruction (so {@code rsp ≡ 8 mod 16} on entry).</li>
 * <li><b>Traps</b>: {@code mov edi, TrapCode.code(); call [r15 + VmContextLayout.raiseStub()]} — never returns
 *     (see {@code RuntimeStubs.raiseAddress()}); memory faults in the reservation/guard become traps through the
 *     signal shim. Frame pointers are optional: a function either starts with {@code push rbp; mov rbp, rsp} or
 *     never writes rbp, and describes its frame with a {@link FrameUnwind} table, which the runtime's backtrace
 *     walker reads ({@code runtime.stack.FrameWalker}). Stack overflow: see {@link StackGeometry} (an explicit
 *     check jumps to the raise stub before pushing anything, so the trap is attributed to the caller's call
 *     site); host exits check the limit themselves.</li>
 * <li><b>Tail calls</b> ({@code return_call}, {@code return_call_indirect}) are always jumps, so any chain of them
 *     runs in constant stack space. Two of them make the callee return to the original caller irregularly: a tail
 *     call into another instance (an import, or any {@code return_call_indirect}) returns with r15 = the other
 *     vmctx, and a tail call to a callee with another number of stack slots moves the return address (the top of
 *     the slot area stays where the original caller put it, the area is resized to the callee's), so it returns
 *     with rsp moved. Therefore: after a call through a func ref (import, {@code call_indirect}) the caller reloads
 *     r15 <em>and</em> resets rsp from rbp (after reading stack results at {@code [rsp + 8k]}, which is where the
 *     last callee left them); after a direct call it does so when the callee may return irregularly
 *     ({@code compiler.TailCallEffects}: the property propagates backwards through direct {@code return_call}s);
 *     entry adapters restore rsp from rbp.</li>
 * </ul>
 *
 * Because it is SysV plus r15, a function with only register arguments is directly callable from C once r15 is set.
 */
public final class WasmAbi {
    private WasmAbi() {}

    /** The pinned instance-context register. */
    public static final Gpr VMCTX = Gpr.R15;

    public static final List<Gpr> INT_ARGS = List.of(Gpr.RDI, Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8, Gpr.R9);
    public static final List<Xmm> FLOAT_ARGS = List.of(Xmm.XMM0, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3,
            Xmm.XMM4, Xmm.XMM5, Xmm.XMM6, Xmm.XMM7);
    public static final List<Gpr> INT_RESULTS = List.of(Gpr.RAX, Gpr.RDX);
    public static final List<Xmm> FLOAT_RESULTS = List.of(Xmm.XMM0, Xmm.XMM1);
    public static final List<Gpr> CALLEE_SAVED = List.of(Gpr.RBX, Gpr.RBP, Gpr.R12, Gpr.R13, Gpr.R14, Gpr.R15);

    /** Bytes of one stack slot (argument or result). */
    public static final int STACK_SLOT = 8;
}
