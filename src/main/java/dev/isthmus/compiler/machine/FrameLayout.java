package dev.isthmus.compiler.machine;

import dev.isthmus.options.StackCheck;
import dev.isthmus.runtime.abi.FrameUnwind;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.Xmm;

import java.util.List;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * The stack frame of a compiled function, and the one place that builds and tears it down: the prologue (with the
 * {@link StackCheck} variant's check, see {@link StackCheckEmitter}), the epilogues, and the function's
 * {@link FrameUnwind} table, recorded while the prologue is emitted. The frame size is fixed before the body is
 * emitted ({@link #emitPrologue} comes first), so every teardown is exact.
 *
 * <pre>
 *   with frame pointer                                   without (optimizing tier only)
 *            ┌──────────────────────────────┐
 *   rbp+16+8k│ incoming stack slot k        │            (the tier has no stack arguments)
 *   rbp+8    │ return address               │            rsp+f+8n      return address
 *   rbp      │ saved rbp                    │            —             (rbp never written)
 *   rbp-8    │ saved callee-saved registers │            rsp+f+8(n-1-i) saved register i (push order)
 *            ├──────────────────────────────┤
 *   rbp-8n-    │ local slot k                 │            rsp+f-s(k+1)  local slot k
 *    s(k+1)  ├──────────────────────────────┤
 *            │ operand slot 0..maxDepth-1   │            (baseline only)
 *            ├──────────────────────────────┤
 *   rsp+8k   │ outgoing stack slot k        │            (baseline only)
 *   rsp      └──────────────────────────────┘            rsp
 * </pre>
 * n = saved registers, f = {@link #frameBytes} (slots and padding), s = the slot size: 8 bytes, or 16 in a
 * function that handles v128 values (then every local and operand slot is 16 bytes, so a v128 fits any slot and
 * slot numbering does not depend on types; the slot's address is its low end, where 8-byte values live too).
 * Incoming and outgoing slots are the ABI's and always 8 bytes (a v128 takes two consecutive ones, low half first). RSP is 16-byte aligned in the body of every
 * function that calls; a function without a frame pointer that saves nothing, has no slots and makes no calls has
 * no frame at all (its trap sites, if any, align RSP themselves, see {@link #emitRaise}).
 *
 * <p>The optimizing tier knows f before it emits the body. The single-pass baseline learns it only at the end, so
 * it emits a <em>provisional</em> frame ({@link #emitProvisionalPrologue}): every instruction whose immediate
 * depends on f ({@code sub rsp}, {@code add rsp}, {@code lea rsp, [rbp - ...]}, the large-frame stack-check
 * immediates) takes its 32-bit form, and {@link #complete} fills in the real size afterwards. That works whenever
 * the guess and the real size agree on whether there is a frame at all and on the stack check's
 * {@link StackCheckEmitter#sizeClass size class}; otherwise the caller compiles the function again with the size
 * it now knows.
 */
public final class FrameLayout {
    private final List<Gpr> saved;
    private final int localSlots;
    private final StackCheck check;
    private final boolean framePointer;
    private final boolean makesCalls;
    private final boolean entryPoll;
    /** Bytes per local and operand slot: 8, or 16 when the function handles v128 values. */
    private final int slotBytes;
    private int frameBytes = -1;
    private int entry;
    private final FrameUnwind.Builder unwind = new FrameUnwind.Builder();
    private Label overflow;
    private boolean provisional;
    private int siteCount;
    /** imm32 fields holding {@code sign * frameBytes + bias}, filled in by {@link #complete}. */
    private int[] sitePositions = new int[8];
    private int[] siteSigns = new int[8];
    private long[] siteBiases = new long[8];

    /**
     * @param saved        callee-saved registers the function uses (pushed after rbp, popped in reverse)
     * @param localSlots   number of local slots
     * @param check        the stack-check variant of the prologue
     * @param framePointer whether rbp is set up as the frame pointer (slots then rbp-relative)
     * @param makesCalls   whether the body calls (RSP must then be 16-byte aligned in the body)
     */
    public FrameLayout(List<Gpr> saved, int localSlots, StackCheck check, boolean framePointer, boolean makesCalls) {
        this(saved, localSlots, check, framePointer, makesCalls, false);
    }

    /**
     * As {@link #FrameLayout(List, int, StackCheck, boolean, boolean)}; with {@code entryPoll} the prologue starts
     * with the {@link SafepointPoll} (functions that call: recursion is then interruptible).
     */
    public FrameLayout(List<Gpr> saved, int localSlots, StackCheck check, boolean framePointer, boolean makesCalls,
                       boolean entryPoll) {
        this(saved, localSlots, check, framePointer, makesCalls, entryPoll, 8);
    }

    /**
     * As {@link #FrameLayout(List, int, StackCheck, boolean, boolean, boolean)} with local and operand slots of
     * {@code slotBytes} (8, or 16 for functions that handle v128 values).
     */
    public FrameLayout(List<Gpr> saved, int localSlots, StackCheck check, boolean framePointer, boolean makesCalls,
                       boolean entryPoll, int slotBytes) {
        if (slotBytes != 8 && slotBytes != 16) throw new IllegalArgumentException("slot size " + slotBytes);
        this.slotBytes = slotBytes;
        this.entryPoll = entryPoll;
        if (saved.contains(Gpr.RBP)) throw new IllegalArgumentException("rbp is the frame pointer or untouched");
        this.saved = List.copyOf(saved);
        this.localSlots = localSlots;
        this.check = check;
        this.framePointer = framePointer;
        this.makesCalls = makesCalls;
    }

    public List<Gpr> savedRegisters() {
        return saved;
    }

    /** Whether the frame keeps rbp as its frame pointer. */
    public boolean framePointer() {
        return framePointer;
    }

    /** Where the prologue pushed callee-saved register {@code r}. */
    public Mem savedSlot(Gpr r) {
        int i = saved.indexOf(r);
        if (i < 0) throw new IllegalArgumentException(r + " is not saved");
        if (framePointer) return Mem.of(Gpr.RBP, -8 * (i + 1));
        return Mem.of(Gpr.RSP, fixedFrameBytes() + 8 * (saved.size() - 1 - i));
    }

    /** How many local slots the frame has. */
    public int localSlotCount() {
        return localSlots;
    }

    /** Bytes per local and operand slot (8, or 16 in functions that handle v128 values). */
    public int slotBytes() {
        return slotBytes;
    }

    /** Local slot {@code k} (its low end). */
    public Mem localSlot(int k) {
        if (framePointer) return Mem.of(Gpr.RBP, -(8 * saved.size() + slotBytes * (k + 1)));
        return Mem.of(Gpr.RSP, fixedFrameBytes() - slotBytes * (k + 1));
    }

    /** The slot of operand-stack position {@code p} (frame pointer only). */
    public Mem operandSlot(int p) {
        if (!framePointer) throw new IllegalStateException("operand slots need the frame pointer");
        return Mem.of(Gpr.RBP, -(8 * saved.size() + slotBytes * localSlots + slotBytes * (p + 1)));
    }

    /** Incoming stack slot {@code k} (the caller's argument/result area), in a frame with a frame pointer. */
    public static Mem incomingSlot(int k) {
        return Mem.of(Gpr.RBP, 16 + 8 * k);
    }

    /** Outgoing stack slot {@code k} of a call made by this function. */
    public static Mem outgoingSlot(int k) {
        return Mem.of(Gpr.RSP, 8 * k);
    }

    /**
     * The bytes below the saved registers: local, operand and outgoing slots, plus 8 bytes of padding when a
     * function that calls would otherwise run with RSP not 16-byte aligned.
     */
    public int frameBytes(int operandSlots, int outgoingSlots) {
        long bytes = (long) slotBytes * (localSlots + operandSlots) + 8L * outgoingSlots;
        if (makesCalls && !aligned(bytes)) bytes += 8;
        if (bytes > Integer.MAX_VALUE / 2) throw new IllegalStateException("frame too large: " + bytes);
        return (int) bytes;
    }

    /** Whether the body runs with RSP 16-byte aligned given {@code bytes} below the saved registers. */
    private boolean aligned(long bytes) {
        return (8 + pushedBytes() + bytes) % 16 == 0;       // the return address, rbp, saved registers, slots
    }

    /** Bytes the prologue pushes (rbp and the saved registers). */
    private int pushedBytes() {
        return 8 * (saved.size() + (framePointer ? 1 : 0));
    }

    /** The frame size fixed by {@link #emitPrologue}. */
    public int fixedFrameBytes() {
        if (frameBytes < 0) throw new IllegalStateException("the frame size is fixed by the prologue");
        return frameBytes;
    }

    /**
     * Emits the prologue at the function's entry (the current position): the safepoint poll (if asked for), the
     * stack check, {@code push rbp;
     * mov rbp, rsp} when keeping the frame pointer, the saved registers, {@code sub rsp, frameBytes}; records the
     * unwind step after each instruction that moves the CFA's base.
     */
    public void emitPrologue(Assembler a, int frameBytes) {
        emitPrologue(a, frameBytes, false);
    }

    /**
     * As {@link #emitPrologue} for a frame size that is only a guess: every immediate that depends on it, here and
     * in the teardowns and stack resets emitted later, is a 32-bit field {@link #complete} fills in (frame pointer
     * only: the unwind steps then do not depend on the size).
     */
    public void emitProvisionalPrologue(Assembler a, int guessedFrameBytes) {
        if (!framePointer) throw new IllegalStateException("a provisional frame needs the frame pointer");
        emitPrologue(a, guessedFrameBytes, true);
    }

    private void emitPrologue(Assembler a, int frameBytes, boolean provisional) {
        if (this.frameBytes >= 0) throw new IllegalStateException("prologue already emitted");
        this.frameBytes = frameBytes;
        this.provisional = provisional;
        this.entry = a.position();
        int pushed = pushedBytes();
        int below = pushed + frameBytes;                     // bytes below the return address
        unwind.at(0, FrameUnwind.step(false, 8, false));
        if (entryPoll) SafepointPoll.emit(a);
        overflow = StackCheckEmitter.emit(a, check, below, !provisional ? null
                : (position, sign, bias) -> site(position, sign, bias + (long) sign * pushed));
        int cfa = 8;
        if (framePointer) {
            a.push(Gpr.RBP);
            cfa += 8;
            unwind.at(offset(a), FrameUnwind.step(false, cfa, true));
            a.mov(QWORD, Gpr.RBP, Gpr.RSP);
            unwind.at(offset(a), FrameUnwind.step(true, 16, true));
        }
        for (Gpr r : saved) {
            a.push(r);
            cfa += 8;
            if (!framePointer) unwind.at(offset(a), FrameUnwind.step(false, cfa, false));
        }
        if (frameBytes > 0) {
            if (provisional) {
                frameSizeField(a, 1, 0, SUB_RSP_IMM32);
            } else {
                a.sub(QWORD, Gpr.RSP, frameBytes);
            }
            cfa += frameBytes;
            if (!framePointer) unwind.at(offset(a), FrameUnwind.step(false, cfa, false));
        }
        if (!saved.isEmpty()) {
            int[] encodings = new int[saved.size()];
            for (int i = 0; i < encodings.length; i++) encodings[i] = saved.get(i).encoding();
            unwind.amendLast(step -> FrameUnwind.withSaved(step, encodings));
        }
    }

    /** {@code sub rsp, imm32}, {@code add rsp, imm32}, {@code lea rsp, [rbp + disp32]}: opcode bytes before the field. */
    private static final byte[] SUB_RSP_IMM32 = {0x48, (byte) 0x81, (byte) 0xEC};
    private static final byte[] ADD_RSP_IMM32 = {0x48, (byte) 0x81, (byte) 0xC4};
    private static final byte[] LEA_RSP_RBP_DISP32 = {0x48, (byte) 0x8D, (byte) 0xA5};

    /**
     * Emits {@code opcode} with a 32-bit field (always that width, whatever the final value) that {@link #complete}
     * fills in with {@code sign * frameBytes + bias}.
     */
    private void frameSizeField(Assembler a, int sign, long bias, byte[] opcode) {
        a.emitBytes(opcode);
        a.emitBytes((byte) 0, (byte) 0, (byte) 0, (byte) 0);
        site(a.position() - 4, sign, bias);
    }

    private void site(int position, int sign, long bias) {
        if (siteCount == sitePositions.length) {
            sitePositions = java.util.Arrays.copyOf(sitePositions, siteCount * 2);
            siteSigns = java.util.Arrays.copyOf(siteSigns, siteCount * 2);
            siteBiases = java.util.Arrays.copyOf(siteBiases, siteCount * 2);
        }
        sitePositions[siteCount] = position;
        siteSigns[siteCount] = sign;
        siteBiases[siteCount++] = bias;
    }

    /**
     * Gives a provisional frame its real size {@code frameBytes}, filling in the immediates in {@code code} (the
     * finished code the prologue and body were emitted into); returns false when the code cannot take that size
     * (frame present in one and absent in the other, or another stack-check size class) and must be emitted again.
     * For an exact frame, true exactly when the size is the one emitted.
     */
    public boolean complete(byte[] code, int frameBytes) {
        int guess = fixedFrameBytes();
        if (!provisional) return frameBytes == guess;
        if ((guess == 0) != (frameBytes == 0)
                || StackCheckEmitter.sizeClass(check, pushedBytes() + guess)
                != StackCheckEmitter.sizeClass(check, pushedBytes() + frameBytes)) {
            return false;
        }
        for (int i = 0; i < siteCount; i++) {
            long value = siteSigns[i] * (long) frameBytes + siteBiases[i];
            if (value != (int) value) return false;
            int at = sitePositions[i];
            code[at] = (byte) value;
            code[at + 1] = (byte) (value >> 8);
            code[at + 2] = (byte) (value >> 16);
            code[at + 3] = (byte) (value >> 24);
        }
        this.frameBytes = frameBytes;
        return true;
    }

    private int offset(Assembler a) {
        return a.position() - entry;
    }

    /** The offset of {@code position} (an assembler position) from the function's entry, as unwind tables count. */
    public int offsetOf(int position) {
        return position - entry;
    }

    /**
     * Restores the callee-saved registers and rbp, leaving rsp at the return address (for tail calls):
     * {@code add rsp, frameBytes} (only when there is a frame), the pops. (Restoring rsp from rbp instead,
     * {@code lea rsp, [rbp - 8n]} or {@code mov rsp, rbp}, measured up to twice as slow on call-heavy code.)
     */
    public void emitTeardown(Assembler a) {
        int f = fixedFrameBytes();
        if (f > 0 && provisional) {
            frameSizeField(a, 1, 0, ADD_RSP_IMM32);
        } else if (f > 0) {
            a.add(QWORD, Gpr.RSP, f);
        }
        for (int i = saved.size() - 1; i >= 0; i--) a.pop(saved.get(i));
        if (framePointer) a.pop(Gpr.RBP);
    }

    /**
     * The teardown of a tail call whose callee needs {@code extraSlots} more incoming stack slots than this function
     * (fewer when negative), with its {@code stagedSlots} stack arguments staged in the outgoing slots: the return
     * address moves down by d = 8 * extraSlots, so the top of the area stays where the original caller put it and
     * the area is always exactly the running function's (a chain of tail calls stays within the largest area).
     * Frame pointer only; leaves rsp at the moved return address, rbp and the callee-saved registers restored;
     * clobbers rax, r11 and xmm15.
     * <pre>
     *   before (our frame)                     after (callee entered by jmp)
     *   rbp+16+8k  incoming slot k (n_f)       rbp+16-d+8k  callee's slot k (n_g = n_f + d/8)
     *   rbp+8      return address              rbp+8-d      return address   = rsp
     *   rbp        saved rbp, saved registers  (rbp, callee-saved registers restored)
     *   rsp+8k     outgoing slot k (staged)
     * </pre>
     * The return address, the caller's rbp and the callee-saved registers are read first, then the staged slots
     * are copied from the highest: every target lies above its source (rbp - rsp covers the staged area, which is
     * at least d), so no slot is overwritten before it is read. The callee returns with rsp moved by -d; callers
     * reset rsp (WasmAbi).
     */
    public void emitResizingTeardown(Assembler a, int extraSlots, int stagedSlots) {
        if (!framePointer) throw new IllegalStateException("a resizing tail call needs the frame pointer");
        int d = 8 * extraSlots;
        a.mov(QWORD, Gpr.RAX, Mem.of(Gpr.RBP, 8));
        a.mov(QWORD, Gpr.R11, Mem.of(Gpr.RBP, 0));
        for (Gpr r : saved) a.mov(QWORD, r, savedSlot(r));
        for (int k = stagedSlots - 1; k >= 0; k--) {
            a.movsd(Xmm.XMM15, outgoingSlot(k));
            a.movsd(Mem.of(Gpr.RBP, 16 - d + 8 * k), Xmm.XMM15);
        }
        a.lea(QWORD, Gpr.RSP, Mem.of(Gpr.RBP, 8 - d));
        a.mov(QWORD, Mem.of(Gpr.RSP), Gpr.RAX);
        a.mov(QWORD, Gpr.RBP, Gpr.R11);
    }

    /** {@link #emitTeardown} then {@code ret}. */
    public void emitEpilogue(Assembler a) {
        emitTeardown(a);
        a.ret();
    }

    /**
     * {@code lea rsp, [rbp - (8 * saved + frameBytes)]}: rsp back to its post-prologue value after a call whose
     * callee may return with rsp moved (a tail call that resized the argument area, see {@code WasmAbi}). Only
     * frames with a frame pointer can do this, so functions making such calls keep it.
     */
    public void emitStackReset(Assembler a) {
        if (!framePointer) throw new IllegalStateException("resetting rsp needs the frame pointer");
        if (provisional) {
            frameSizeField(a, -1, -8L * saved.size(), LEA_RSP_RBP_DISP32);
        } else {
            a.lea(QWORD, Gpr.RSP, Mem.of(Gpr.RBP, -(8 * saved.size() + fixedFrameBytes())));
        }
    }

    /**
     * A trap site: {@code mov edi, code; call [r15 + raiseStub]; ud2}, preceded by {@code sub rsp, 8} when the body
     * runs with RSP not 16-byte aligned (a function without frame pointer and calls), with its unwind step.
     */
    public void emitRaise(Assembler a, TrapCode kind, int raiseStub) {
        if (!aligned(fixedFrameBytes())) {
            a.sub(QWORD, Gpr.RSP, 8);
            if (!framePointer) {                            // (with it, the rbp-based step stays right)
                unwind.at(offset(a), FrameUnwind.step(false, 8 + pushedBytes() + fixedFrameBytes() + 8, false));
            }
        }
        a.mov(DWORD, Gpr.RDI, kind.code());
        a.call(Mem.of(Gpr.R15, raiseStub));
        a.ud2();
    }

    /**
     * The explicit checks' overflow path, emitted once after all other code of the function when a check branches
     * to it: reached before anything is pushed, it jumps (not calls) to raise, which then sees the function's
     * return address at [rsp] and attributes the trap to the caller's call site.
     * <pre>
     *   overflow: mov edi, CALL_STACK_EXHAUSTED; jmp [r15 + raiseStub]
     * </pre>
     */
    public void emitOverflowPath(Assembler a, int raiseStub) {
        if (overflow == null) return;
        a.bind(overflow);
        unwind.at(offset(a), FrameUnwind.step(false, 8, false));
        a.mov(DWORD, Gpr.RDI, TrapCode.CALL_STACK_EXHAUSTED.code());
        a.jmp(Mem.of(Gpr.R15, raiseStub));
    }

    /** The unwind table of the function (offsets from its entry). */
    public FrameUnwind unwind() {
        return unwind.build();
    }
}
