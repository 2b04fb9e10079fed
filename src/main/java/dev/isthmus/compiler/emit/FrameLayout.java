package dev.isthmus.compiler.emit;

import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

import java.util.List;

import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * The stack frame of a compiled function, and the one place that builds and tears it down (prologue variants plug
 * in here). All slots are addressed from rbp, so the body does not depend on the final frame size; only the
 * prologue's {@code sub rsp, N} does, and it is emitted after the body is known.
 *
 * <pre>
 *            ┌──────────────────────────────┐
 *   rbp+16+8k│ incoming stack slot k        │  arguments / results beyond the registers (caller's area)
 *   rbp+8    │ return address               │
 *   rbp      │ saved rbp                    │  frame-pointer chain, walked by backtraces
 *   rbp-8    │ saved callee-saved registers │  only those the function uses, in push order; r15 (vmctx)
 *            │                              │  when it calls other instances, reloaded after each such call
 *            ├──────────────────────────────┤
 *            │ local slots 0..              │  locals that did not get a register
 *            ├──────────────────────────────┤
 *            │ operand slot 0..maxDepth-1   │  wasm operand stack positions, when spilled
 *            ├──────────────────────────────┤
 *   rsp+8k   │ outgoing stack slot k        │  stack arguments / results of calls
 *   rsp      └──────────────────────────────┘  16-byte aligned at every call
 * </pre>
 */
public final class FrameLayout {
    /** Frames larger than this touch every page on the way down (the wasm stack's guard is one page or more). */
    public static final int PROBE_INTERVAL = 4096;

    private final List<Gpr> saved;
    private final int localSlots;

    /**
     * @param saved      callee-saved registers the function uses (pushed after rbp, popped in reverse)
     * @param localSlots number of local slots
     */
    public FrameLayout(List<Gpr> saved, int localSlots) {
        this.saved = List.copyOf(saved);
        this.localSlots = localSlots;
    }

    public List<Gpr> savedRegisters() {
        return saved;
    }

    /** Where the prologue pushed callee-saved register {@code r}. */
    public Mem savedSlot(Gpr r) {
        int i = saved.indexOf(r);
        if (i < 0) throw new IllegalArgumentException(r + " is not saved");
        return Mem.of(Gpr.RBP, -8 * (i + 1));
    }

    /** How many local slots the frame has. */
    public int localSlotCount() {
        return localSlots;
    }

    /** Local slot {@code k}. */
    public Mem localSlot(int k) {
        return Mem.of(Gpr.RBP, -(8 * saved.size() + 8 * (k + 1)));
    }

    /** The slot of operand-stack position {@code p}. */
    public Mem operandSlot(int p) {
        return Mem.of(Gpr.RBP, -(8 * saved.size() + 8 * localSlots + 8 * (p + 1)));
    }

    /** Incoming stack slot {@code k} (the caller's argument/result area). */
    public static Mem incomingSlot(int k) {
        return Mem.of(Gpr.RBP, 16 + 8 * k);
    }

    /** Outgoing stack slot {@code k} of a call made by this function. */
    public static Mem outgoingSlot(int k) {
        return Mem.of(Gpr.RSP, 8 * k);
    }

    /** The bytes below the saved registers: local, operand and outgoing slots, keeping rsp 16-byte aligned. */
    public int frameBytes(int operandSlots, int outgoingSlots) {
        long bytes = 8L * (localSlots + operandSlots + outgoingSlots);
        if ((8L * saved.size() + bytes) % 16 != 0) bytes += 8;
        if (bytes > Integer.MAX_VALUE / 2) throw new IllegalStateException("frame too large: " + bytes);
        return (int) bytes;
    }

    /** {@code push rbp; mov rbp, rsp; push saved...; sub rsp, frameBytes} (page by page when large). */
    public void emitPrologue(Assembler a, int frameBytes) {
        a.push(Gpr.RBP);
        a.mov(QWORD, Gpr.RBP, Gpr.RSP);
        for (Gpr r : saved) a.push(r);
        if (frameBytes > PROBE_INTERVAL) {
            int pages = frameBytes / PROBE_INTERVAL;
            a.mov(QWORD, Gpr.R11, pages);
            Label loop = a.newLabel();
            a.bind(loop);
            a.sub(QWORD, Gpr.RSP, PROBE_INTERVAL);
            a.alu(dev.isthmus.x64.AluOp.OR, QWORD, Mem.of(Gpr.RSP), 0);
            a.dec(QWORD, Gpr.R11);
            a.jcc(dev.isthmus.x64.Cond.NE, loop);
            int rest = frameBytes - pages * PROBE_INTERVAL;
            if (rest > 0) a.sub(QWORD, Gpr.RSP, rest);
        } else if (frameBytes > 0) {
            a.sub(QWORD, Gpr.RSP, frameBytes);
        }
    }

    /**
     * Restores the callee-saved registers and rbp, leaving rsp at the return address (for tail calls). The first
     * instruction, {@code add rsp, frameBytes}, is emitted before the frame size is known:
     * {@link #patchRestores} fills in the size, or turns it into a nop when the frame is empty. (Restoring rsp from
     * rbp instead, {@code lea rsp, [rbp - 8n]} or {@code mov rsp, rbp}, measured up to twice as slow on call-heavy
     * code.)
     */
    public void emitTeardown(Assembler a) {
        if (restoreCount == restores.length) restores = java.util.Arrays.copyOf(restores, restores.length * 2);
        restores[restoreCount++] = a.position();
        a.emitBytes((byte) 0x48, (byte) 0x81, (byte) 0xC4, (byte) 0, (byte) 0, (byte) 0, (byte) 0); // add rsp, imm32
        for (int i = saved.size() - 1; i >= 0; i--) a.pop(saved.get(i));
        a.pop(Gpr.RBP);
    }

    /** Offsets of the {@code add rsp, imm32} emitted by {@link #emitTeardown}. */
    private int[] restores = new int[4];
    private int restoreCount;

    /**
     * {@code lea rsp, [rbp - (8 * saved + frameBytes)]}: rsp back to its post-prologue value after a call whose
     * callee may return with rsp moved (a tail call that resized the argument area, see {@code WasmAbi}). Emitted
     * before the frame size is known; {@link #patchRestores} fills in the displacement.
     */
    public void emitStackReset(Assembler a) {
        if (resetCount == resets.length) resets = java.util.Arrays.copyOf(resets, resets.length * 2);
        resets[resetCount++] = a.position();
        a.emitBytes((byte) 0x48, (byte) 0x8D, (byte) 0xA5, (byte) 0, (byte) 0, (byte) 0, (byte) 0); // lea rsp, [rbp+d32]
    }

    /** Offsets of the {@code lea rsp, [rbp + disp32]} emitted by {@link #emitStackReset}. */
    private int[] resets = new int[4];
    private int resetCount;

    /**
     * Completes the rsp restores and resets in {@code body} (the code the teardowns were emitted into) for
     * {@code frameBytes}.
     */
    public void patchRestores(byte[] body, int frameBytes) {
        int reset = -(8 * saved.size() + frameBytes);
        for (int i = 0; i < resetCount; i++) {
            int at = resets[i] + 3;
            body[at] = (byte) reset;
            body[at + 1] = (byte) (reset >> 8);
            body[at + 2] = (byte) (reset >> 16);
            body[at + 3] = (byte) (reset >> 24);
        }
        for (int i = 0; i < restoreCount; i++) {
            int at = restores[i];
            if (frameBytes == 0) {
                byte[] nop7 = {0x0F, 0x1F, (byte) 0x80, 0, 0, 0, 0};
                System.arraycopy(nop7, 0, body, at, 7);
            } else {
                body[at + 3] = (byte) frameBytes;
                body[at + 4] = (byte) (frameBytes >> 8);
                body[at + 5] = (byte) (frameBytes >> 16);
                body[at + 6] = (byte) (frameBytes >> 24);
            }
        }
    }

    /** {@link #emitTeardown} then {@code ret}. */
    public void emitEpilogue(Assembler a) {
        emitTeardown(a);
        a.ret();
    }
}
