package dev.isthmus.compiler.optimizing.isel;

/**
 * One x86-64 machine instruction over virtual registers (register numbers below {@link MachineFunction#FIRST_VIRTUAL}
 * are the physical registers by encoding). Three-address forms ({@code d = a op b}) leave the two-address
 * constraint to the emitter, which uses {@code op d, b} when the allocator gave d and a the same register (the
 * allocator is hinted to) and inserts the move otherwise.
 */
public final class MInstr {
    // operations
    public static final int MOV = 0, MOVI = 1, ALU = 2, ALUI = 3, IMUL = 4, IMULI = 5, SHIFT = 6, SHIFTI = 7,
            CMP = 8, CMPI = 9, TEST = 10, SETCC = 11, CMOV = 12, MOVSX = 13, DIVREM = 14, CALL = 15, PMOV = 16,
            JMP = 17, JCC = 18, SWITCH = 19, RET = 20, TRAP = 21,
            /** {@code d = [base + index + imm]}, aux = load kind ({@code IrOp.LOAD_KINDS}). */
            LOAD = 22,
            /** {@code [base + index + imm] = value}, aux = bytes. */
            STORE = 23,
            /** {@code d = qword [r15 + imm]} (a vmctx field). */
            VMLOAD = 24,
            /** {@code d = [[r15 + imm]]}: a global's value through its cell pointer. */
            GGET = 25,
            /** {@code [[r15 + imm]] = value}. */
            GSET = 26,
            /** {@code d = lzcnt/tzcnt/popcnt(a)}, aux = BitOp ordinal. */
            BITOP = 27,
            /** {@code d = float constant imm} (bits). */
            FCONST = 28,
            /** {@code d = a op b}, aux = 0 add, 1 sub, 2 mul, 3 div; imm = 1 when commutative. */
            FBIN = 29,
            /** {@code d = op a}, aux = 0 sqrt, 1 neg, 2 abs, 3 round (imm = rounding mode). */
            FUN = 30,
            /** {@code d (i32) = a cmp b}, aux = 0 eq, 1 ne, 2 lt, 3 gt, 4 le, 5 ge; wide = f64 operands. */
            FCMP = 31,
            /**
             * Conversions, aux = 0 promote, 1 demote, 2 signed int to float, 3 unsigned i32 to float, 4 reinterpret,
             * 5 float to signed int (trapping);
             * wide = 64-bit result, imm = 1 when the operand is 64-bit.
             */
            FCVT = 32,
            /** {@code d = min/max/copysign(a, b)}, aux = 0 min, 1 max, 2 copysign. */
            FMINMAX = 33;

    public final int op;
    /** True for 64-bit operations, false for 32-bit ones. */
    public final boolean wide;
    public final int[] defs;
    public final int[] uses;
    /** Immediate, or the callee of a call, or the trap kind ordinal. */
    public final long imm;
    /** Operation detail: ALU op / shift op / condition code / DIVREM kind / sign-extended bits / MOV forced. */
    public final int aux;
    /** Target blocks (jumps), or immediates of PMOV sources (where {@code uses[i] < 0}). */
    public final long[] extra;
    public final int wasmOffset;

    public MInstr(int op, boolean wide, int[] defs, int[] uses, long imm, int aux, long[] extra, int wasmOffset) {
        this.op = op;
        this.wide = wide;
        this.defs = defs;
        this.uses = uses;
        this.imm = imm;
        this.aux = aux;
        this.extra = extra;
        this.wasmOffset = wasmOffset;
    }
}
