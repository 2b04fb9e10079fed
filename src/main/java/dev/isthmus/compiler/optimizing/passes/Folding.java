package dev.isthmus.compiler.optimizing.passes;

import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.compiler.optimizing.ir.IrType;

/** Evaluates integer IR operations on constants with wasm semantics (i32 values as zero-extended bits). */
final class Folding {
    private Folding() {}

    /** True when {@link #binary} would trap for these operands (division by zero, signed overflow). */
    static boolean traps(IrOp op, IrType t, long a, long b) {
        boolean is32 = t == IrType.I32;
        long y = is32 ? (int) b : b;
        long x = is32 ? (int) a : a;
        return switch (op) {
            case DIV_U, REM_U, REM_S -> y == 0;
            case DIV_S -> y == 0 || (y == -1 && x == (is32 ? Integer.MIN_VALUE : Long.MIN_VALUE));
            default -> false;
        };
    }

    /** {@code a op b} where both have type {@code operandType}. */
    static long binary(IrOp op, IrType operandType, long a, long b) {
        if (operandType == IrType.I32) {
            int x = (int) a;
            int y = (int) b;
            return switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case AND -> x & y;
                case OR -> x | y;
                case XOR -> x ^ y;
                case SHL -> x << y;
                case SHR_S -> x >> y;
                case SHR_U -> x >>> y;
                case ROTL -> Integer.rotateLeft(x, y);
                case ROTR -> Integer.rotateRight(x, y);
                case DIV_S -> x / y;
                case DIV_U -> Integer.divideUnsigned(x, y);
                case REM_S -> x % y;
                case REM_U -> Integer.remainderUnsigned(x, y);
                case EQ -> x == y ? 1 : 0;
                case NE -> x != y ? 1 : 0;
                case LT_S -> x < y ? 1 : 0;
                case LT_U -> Integer.compareUnsigned(x, y) < 0 ? 1 : 0;
                case GT_S -> x > y ? 1 : 0;
                case GT_U -> Integer.compareUnsigned(x, y) > 0 ? 1 : 0;
                case LE_S -> x <= y ? 1 : 0;
                case LE_U -> Integer.compareUnsigned(x, y) <= 0 ? 1 : 0;
                case GE_S -> x >= y ? 1 : 0;
                case GE_U -> Integer.compareUnsigned(x, y) >= 0 ? 1 : 0;
                default -> throw new IllegalArgumentException(op.name());
            } & 0xFFFF_FFFFL;
        }
        long x = a;
        long y = b;
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case AND -> x & y;
            case OR -> x | y;
            case XOR -> x ^ y;
            case SHL -> x << y;
            case SHR_S -> x >> y;
            case SHR_U -> x >>> y;
            case ROTL -> Long.rotateLeft(x, (int) y);
            case ROTR -> Long.rotateRight(x, (int) y);
            case DIV_S -> x / y;
            case DIV_U -> Long.divideUnsigned(x, y);
            case REM_S -> x % y;
            case REM_U -> Long.remainderUnsigned(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT_S -> x < y ? 1 : 0;
            case LT_U -> Long.compareUnsigned(x, y) < 0 ? 1 : 0;
            case GT_S -> x > y ? 1 : 0;
            case GT_U -> Long.compareUnsigned(x, y) > 0 ? 1 : 0;
            case LE_S -> x <= y ? 1 : 0;
            case LE_U -> Long.compareUnsigned(x, y) <= 0 ? 1 : 0;
            case GE_S -> x >= y ? 1 : 0;
            case GE_U -> Long.compareUnsigned(x, y) >= 0 ? 1 : 0;
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    /** Unary operations: operand {@code a} of type {@code operandType}. */
    static long unary(IrOp op, IrType operandType, long a, long imm) {
        return switch (op) {
            case CLZ -> operandType == IrType.I32 ? Integer.numberOfLeadingZeros((int) a) : Long.numberOfLeadingZeros(a);
            case CTZ -> operandType == IrType.I32 ? Integer.numberOfTrailingZeros((int) a) : Long.numberOfTrailingZeros(a);
            case POPCNT -> operandType == IrType.I32 ? Integer.bitCount((int) a) : Long.bitCount(a);
            case EQZ -> (operandType == IrType.I32 ? (int) a == 0 : a == 0) ? 1 : 0;
            case WRAP -> a & 0xFFFF_FFFFL;
            case EXTEND_S -> (int) a;
            case EXTEND_U -> a & 0xFFFF_FFFFL;
            case SIGN_EXTEND -> {
                int shift = 64 - (int) imm;
                yield (a << shift) >> shift;
            }
            default -> throw new IllegalArgumentException(op.name());
        };
    }
}
