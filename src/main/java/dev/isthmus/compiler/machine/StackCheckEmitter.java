package dev.isthmus.compiler.machine;

import dev.isthmus.options.StackCheck;
import dev.isthmus.runtime.abi.StackGeometry;
import dev.isthmus.runtime.abi.ThreadContextLayout;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Assembler;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Label;
import dev.isthmus.x64.Mem;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/**
 * The first instructions of every compiled function: its {@link StackCheck} variant, for a frame that will
 * allocate {@code frame} bytes below the return address (pushes included). Only r11 is used (a scratch register
 * of the wasm ABI); nothing is pushed, so the explicit variants branch to an overflow path with the stack as the
 * caller left it.
 *
 * <pre>
 *   guard-page        (nothing; frames over PROBE_INTERVAL touch each page below rsp, see probePages)
 *   probe             test [rsp - PROBE_DISTANCE], eax          (+ probePages below it for large frames)
 *   explicit-pinned   test esp, WINDOW_MASK; jz overflow        frame ≤ MAX_UNCHECKED_FRAME
 *                     mov r11, rsp; and r11, -ALIGNMENT         larger frames: rsp - frame ≥ limit
 *                     add r11, WINDOW + frame; cmp rsp, r11; jb overflow
 *   explicit          mov r11, rsp; and r11, -ALIGNMENT         the stack header's context pointer,
 *                     mov r11, [r11 + CONTEXT_SLOT]             then the context's limit (wasmtime's shape)
 *                     mov r11, [r11 + STACK_LIMIT]
 *                     (add r11, frame)                          frame > MAX_UNCHECKED_FRAME
 *                     cmp rsp, r11; jb overflow
 * </pre>
 */
public final class StackCheckEmitter {
    private StackCheckEmitter() {
    }

    /** Page size of the stack: frames larger than this touch every page on the way down. */
    public static final int PROBE_INTERVAL = 4096;
    /** The largest frame a {@code probe} prologue allocates after its single probe. */
    public static final int PROBED_FRAME = PROBE_INTERVAL;
    /**
     * Distance of the {@code probe} variant's stack bang below RSP: the largest frame allocated without further
     * probes plus 8 KiB, so the guard faults while RSP still has at least 8 KiB of accessible stack above it.
     */
    public static final int PROBE_DISTANCE = PROBED_FRAME + (8 << 10);

    /** Receives the 32-bit immediates that depend on the frame size: the field at {@code position} holds
     * {@code sign * frame + bias}. */
    public interface FrameImmediates {
        void at(int position, int sign, long bias);
    }

    /**
     * Which shape {@code check} takes for a frame of {@code frame} bytes: frames of one class get the same
     * instructions (only frame-size immediates differ), see {@link FrameImmediates}.
     */
    public static int sizeClass(StackCheck check, int frame) {
        return switch (check) {
            case GUARD_PAGE -> frame > PROBE_INTERVAL ? 1 : 0;
            case PROBE -> frame > PROBED_FRAME ? 1 : 0;
            case EXPLICIT_PINNED, EXPLICIT -> frame > StackGeometry.MAX_UNCHECKED_FRAME ? 1 : 0;
        };
    }

    /**
     * Emits {@code check} for a frame of {@code frame} bytes below the return address; returns the overflow label
     * the check branches to (explicit variants; the caller binds it, see {@link FrameLayout#emitOverflowPath}), or
     * null.
     */
    public static Label emit(Assembler a, StackCheck check, int frame) {
        return emit(a, check, frame, null);
    }

    /**
     * As {@link #emit(Assembler, StackCheck, int)}, reporting every immediate that depends on the frame size to
     * {@code immediates} (when not null) so it can be filled in later; such immediates are 32-bit fields.
     */
    public static Label emit(Assembler a, StackCheck check, int frame, FrameImmediates immediates) {
        switch (check) {
            case GUARD_PAGE -> {
                if (frame > PROBE_INTERVAL) probePages(a, 0, frame, immediates);
                return null;
            }
            case PROBE -> {
                a.test(DWORD, Mem.of(Gpr.RSP, -PROBE_DISTANCE), Gpr.RAX);
                if (frame > PROBED_FRAME) probePages(a, PROBE_DISTANCE, frame, immediates);
                return null;
            }
            case EXPLICIT_PINNED -> {
                Label overflow = a.newLabel();
                if (frame <= StackGeometry.MAX_UNCHECKED_FRAME) {
                    a.test(DWORD, Gpr.RSP, StackGeometry.WINDOW_MASK);
                    a.jcc(Cond.E, overflow);
                } else {
                    stackBase(a);
                    a.add(QWORD, Gpr.R11, (long) StackGeometry.WINDOW + frame);   // > 127: an imm32
                    if (immediates != null) immediates.at(a.position() - 4, 1, StackGeometry.WINDOW);
                    a.cmp(QWORD, Gpr.RSP, Gpr.R11);
                    a.jcc(Cond.B, overflow);
                }
                return overflow;
            }
            case EXPLICIT -> {
                Label overflow = a.newLabel();
                stackBase(a);
                a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R11, StackGeometry.CONTEXT_SLOT));
                a.mov(QWORD, Gpr.R11, Mem.of(Gpr.R11, (int) ThreadContextLayout.STACK_LIMIT));
                if (frame > StackGeometry.MAX_UNCHECKED_FRAME) {
                    a.add(QWORD, Gpr.R11, frame);                                  // > 127: an imm32
                    if (immediates != null) immediates.at(a.position() - 4, 1, 0);
                }
                a.cmp(QWORD, Gpr.RSP, Gpr.R11);
                a.jcc(Cond.B, overflow);
                return overflow;
            }
            default -> throw new IllegalArgumentException(check.toString());
        }
    }

    /** {@code mov r11, rsp; and r11, -ALIGNMENT}: the base of the stack region RSP is in. */
    private static void stackBase(Assembler a) {
        a.mov(QWORD, Gpr.R11, Gpr.RSP);
        a.alu(AluOp.AND, QWORD, Gpr.R11, -StackGeometry.ALIGNMENT);
    }

    /**
     * Touches one word in every page from {@code rsp - distance - PROBE_INTERVAL} down to
     * {@code rsp - distance - frame} without moving RSP (r11 is the cursor's offset from RSP), so the guard faults
     * before a large frame can skip over it:
     * <pre>
     *   mov r11, -(distance + 4096)
     *   L: test [rsp + r11], eax
     *      sub r11, 4096
     *      cmp r11, -(distance + frame)
     *      jge L
     * </pre>
     */
    private static void probePages(Assembler a, int distance, int frame, FrameImmediates immediates) {
        a.mov(QWORD, Gpr.R11, -((long) distance + PROBE_INTERVAL));
        Label loop = a.newLabel();
        a.bind(loop);
        a.test(DWORD, Mem.of(Gpr.RSP, Gpr.R11, 1, 0), Gpr.RAX);
        a.sub(QWORD, Gpr.R11, PROBE_INTERVAL);
        a.cmp(QWORD, Gpr.R11, -((long) distance + frame));                  // < -128: an imm32
        if (immediates != null) immediates.at(a.position() - 4, -1, -distance);
        a.jcc(Cond.GE, loop);
    }
}
