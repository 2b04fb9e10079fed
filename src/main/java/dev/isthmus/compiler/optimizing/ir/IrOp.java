package dev.isthmus.compiler.optimizing.ir;

/**
 * The operations of the SSA IR. Integer operations carry their width in the value's type (i32 or i64); comparisons
 * produce an i32 and take the width of their operands.
 */
public enum IrOp {
    /** A constant: {@code imm} holds the bits. */
    CONST,
    /** Function parameter number {@code imm}. */
    PARAM,
    /** A phi: one operand per predecessor of its block, in predecessor order. */
    PHI,
    ADD, SUB, MUL, AND, OR, XOR, SHL, SHR_S, SHR_U, ROTL, ROTR,
    DIV_S, DIV_U, REM_S, REM_U,
    EQ, NE, LT_S, LT_U, GT_S, GT_U, LE_S, LE_U, GE_S, GE_U,
    /** {@code x == 0}. */
    EQZ,
    /** i64 to i32. */
    WRAP,
    /** i32 to i64, sign- or zero-extended. */
    EXTEND_S, EXTEND_U,
    /** Sign-extends the low 8, 16 or 32 bits ({@code imm}) within the value's width. */
    SIGN_EXTEND,
    /** Float arithmetic (type of the value: f32 or f64). */
    FADD, FSUB, FMUL, FDIV, FSQRT, FNEG, FABS,
    /** Wasm min/max (NaN if either is NaN, -0 below +0) and copysign. */
    FMIN, FMAX, FCOPYSIGN,
    /** Rounds to an integral value: {@code imm} = SSE4.1 rounding mode (0 nearest, 1 floor, 2 ceil, 3 trunc). */
    FROUND,
    /** Float comparisons (i32 result, false when unordered except FNE). */
    FEQ, FNE, FLT, FGT, FLE, FGE,
    /** f32 to f64, f64 to f32. */
    PROMOTE, DEMOTE,
    /** Signed integer (width of the operand) to float. */
    CONVERT_S,
    /** Unsigned i32 to float. */
    CONVERT_U32,
    /** The same bits in the other class (i32/f32, i64/f64). */
    REINTERPRET,
    /** Float to signed integer, truncated; traps on NaN and out of range. */
    TRUNC_S,
    /** Float to unsigned integer, truncated; traps on NaN and out of range. */
    TRUNC_U,
    /** Float to signed or unsigned integer, truncated and saturating (NaN is 0, out of range the nearest bound). */
    TRUNC_SAT_S, TRUNC_SAT_U,
    /** Unsigned i64 to float. */
    CONVERT_U64,
    /** Leading zeros, trailing zeros, set bits (lzcnt, tzcnt, popcnt). */
    CLZ, CTZ, POPCNT,
    /**
     * Load from memory {@link #memoryIndex}(imm) at operand + offset: {@code imm} = {@link #memoryImm}(kind, offset,
     * memory), kinds in {@link #LOAD_KINDS}.
     */
    LOAD,
    /** Store operand 1 to a memory at operand 0 + offset: {@code imm} = {@link #memoryImm}(bytes, offset, memory). */
    STORE,
    /** Value of global {@code imm}. */
    GLOBAL_GET,
    /** Sets global {@code imm} to the operand. */
    GLOBAL_SET,
    /** The address of func ref {@code imm} (a function index) in the vmctx: {@code ref.func}; i64, pure. */
    REF_FUNC,
    /** {@code cond ? a : b} with operands (a, b, cond). */
    SELECT,
    /** Direct call of function {@code imm} (function index space); result is the first result or none. */
    CALL,
    /**
     * Call through table {@code imm >>> 32} of type {@code (int) imm}: operands are the arguments, then the index;
     * the result is the first result or none.
     */
    CALL_INDIRECT,
    /** Result {@code imm} (> 0) of the call operand. */
    CALL_RESULT,
    /** memory.size of memory {@code imm} (i32 pages). */
    MEMORY_SIZE,
    /**
     * The current byte size of memory {@code imm} (i64): what a bounds check compares with (loop versioning's
     * guard, {@code passes.LoopVersioning}); pure (a size only grows, and the guard reads it where it decides).
     */
    MEMORY_BYTES,
    /** memory.grow of memory {@code imm} by the operand (pages): the old size or -1 (a runtime call). */
    MEMORY_GROW,
    /**
     * memory.copy from memory {@code imm >>> 32} to memory {@code (int) imm}: operands (dst, src, n); inline
     * (compiler.machine.sequences.BulkMemory).
     */
    MEMORY_COPY,
    /** memory.fill of memory {@code imm}: operands (dst, value, n); inline. */
    MEMORY_FILL,
    /**
     * memory.init from data segment {@code (int) imm} into memory {@code imm >>> 32}: operands (dst, src, n) (a
     * runtime call).
     */
    MEMORY_INIT,
    /** data.drop of segment {@code imm} (a runtime call). */
    DATA_DROP,
    /** The element at the operand (i32) of table {@code imm}, bounds-checked (i64: a reference). */
    TABLE_GET,
    /** Sets the element at operand 0 of table {@code imm} to operand 1, bounds-checked. */
    TABLE_SET,
    /** table.size of table {@code imm} (i32). */
    TABLE_SIZE,
    /** table.grow of table {@code imm}: operands (initial element, delta); the old size or -1 (a runtime call). */
    TABLE_GROW,
    /** table.fill of table {@code imm}: operands (dst, element, n) (a runtime call). */
    TABLE_FILL,
    /**
     * table.copy from table {@code imm >>> 32} to table {@code (int) imm}: operands (dst, src, n) (a runtime call).
     */
    TABLE_COPY,
    /** table.init of table {@code (int) imm} from element segment {@code imm >>> 32}: operands (dst, src, n). */
    TABLE_INIT,
    /** elem.drop of segment {@code imm} (a runtime call). */
    ELEM_DROP,
    /**
     * A SIMD instruction without memory access ({@link IrFunction#simd}: its opcode, lane and 16 immediate bytes);
     * operands in wasm order, result its type (v128, i32, i64, f32, f64) or none. Pure.
     */
    SIMD,
    /**
     * A SIMD load ({@code v128.load*}, lane loads): operand 0 the address, then the v128 of a lane load;
     * {@code imm} = {@link #memoryImm}(0, offset, memory). Can trap, so it stays even when its value is unused.
     */
    SIMD_LOAD,
    /**
     * A SIMD store ({@code v128.store}, lane stores): operands (address, v128); {@code imm} =
     * {@link #memoryImm}(0, offset, memory).
     */
    SIMD_STORE,
    /**
     * Fuel metering: charge {@code imm >>> 1} to the instance's fuel counter, and when {@code imm & 1} check it
     * (compiler.machine.FuelMetering); no operands, no value.
     */
    FUEL,
    /**
     * The start of a landing block (exception handling): the block is entered from the exception dispatch, not by
     * a jump, with rsp, rbp and the callee-saved registers as at the call or throw that threw; its {@link #CAUGHT}
     * values follow it. An effect (it restores the vmctx register); no operands, no value.
     */
    LANDING,
    /** Value {@code imm} the catch clause delivers (the tag's payload in order, then the exnref), in a landing block. */
    CAUGHT,
    /**
     * Terminator: to successor 0. A block that ends in a call inside a try lists its landing blocks after it
     * (successors 1..): they are entered from the exception dispatch when the call throws.
     */
    JUMP,
    /** Terminator: operand != 0 → successor 0, else successor 1. */
    BRANCH,
    /** Terminator: successor {@code operand} if in range, else the last successor. */
    SWITCH,
    /** Terminator: returns the operands. */
    RETURN,
    /** Terminator: traps with {@code TrapCode} ordinal {@code imm}. */
    TRAP,
    /** Terminator: {@code return_call} of function {@code imm}; operands are the arguments. */
    RETURN_CALL,
    /**
     * Terminator: {@code return_call_indirect} (table {@code imm >>> 32}, type {@code (int) imm}) or, with the
     * table half {@link #CALL_REF_TABLE}, {@code return_call_ref}: operands are the arguments, then the table index
     * or the func ref.
     */
    RETURN_CALL_INDIRECT,
    /** Terminator: {@code throw} of tag {@code imm} with the payload operands; successors: its landing blocks. */
    THROW,
    /** Terminator: {@code throw_ref} (and legacy rethrow) of the exnref operand; successors: its landing blocks. */
    THROW_REF;

    /** Load kinds: i32, i64, 8 signed, 8 unsigned, 16 signed, 16 unsigned, 32 signed, 32 unsigned, f32, f64. */
    public static final String[] LOAD_KINDS = {"32", "64", "8s", "8u", "16s", "16u", "32s", "32u", "f32", "f64"};

    /** The immediate of a load or store of memory 0: a kind or width above a 33-bit offset. */
    public static long memoryImm(int kind, long offset) {
        return ((long) kind << 36) | offset;
    }

    /** The immediate of a load or store: the memory index above a 4-bit kind or width above a 36-bit offset. */
    public static long memoryImm(int kind, long offset, int memory) {
        return ((long) memory << 40) | memoryImm(kind, offset);
    }

    public static int memoryKind(long imm) {
        return (int) ((imm >>> 36) & 0xF);
    }

    /** The memory a load or store ({@link #memoryImm}) accesses. */
    public static int memoryIndex(long imm) {
        return (int) (imm >>> 40);
    }

    public static long memoryOffset(long imm) {
        return imm & ((1L << 36) - 1);
    }

    /** The table half of a {@link #CALL_INDIRECT} immediate that marks a {@code call_ref} (the func ref last). */
    public static final int CALL_REF_TABLE = -1;

    /** True for operations that end a block. */
    public boolean isTerminator() {
        return ordinal() >= JUMP.ordinal();
    }

    /** True for the loads and stores of linear memory (scalar and SIMD), whose immediate names the memory. */
    public boolean accessesMemory() {
        return this == LOAD || this == STORE || this == SIMD_LOAD || this == SIMD_STORE;
    }

    /** True for comparisons (operations that can fuse with a branch or select). */
    public boolean isCompare() {
        return ordinal() >= EQ.ordinal() && ordinal() <= EQZ.ordinal();
    }

    /** True for operations that must stay even when their value is unused (effects, traps, control). */
    public boolean hasEffect() {
        return isTerminator() || switch (this) {
            case CALL, CALL_INDIRECT, MEMORY_GROW, MEMORY_COPY, MEMORY_FILL, MEMORY_INIT, DATA_DROP,
                 TABLE_GET, TABLE_SET, TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT, ELEM_DROP,
                 TRUNC_S, TRUNC_U, LOAD, STORE, GLOBAL_SET, SIMD_LOAD, SIMD_STORE, DIV_S, DIV_U, REM_S, REM_U, FUEL,
                 LANDING -> true;
            default -> false;
        };
    }

    public boolean isCommutative() {
        return this == ADD || this == MUL || this == AND || this == OR || this == XOR || this == EQ || this == NE;
    }
}
