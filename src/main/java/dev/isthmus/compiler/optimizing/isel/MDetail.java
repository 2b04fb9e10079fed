package dev.isthmus.compiler.optimizing.isel;

import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.BitOp;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.ShiftOp;

import java.util.Arrays;

/**
 * What an {@link MInstr} does beyond its operation, its registers and its immediate: one small typed kind per form
 * (see {@link MOp} for which form carries which).
 */
public sealed interface MDetail {

    /**
     * {@link MOp#MOV}: a plain copy, a 32-bit move that clears the upper half (even from and to one register), or a
     * copy of all 128 bits of a v128.
     */
    enum Move implements MDetail { COPY, ZERO_EXTEND, V128 }

    /** {@link MOp#ALU}, {@link MOp#ALUI}: the operation, and whether its operands may be swapped. */
    record Alu(AluOp op, boolean commutative) implements MDetail {}

    /** {@link MOp#SHIFT}, {@link MOp#SHIFTI}. */
    record Shift(ShiftOp op) implements MDetail {}

    /** {@link MOp#SETCC}, {@link MOp#CMOV}: the condition under which the flags mean true. */
    record Condition(Cond cond) implements MDetail {}

    /** {@link MOp#MOVSX}: the width of the source, in bits (8, 16 or 32). */
    record SignExtend(int fromBits) implements MDetail {}

    /** {@link MOp#DIVREM}. */
    enum DivRem implements MDetail {
        DIV_S, DIV_U, REM_S, REM_U;

        public boolean signed() {
            return this == DIV_S || this == REM_S;
        }

        public boolean quotient() {
            return this == DIV_S || this == DIV_U;
        }
    }

    /** {@link MOp#BITOP}. */
    record Bits(BitOp op) implements MDetail {}

    /** {@link MOp#FBIN}. */
    enum FloatBinary implements MDetail {
        ADD(true), SUB(false), MUL(true), DIV(false);

        public final boolean commutative;

        FloatBinary(boolean commutative) {
            this.commutative = commutative;
        }
    }

    /** {@link MOp#FUN}: the roundings in the order of the SSE rounding-mode immediate (nearest, down, up, zero). */
    enum FloatUnary implements MDetail {
        SQRT, NEG, ABS, NEAREST, FLOOR, CEIL, TRUNC;

        /** A rounding's SSE rounding-mode immediate (0 to 3). */
        public int roundingMode() {
            return ordinal() - NEAREST.ordinal();
        }

        public boolean isRounding() {
            return ordinal() >= NEAREST.ordinal();
        }

        public static FloatUnary rounding(int mode) {
            return values()[NEAREST.ordinal() + mode];
        }
    }

    /** {@link MOp#FCMP}. */
    enum FloatCompare implements MDetail { EQ, NE, LT, GT, LE, GE }

    /** {@link MOp#FMINMAX}. */
    enum FloatMinMax implements MDetail { MIN, MAX, COPYSIGN }

    /** The conversions of {@link MOp#FCVT}. */
    enum ConvertKind {
        /** f32 to f64. */
        PROMOTE,
        /** f64 to f32. */
        DEMOTE,
        /** Signed integer to float. */
        CONVERT_S,
        /** Unsigned i32 to float. */
        CONVERT_U32,
        /** Bits to float or float to bits, as the register classes say. */
        REINTERPRET,
        /** Float to signed integer, trapping on NaN and out-of-range values. */
        TRUNC_S,
        /** Float to unsigned integer, trapping on NaN and out-of-range values. */
        TRUNC_U,
        /** Float to signed integer, saturating (NaN is 0). */
        TRUNC_SAT_S,
        /** Float to unsigned integer, saturating (NaN is 0). */
        TRUNC_SAT_U,
        /** Unsigned i64 to float. */
        CONVERT_U64
    }

    /** {@link MOp#FCVT}: the conversion, and whether its operand is 64-bit ({@link MInstr#wide} is the result's). */
    record Convert(ConvertKind kind, boolean wideSource) implements MDetail {}

    /** {@link MOp#LOAD}: what is read and how it is extended (the names of {@code IrOp.LOAD_KINDS}, in order). */
    enum LoadKind implements MDetail {
        I32("32"), I64("64"), S8("8s"), U8("8u"), S16("16s"), U16("16u"), S32("32s"), U32("32u"), F32("f32"),
        F64("f64");

        public final String suffix;

        LoadKind(String suffix) {
            this.suffix = suffix;
        }

        public boolean isFloat() {
            return this == F32 || this == F64;
        }

        /** How many bytes the load reads. */
        public int bytes() {
            return switch (this) {
                case S8, U8 -> 1;
                case S16, U16 -> 2;
                case I32, S32, U32, F32 -> 4;
                case I64, F64 -> 8;
            };
        }
    }

    /** {@link MOp#STORE}: how many bytes are written. */
    enum StoreSize implements MDetail {
        BYTE(1), WORD(2), DWORD(4), QWORD(8);

        public final int bytes;

        StoreSize(int bytes) {
            this.bytes = bytes;
        }

        public static StoreSize ofBytes(int bytes) {
            return switch (bytes) {
                case 1 -> BYTE;
                case 2 -> WORD;
                case 4 -> DWORD;
                case 8 -> QWORD;
                default -> throw new IllegalArgumentException("store of " + bytes + " bytes");
            };
        }
    }

    /** {@link MOp#CALL}: which function, and how it is reached. */
    sealed interface Call extends MDetail {}

    /**
     * A call of a function of this module, linked by a relocation; {@code irregular}: the callee may return with
     * another vmctx or rsp moved (compiler.machine.TailCallEffects), so r15 and rsp are restored after it.
     */
    record DirectCall(int function, boolean irregular) implements Call {
        /** A call of a callee that always returns with the caller's vmctx and rsp. */
        public DirectCall(int function) {
            this(function, false);
        }
    }

    /** A call of imported function {@code function} through its func ref at vmctx offset {@code funcRefOffset}. */
    record ImportCall(int function, int funcRefOffset) implements Call {}

    /**
     * A call through table {@code table} (its vmctx field at {@code tableOffset}) of a function of type
     * {@code typeIndex} (canonical id {@code typeId}); the index is the instruction's last use.
     */
    record IndirectCall(int typeIndex, long typeId, int table, int tableOffset) implements Call {}

    /**
     * {@code call_ref} of a function of type {@code typeIndex}: the func ref is the instruction's last use, checked
     * for null only (its type is the validator's proof).
     */
    record RefCall(int typeIndex) implements Call {}

    /**
     * A call of a runtime builtin ({@code dev.isthmus.runtime.abi.Builtin}, System V with rdi = vmctx, set by the
     * emitter) through its vmctx slot at {@code offset}; {@code status}: the result is a trap code to raise when
     * nonzero.
     */
    record BuiltinCall(String name, int offset, boolean status) implements Call {}

    /**
     * {@link MOp#SIMD}: the wasm opcode with its immediates, whether it accesses memory (uses start with the memory
     * base and the index), whether it has a result (the first def), how many xmm and general-purpose
     * temporaries follow in the defs, and the known constant operands
     * ({@link dev.isthmus.compiler.machine.simd.SimdOperands#constants()}: one per operand after the address, null
     * when not constant).
     */
    record Simd(dev.isthmus.binary.Opcode op, int lane, byte[] bytes, boolean memory, boolean hasResult,
                int xmmTemps, int gprTemps, Object[] constants, int absent) implements MDetail {
        /** Without known constant operands. */
        public Simd(dev.isthmus.binary.Opcode op, int lane, byte[] bytes, boolean memory, boolean hasResult,
                    int xmmTemps, int gprTemps) {
            this(op, lane, bytes, memory, hasResult, xmmTemps, gprTemps, null, 0);
        }

        /** Whether source {@code j} (wasm order, address excluded) has no register: the lowering uses its constant. */
        public boolean isAbsent(int j) {
            return (absent & 1 << j) != 0;
        }

        /** Index of the first temporary in the defs. */
        public int firstTemp() {
            return hasResult ? 1 : 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Simd s && op == s.op && lane == s.lane && Arrays.equals(bytes, s.bytes)
                    && memory == s.memory && hasResult == s.hasResult && xmmTemps == s.xmmTemps
                    && gprTemps == s.gprTemps && Arrays.deepEquals(constants, s.constants) && absent == s.absent;
        }

        @Override
        public int hashCode() {
            return op.hashCode() * 31 + lane;
        }

        @Override
        public String toString() {
            return "Simd[" + op.text() + "]";
        }
    }

    /** {@link MOp#BULK}. */
    enum Bulk implements MDetail {
        COPY, FILL;

        /** In a BULK's imm (destination memory | source memory << 32): the destination is a memory64 memory. */
        public static final long DST64 = 1L << 30;
        /** In a BULK's imm: the source is a memory64 memory. */
        public static final long SRC64 = 1L << 62;
        /** The memory index bits of each half of a BULK's imm. */
        public static final int INDEX_MASK = 0x3FFF_FFFF;
    }

    /**
     * The 8-byte ABI stack slots of {@link MOp#SLOT_LOAD} and {@link MOp#SLOT_STORE}: this function's incoming
     * slots above the return address (stack parameters and results, arguments of a same-size tail call), the
     * outgoing slots at the bottom of the frame (a call's stack arguments, a resizing tail call's staged ones),
     * and the staging area where the emitter copies a call's stack results.
     */
    enum StackArea implements MDetail { INCOMING, OUTGOING, STAGED }

    /** {@link MOp#JMP}. */
    record Jump(int target) implements MDetail {}

    /** {@link MOp#JCC}: to {@code taken} when the flags satisfy {@code cond}, else to {@code notTaken}. */
    record Branch(Cond cond, int taken, int notTaken) implements MDetail {}

    /**
     * {@link MOp#SWITCH}: the targets by index, the last one the default; {@code inRange}: the index is known to be
     * below the number of entries (no bounds check).
     */
    record Switch(int[] targets, boolean inRange) implements MDetail {
        public Switch(int[] targets) {
            this(targets, false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Switch s && Arrays.equals(targets, s.targets) && inRange == s.inRange;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(targets) * 31 + (inRange ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Switch" + Arrays.toString(targets) + (inRange ? " in range" : "");
        }
    }

    /** {@link MOp#TRAP}. */
    record Trap(TrapCode kind) implements MDetail {}

    /** Value kinds of {@link Landing} and {@link Throw}: how each value is read or written (8 or 16 bytes). */
    int I32 = 0, I64 = 1, F32 = 2, F64 = 3, V128 = 4;

    /** {@link MOp#LANDING}: per def, the index of the delivered value it takes and its kind. */
    record Landing(int[] index, int[] kinds) implements MDetail {}

    /** {@link MOp#THROW}: the tag, or -1 for throw_ref (one use: the exnref); the payload uses' kinds. */
    record Throw(int tag, int[] kinds) implements MDetail {}

    /** A source of a {@link ParallelMove}. */
    sealed interface Source {}

    /** A register source. */
    record Register(int register) implements Source {}

    /** A constant source (the bits of a float constant for float destinations). */
    record Constant(long value) implements Source {}

    /** {@link MOp#PMOV}: the source of each def, in the order of the defs. */
    record ParallelMove(Source[] sources) implements MDetail {
        public boolean isConstant(int k) {
            return sources[k] instanceof Constant;
        }

        /** The register of source {@code k} (a register source). */
        public int register(int k) {
            return ((Register) sources[k]).register();
        }

        /** The value of source {@code k} (a constant source). */
        public long constant(int k) {
            return ((Constant) sources[k]).value();
        }

        /** The register sources in order: the instruction's uses. */
        public int[] registers() {
            int n = 0;
            for (Source s : sources) if (s instanceof Register) n++;
            int[] r = new int[n];
            n = 0;
            for (Source s : sources) if (s instanceof Register reg) r[n++] = reg.register();
            return r;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ParallelMove p && Arrays.equals(sources, p.sources);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(sources);
        }

        @Override
        public String toString() {
            return "ParallelMove" + Arrays.toString(sources);
        }
    }
}
