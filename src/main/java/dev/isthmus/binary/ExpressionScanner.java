package dev.isthmus.binary;

import java.util.Arrays;

/**
 * Checks that an instruction sequence is well formed, from the current position up to and including the
 * {@code end} that closes it: every opcode is known, every immediate is well encoded, {@code block}, {@code loop}
 * and {@code if} are closed by {@code end}, and {@code else} appears only once, directly inside an {@code if}.
 * Types and indices are not looked at: that is validation.
 *
 * <p>The nesting follows the binary grammar of the spec (and the reference interpreter, whose errors the test suite
 * quotes): inside a block the sequence stops at {@code else} or {@code end}; anything but the expected closing
 * byte is then "END opcode expected". Running out of input is the reader's end message.
 *
 * <pre>
 *   expr  ::= instr* 0x0B
 *   instr ::= 0x02 bt instr* 0x0B | 0x03 bt instr* 0x0B
 *           | 0x04 bt instr* 0x0B | 0x04 bt instr* 0x05 instr* 0x0B | (any other instruction)
 * </pre>
 *
 * <p>The nesting is tracked in a byte array that grows with the depth (no recursion), so deep nesting cannot
 * overflow the Java stack. The scanner also notes whether it saw an instruction that refers to a data segment
 * ({@code memory.init}, {@code data.drop}), which needs a data count section.
 */
final class ExpressionScanner {
    private static final byte BLOCK = 0;
    private static final byte IF_THEN = 1;
    private static final byte IF_ELSE = 2;

    private final ByteReader in;
    private final InstructionReader instructions;
    private byte[] frames = new byte[16];
    private boolean sawDataIndex;

    ExpressionScanner(ByteReader in, boolean multiMemory) {
        this.in = in;
        this.instructions = new InstructionReader(in, multiMemory);
    }

    /** Whether the 3.0 encodings of typed function references are well-formed. */
    void typedReferences(boolean allowed) {
        instructions.typedReferences(allowed);
    }

    /** Reads instructions up to and including the {@code end} that closes the sequence starting here. */
    void scan() {
        int depth = 0;
        frames[0] = BLOCK;
        while (true) {
            if (in.atEnd()) throw in.malformed(in.endMessage());
            int b = in.peek();
            if (b == 0x0B) {
                in.u8();
                if (depth == 0) return;
                depth--;
            } else if (b == 0x05) {
                if (frames[depth] != IF_THEN) throw in.malformed("END opcode expected");
                in.u8();
                frames[depth] = IF_ELSE;
            } else {
                switch (instructions.next()) {
                    case BLOCK, LOOP, TRY, TRY_TABLE -> depth = push(depth, BLOCK);
                    case DELEGATE -> {                     // legacy: ends its try like an end
                        if (depth == 0) throw in.malformed("END opcode expected");
                        depth--;
                    }
                    case IF -> depth = push(depth, IF_THEN);
                    case MEMORY_INIT, DATA_DROP -> sawDataIndex = true;
                    default -> { }
                }
            }
        }
    }

    private int push(int depth, byte frame) {
        int d = depth + 1;
        if (d == frames.length) frames = Arrays.copyOf(frames, frames.length * 2);
        frames[d] = frame;
        return d;
    }

    /** Whether any sequence scanned so far used {@code memory.init} or {@code data.drop}. */
    boolean sawDataIndex() {
        return sawDataIndex;
    }

    /** Forgets {@link #sawDataIndex()} (constant expressions are not counted). */
    void resetDataIndex() {
        sawDataIndex = false;
    }
}
