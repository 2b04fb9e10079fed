package dev.isthmus.runtime.instance;

import dev.isthmus.model.ConstExpr;

/**
 * Evaluates constant expressions (global initialisers, segment offsets, element items) of a validated module to raw
 * values: {@code i32/i64/f32/f64.const}, {@code global.get}, {@code ref.null}, {@code ref.func}, and the extended
 * constant {@code i32/i64.add/sub/mul}; v128 ones ({@code v128.const}, {@code global.get}) by {@link #evaluateV128}.
 */
final class ConstExprs {
    private ConstExprs() {
    }

    /** What an expression may refer to. */
    interface Context {
        long global(int index);

        long funcRef(int index);

        /** The high 8 bytes of global {@code index} (a v128's bytes 8..15). */
        default long globalHigh(int index) {
            return 0;
        }
    }

    /**
     * Evaluates a v128 expression to its {low, high} 8-byte halves: {@code v128.const} or {@code global.get} (the
     * only constant instructions of type v128).
     */
    static long[] evaluateV128(ConstExpr expr, Context context) {
        byte[] code = expr.codeUnsafe();
        int[] pos = {0};
        int op = code[pos[0]++] & 0xFF;
        if (op == 0x23) {
            int index = (int) unsigned(code, pos);
            return new long[] {context.global(index), context.globalHigh(index)};
        }
        if (op == 0xFD && unsigned(code, pos) == 0x0C) {
            return new long[] {littleEndian(code, pos[0], 8), littleEndian(code, pos[0] + 8, 8)};
        }
        throw new IllegalArgumentException(String.format("unsupported v128 constant instruction 0x%02x", op));
    }

    static long evaluate(ConstExpr expr, Context context) {
        byte[] code = expr.codeUnsafe();
        long[] stack = new long[8];
        int sp = 0;
        int[] pos = {0};
        while (pos[0] < code.length) {
            int op = code[pos[0]++] & 0xFF;
            switch (op) {
                case 0x0B -> {
                    return stack[sp - 1];
                }
                case 0x41 -> stack = push(stack, sp++, (int) signed(code, pos, 32) & 0xFFFF_FFFFL);
                case 0x42 -> stack = push(stack, sp++, signed(code, pos, 64));
                case 0x43 -> {
                    stack = push(stack, sp++, littleEndian(code, pos[0], 4));
                    pos[0] += 4;
                }
                case 0x44 -> {
                    stack = push(stack, sp++, littleEndian(code, pos[0], 8));
                    pos[0] += 8;
                }
                case 0x23 -> stack = push(stack, sp++, context.global((int) unsigned(code, pos)));
                case 0xD0 -> {
                    signed(code, pos, 33);                  // the heap type
                    stack = push(stack, sp++, 0);
                }
                case 0xD2 -> stack = push(stack, sp++, context.funcRef((int) unsigned(code, pos)));
                case 0x6A, 0x6B, 0x6C -> {
                    int b = (int) stack[--sp];
                    int a = (int) stack[--sp];
                    int r = op == 0x6A ? a + b : op == 0x6B ? a - b : a * b;
                    stack = push(stack, sp++, r & 0xFFFF_FFFFL);
                }
                case 0x7C, 0x7D, 0x7E -> {
                    long b = stack[--sp];
                    long a = stack[--sp];
                    stack = push(stack, sp++, op == 0x7C ? a + b : op == 0x7D ? a - b : a * b);
                }
                default -> throw new IllegalArgumentException(String.format(
                        "unsupported constant instruction 0x%02x", op));
            }
        }
        throw new IllegalArgumentException("constant expression without end");
    }

    private static long[] push(long[] stack, int at, long value) {
        long[] s = at < stack.length ? stack : java.util.Arrays.copyOf(stack, stack.length * 2);
        s[at] = value;
        return s;
    }

    private static long littleEndian(byte[] code, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | (code[at + i] & 0xFF);
        return v;
    }

    private static long unsigned(byte[] code, int[] pos) {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = code[pos[0]++] & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) return result;
        }
    }

    private static long signed(byte[] code, int[] pos, int bits) {
        long result = 0;
        int shift = 0;
        int b;
        do {
            b = code[pos[0]++] & 0xFF;
            if (shift < 64) result |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
        return result;
    }
}
