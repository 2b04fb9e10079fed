package dev.isthmus.validate;

import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ValType;

/**
 * One entry of the control stack (spec appendix "Validation Algorithm"): the structured instruction that opened it,
 * its input and output types, the operand stack height at entry, and whether the rest of the block is unreachable
 * (after {@code br}, {@code return}, {@code unreachable}, ...), which makes the stack polymorphic below.
 *
 * <p>Frames are reused by {@link TypeStack} to keep validation allocation-free; do not hold on to one after the
 * next push.
 */
final class ControlFrame {
    Opcode opcode;
    ValType[] startTypes;
    ValType[] endTypes;
    int height;
    boolean unreachable;
    /** How many locals were marked initialised at entry: leaving the block forgets those set inside it. */
    int initHeight;

    /** What a branch to this frame must supply: a loop's inputs (it branches backwards), else its outputs. */
    ValType[] labelTypes() {
        return opcode == Opcode.LOOP ? startTypes : endTypes;
    }
}
