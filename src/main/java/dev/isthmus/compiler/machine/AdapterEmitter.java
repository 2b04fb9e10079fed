package dev.isthmus.compiler.machine;

import dev.isthmus.model.FuncType;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.HostRecordLayout;
import dev.isthmus.runtime.abi.ValueBuffer;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.SimdOp;

import java.util.List;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * Emits the two adapters of a function type that move values between a {@link ValueBuffer} and the
 * {@link dev.isthmus.runtime.abi.WasmAbi} locations. A v128 moves whole ({@code movdqu}, SSE2: adapters never need
 * more) between its 16-byte buffer slot and its xmm register, or as two 8-byte halves to and from its two stack
 * slots (low half first, {@link ValueLocations}).
 */
public final class AdapterEmitter {
    private AdapterEmitter() {}

    /**
     * Entry adapter {@code long adapter(vmctx=rdi, code=rsi, buffer=rdx)} (SysV): buffer → argument locations,
     * r15 = vmctx, call code, results → buffer, return 0.
     *
     * <pre>
     *   rbp      saved rbp
     *   rbp-8    saved rbx      (buffer)
     *   rbp-16   saved r15
     *   rsp+8k   stack slot k of the call
     * </pre>
     */
    /**
     * The unwind table of every adapter, offsets from its start: both kinds begin {@code push rbp; mov rbp, rsp}
     * ({@link #emitEntry}, {@link #emitHost}), so a backtrace walk that starts in an adapter (a host exit refused at
     * the stack limit) reaches the wasm caller.
     */
    public static final FrameUnwind UNWIND = new FrameUnwind.Builder()
            .at(0, FrameUnwind.step(false, 8, false))
            .at(1, FrameUnwind.step(false, 16, true))
            .at(4, FrameUnwind.step(true, 16, true))
            .build();

    public static void emitEntry(Assembler a, FuncType type) {
        ValueLocations params = ValueLocations.ofParams(type.params());
        ValueLocations results = ValueLocations.ofResults(type.results());
        int slots = Math.max(params.stackSlotCount(), results.stackSlotCount());
        int area = 8 * slots;
        if (area % 16 != 0) area += 8;
        a.push(Gpr.RBP);
        a.mov(QWORD, Gpr.RBP, Gpr.RSP);
        a.push(Gpr.RBX);
        a.push(Gpr.R15);
        if (area > 0) a.sub(QWORD, Gpr.RSP, area);
        a.mov(QWORD, Gpr.RBX, Gpr.RDX);
        a.mov(QWORD, Gpr.R11, Gpr.RSI);
        a.mov(QWORD, Gpr.R15, Gpr.RDI);
        List<ValType> ps = type.params();
        for (int i = 0; i < ps.size(); i++) {
            if (params.stackSlot(i) >= 0) {
                a.mov(QWORD, Gpr.RAX, buffer(Gpr.RBX, i));
                a.mov(QWORD, FrameLayout.outgoingSlot(params.stackSlot(i)), Gpr.RAX);
                if (ps.get(i) == ValType.V128) {
                    a.mov(QWORD, Gpr.RAX, buffer(Gpr.RBX, i, 8));
                    a.mov(QWORD, FrameLayout.outgoingSlot(params.stackSlot(i) + 1), Gpr.RAX);
                }
            }
        }
        for (int i = 0; i < ps.size(); i++) {
            if (params.gpr(i) != null) a.mov(QWORD, params.gpr(i), buffer(Gpr.RBX, i));
            else if (params.xmm(i) != null) {
                if (ps.get(i) == ValType.F32) a.movss(params.xmm(i), buffer(Gpr.RBX, i));
                else if (ps.get(i) == ValType.V128) a.simd(SimdOp.MOVDQU, params.xmm(i), buffer(Gpr.RBX, i));
                else a.movsd(params.xmm(i), buffer(Gpr.RBX, i));
            }
        }
        a.call(Gpr.R11);
        List<ValType> rs = type.results();
        for (int i = 0; i < rs.size(); i++) {
            if (results.gpr(i) != null) a.mov(QWORD, buffer(Gpr.RBX, i), results.gpr(i));
            else if (results.xmm(i) != null) {
                if (rs.get(i) == ValType.F32) a.movss(buffer(Gpr.RBX, i), results.xmm(i));
                else if (rs.get(i) == ValType.V128) a.simd(SimdOp.MOVDQU_ST, buffer(Gpr.RBX, i), results.xmm(i));
                else a.movsd(buffer(Gpr.RBX, i), results.xmm(i));
            }
        }
        for (int i = 0; i < rs.size(); i++) {
            if (results.stackSlot(i) >= 0) {
                a.mov(QWORD, Gpr.R11, FrameLayout.outgoingSlot(results.stackSlot(i)));
                a.mov(QWORD, buffer(Gpr.RBX, i), Gpr.R11);
                if (rs.get(i) == ValType.V128) {
                    a.mov(QWORD, Gpr.R11, FrameLayout.outgoingSlot(results.stackSlot(i) + 1));
                    a.mov(QWORD, buffer(Gpr.RBX, i, 8), Gpr.R11);
                }
            }
        }
        a.mov(DWORD, Gpr.RAX, 0);
        a.lea(QWORD, Gpr.RSP, Mem.of(Gpr.RBP, -16));
        a.pop(Gpr.R15);
        a.pop(Gpr.RBX);
        a.pop(Gpr.RBP);
        a.ret();
    }

    /**
     * Host-call adapter: a wasm function of {@code type} entered with r15 = host record; arguments → a buffer on the
     * stack, {@code status = bridge(hostRecord, buffer)}, raise a nonzero status, results ← buffer.
     *
     * <pre>
     *   rbp+16+8k  incoming stack slot k
     *   rbp        saved rbp
     *   rsp+16i    buffer slot i
     * </pre>
     */
    public static void emitHost(Assembler a, FuncType type) {
        ValueLocations params = ValueLocations.ofParams(type.params());
        ValueLocations results = ValueLocations.ofResults(type.results());
        int bufferBytes = ValueBuffer.SLOT * Math.max(1, Math.max(type.params().size(), type.results().size()));
        a.push(Gpr.RBP);
        a.mov(QWORD, Gpr.RBP, Gpr.RSP);
        a.sub(QWORD, Gpr.RSP, bufferBytes);
        List<ValType> ps = type.params();
        for (int i = 0; i < ps.size(); i++) {
            if (params.gpr(i) != null) a.mov(QWORD, buffer(Gpr.RSP, i), params.gpr(i));
            else if (params.xmm(i) != null) {
                if (ps.get(i) == ValType.V128) a.simd(SimdOp.MOVDQU_ST, buffer(Gpr.RSP, i), params.xmm(i));
                else a.movsd(buffer(Gpr.RSP, i), params.xmm(i));
            } else {
                a.mov(QWORD, Gpr.R11, FrameLayout.incomingSlot(params.stackSlot(i)));
                a.mov(QWORD, buffer(Gpr.RSP, i), Gpr.R11);
                if (ps.get(i) == ValType.V128) {
                    a.mov(QWORD, Gpr.R11, FrameLayout.incomingSlot(params.stackSlot(i) + 1));
                    a.mov(QWORD, buffer(Gpr.RSP, i, 8), Gpr.R11);
                }
            }
        }
        a.mov(QWORD, Gpr.RDI, Gpr.R15);
        a.mov(QWORD, Gpr.RSI, Gpr.RSP);
        a.call(Mem.of(Gpr.R15, (int) HostRecordLayout.BRIDGE));
        Label ok = a.newLabel();
        a.test(DWORD, Gpr.RAX, Gpr.RAX);
        a.jcc(dev.isthmus.x64.Cond.E, ok);
        a.mov(DWORD, Gpr.RDI, Gpr.RAX);
        a.call(Mem.of(Gpr.R15, (int) HostRecordLayout.RAISE));
        a.ud2();
        a.bind(ok);
        List<ValType> rs = type.results();
        for (int i = 0; i < rs.size(); i++) {
            if (results.gpr(i) != null) {
                a.mov(rs.get(i) == ValType.I32 ? DWORD : QWORD, results.gpr(i), buffer(Gpr.RSP, i));
            } else if (results.xmm(i) != null) {
                if (rs.get(i) == ValType.F32) a.movss(results.xmm(i), buffer(Gpr.RSP, i));
                else if (rs.get(i) == ValType.V128) a.simd(SimdOp.MOVDQU, results.xmm(i), buffer(Gpr.RSP, i));
                else a.movsd(results.xmm(i), buffer(Gpr.RSP, i));
            } else {
                a.mov(QWORD, Gpr.R11, buffer(Gpr.RSP, i));
                a.mov(QWORD, FrameLayout.incomingSlot(results.stackSlot(i)), Gpr.R11);
                if (rs.get(i) == ValType.V128) {
                    a.mov(QWORD, Gpr.R11, buffer(Gpr.RSP, i, 8));
                    a.mov(QWORD, FrameLayout.incomingSlot(results.stackSlot(i) + 1), Gpr.R11);
                }
            }
        }
        a.mov(QWORD, Gpr.RSP, Gpr.RBP);
        a.pop(Gpr.RBP);
        a.ret();
    }

    private static Mem buffer(Gpr base, int index) {
        return buffer(base, index, 0);
    }

    /** Byte {@code at} of buffer slot {@code index} (8: a v128's high half). */
    private static Mem buffer(Gpr base, int index, int at) {
        return Mem.of(base, (int) ValueBuffer.offset(index) + at);
    }
}
