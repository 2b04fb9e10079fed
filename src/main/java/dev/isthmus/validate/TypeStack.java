package dev.isthmus.validate;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ValType;

/**
 * The operand stack and the control stack of the spec's validation algorithm (appendix "Validation Algorithm").
 * Operand types are {@link ValType}s, with {@code null} standing for the algorithm's {@code Unknown}: the type of a
 * value popped from the polymorphic stack that follows an unconditional branch. An operand matches an expected type
 * when it is a subtype of it (typed function references: {@code (ref $t)} matches {@code funcref}).
 *
 * <pre>
 *   operands:  | i32 | f64 | i32 | v128 |             top -&gt;
 *              ^ frame 0 height  ^ frame 1 height (block entered here)
 *   frames:    [ function block ][ block ]            innermost last
 * </pre>
 *
 * A frame's operands are those above its height; popping below it fails, unless the frame is unreachable, in which
 * case the pop yields {@code Unknown}. Every violation is a {@link ValidationFailure} "type mismatch".
 */
final class TypeStack {
    private static final String TYPE_MISMATCH = "type mismatch";

    private ValType[] values = new ValType[64];
    private int size;
    private ControlFrame[] frames = new ControlFrame[16];
    private int depth;
    private ValType[] scratch = new ValType[16];
    private final ModuleContext context;

    /** Operand types are compared by {@code context}'s subtyping ({@link ModuleContext#matches}). */
    TypeStack(ModuleContext context) {
        this.context = context;
    }

    /** Empties both stacks (before the next function). */
    void reset() {
        size = 0;
        depth = 0;
    }

    void push(ValType type) {
        if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
        values[size++] = type;
    }

    void push(ValType[] types) {
        for (ValType t : types) push(t);
    }

    /** Pops any operand; {@code null} (Unknown) from the polymorphic base of an unreachable frame. */
    ValType pop() {
        ControlFrame frame = frames[depth - 1];
        if (size == frame.height) {
            if (frame.unreachable) return null;
            throw new ValidationFailure(TYPE_MISMATCH);
        }
        return values[--size];
    }

    /** Pops an operand of type {@code expected} ({@code null}: any); returns the actual type (maybe Unknown). */
    ValType pop(ValType expected) {
        ValType actual = pop();
        if (!context.matches(actual, expected)) throw new ValidationFailure(TYPE_MISMATCH);
        return actual;
    }

    /** Pops operands of the given types, the last one first. */
    void pop(ValType[] expected) {
        for (int i = expected.length - 1; i >= 0; i--) pop(expected[i]);
    }

    /**
     * Checks that the top operands have the given types and leaves them in place, as they were (Unknowns stay
     * Unknown): {@code push_vals(pop_vals(types))} of the spec algorithm, for {@code br_table} targets.
     */
    void check(ValType[] expected) {
        if (scratch.length < expected.length) scratch = new ValType[expected.length];
        for (int i = expected.length - 1; i >= 0; i--) scratch[i] = pop(expected[i]);
        for (int i = 0; i < expected.length; i++) push(scratch[i]);
    }

    /** Enters a block: records the frame and pushes its inputs (the caller has popped them). */
    void pushFrame(Opcode opcode, ValType[] startTypes, ValType[] endTypes) {
        if (depth == frames.length) frames = java.util.Arrays.copyOf(frames, depth * 2);
        ControlFrame frame = frames[depth];
        if (frame == null) frames[depth] = frame = new ControlFrame();
        frame.opcode = opcode;
        frame.startTypes = startTypes;
        frame.endTypes = endTypes;
        frame.height = size;
        frame.unreachable = false;
        depth++;
        push(startTypes);
    }

    /** Leaves the innermost block: its outputs must be exactly what is left on its part of the stack. */
    ControlFrame popFrame() {
        ControlFrame frame = frames[depth - 1];
        pop(frame.endTypes);
        if (size != frame.height) throw new ValidationFailure(TYPE_MISMATCH);
        depth--;
        return frame;
    }

    /** The innermost frame. */
    ControlFrame innermost() {
        return frames[depth - 1];
    }

    /** The frame a branch to {@code label} targets (0 = innermost); "unknown label" when there is none. */
    ControlFrame target(int label) {
        if (label < 0 || label >= depth) throw new ValidationFailure("unknown label " + Integer.toUnsignedString(label));
        return frames[depth - 1 - label];
    }

    /** The rest of the innermost block cannot be reached: drop its operands and make its stack polymorphic. */
    void markUnreachable() {
        ControlFrame frame = frames[depth - 1];
        size = frame.height;
        frame.unreachable = true;
    }

    /** Number of open blocks, the function's own block included. */
    int depth() {
        return depth;
    }
}
