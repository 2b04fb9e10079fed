package dev.isthmus.compiler.optimizing.isel;

/**
 * The operation of an {@link MInstr}. Each constant names the instruction's form: what its defs and uses are,
 * what {@link MInstr#imm} holds (an immediate operand, a displacement or a vmctx offset, or nothing) and which
 * {@link MDetail} kind it carries. {@code d}, {@code a}, {@code b} are registers; registers in the fixed positions
 * named here are physical.
 */
public enum MOp {
    /** {@code d = a}; detail {@link MDetail.Move} (a plain copy, or a 32-bit move that zero-extends). */
    MOV("mov"),
    /** {@code d = imm} (integer constant); no detail. */
    MOVI("movi"),
    /** {@code d = a op b}; detail {@link MDetail.Alu}. */
    ALU("alu"),
    /** {@code d = a op imm}; detail {@link MDetail.Alu}. */
    ALUI("alu"),
    /**
     * {@code d = a + b + imm} (one {@code lea} when all three are in registers); no detail. Selected for an add of a
     * constant to a sum used nowhere else ({@link InstructionSelector}).
     */
    ADD3("add3"),
    /** {@code d = a * b}; no detail. */
    IMUL("imul"),
    /** {@code d = a * imm}; no detail. */
    IMULI("imul"),
    /** {@code d = a shift rcx} (uses a, rcx); detail {@link MDetail.Shift}. */
    SHIFT("shift"),
    /** {@code d = a shift imm}; detail {@link MDetail.Shift}. */
    SHIFTI("shift"),
    /** Flags of {@code a - b}; no detail. */
    CMP("cmp"),
    /** Flags of {@code a - imm}; no detail. */
    CMPI("cmp"),
    /** Flags of {@code a & a}; no detail. */
    TEST("test"),
    /** {@code d (i32) = flags satisfy cond}; detail {@link MDetail.Condition}. */
    SETCC("set"),
    /** {@code d = flags satisfy cond ? a : b} (ints and floats); detail {@link MDetail.Condition}. */
    CMOV("cmov"),
    /** {@code d = sign-extended a}; detail {@link MDetail.SignExtend}. */
    MOVSX("movsx"),
    /** {@code rax, rdx = rax div/rem b} (uses rax, b) with wasm's traps; detail {@link MDetail.DivRem}. */
    DIVREM("divrem"),
    /**
     * A call: uses the argument registers (then the table index of an indirect call: i64 when {@code wide}, a
     * table64's), defs the result registers; detail {@link MDetail.Call}.
     */
    CALL("call"),
    /**
     * A tail call: uses the argument registers (then the table index or func ref of an indirect one); tears the
     * frame down and jumps; {@code imm} = (staged stack slots << 32) | (the callee's stack slots minus ours, as an
     * int); detail {@link MDetail.Call} (not a builtin). Ends its block.
     */
    TAILCALL("tail_call"),
    /** {@code d = ABI stack slot imm} of an {@link MDetail.StackArea}; {@code wide} for i64/f64. */
    SLOT_LOAD("slot_load"),
    /** {@code ABI stack slot imm = a} of an {@link MDetail.StackArea}. */
    SLOT_STORE("slot_store"),
    /** All defs at once from their sources; detail {@link MDetail.ParallelMove} (uses = its register sources). */
    PMOV("pmov"),
    /** Jump; detail {@link MDetail.Jump}. */
    JMP("jmp"),
    /** Conditional jump on the flags; detail {@link MDetail.Branch}. */
    JCC("jcc"),
    /** Jump to the target indexed by {@code a} (i32), the last target for any other value; detail {@link MDetail.Switch}. */
    SWITCH("switch"),
    /** Return; uses = the result registers; no detail. */
    RET("ret"),
    /** Raise a trap; detail {@link MDetail.Trap}. */
    TRAP("trap"),
    /** {@code d = [base + index + imm]} (uses base, index); detail {@link MDetail.LoadKind}. */
    LOAD("load"),
    /** {@code [base + index + imm] = value} (uses base, index, value); detail {@link MDetail.StoreSize}. */
    STORE("store"),
    /**
     * The bounds check of an access: traps ("out of bounds memory access") unless {@code a + (imm & 0xFFFFFFFF)}
     * (the index plus the access's offset and size) neither wraps nor exceeds {@code qword [r15 + (imm >>> 32)]} (the
     * memory's current byte size; or, with a second use, that register holding it); uses the index; no detail.
     * {@code wide}: a memory64 access ({@code Memory64Bounds}: the index alone is compared, the guard behind the
     * memory catches offset and size); otherwise a 32-bit memory in explicit mode, whose zero-extended index plus
     * offset and size is compared ({@code lea; cmp; ja}).
     */
    BOUNDS("bounds"),
    /** {@code d = qword [r15 + imm]} (a vmctx field); no detail. */
    VMLOAD("vmload"),
    /** {@code d = r15 + imm}: the address of a vmctx field (a func ref: {@code ref.func}); no detail. */
    VMADDR("vmaddr"),
    /**
     * {@code d = table[a]} (a: the index, i64 when {@code wide} — table64 — else i32), bounds-checked ("out of
     * bounds table access"); {@code imm} = the table's vmctx slot; no detail.
     */
    TABLE_GET("table_get"),
    /** {@code table[a] = b} (a: index as for TABLE_GET, b: reference), bounds-checked; {@code imm}: the vmctx slot. */
    TABLE_SET("table_set"),
    /** {@code d (i32) = the size of the table}; {@code imm} = the table's vmctx slot; no detail. */
    TABLE_SIZE("table_size"),
    /** {@code d = [[r15 + imm]]}: a global's value through its cell pointer; no detail. */
    GGET("global_get"),
    /** {@code [[r15 + imm]] = a}; no detail. */
    GSET("global_set"),
    /**
     * Fuel metering: charge {@code imm >>> 1} to the vmctx's fuel counter, with the check when {@code imm & 1}
     * (compiler.machine.FuelMetering; uses only r11, the check the flags too); no defs, no uses, no detail.
     */
    FUEL("fuel"),
    /**
     * memory.copy (uses rdi = dst, rsi = src, rcx = n) or memory.fill (uses rdi = dst, rax = value, rcx = n),
     * inline with its bounds check; defs = the registers it clobbers (rdi, rsi, rcx, rax, rdx); detail
     * {@link MDetail.Bulk}.
     */
    BULK("bulk"),
    /** {@code d = lzcnt/tzcnt/popcnt(a)}; detail {@link MDetail.Bits}. */
    BITOP("bitop"),
    /** {@code d = float constant} with bits {@code imm}; no detail. */
    FCONST("fconst"),
    /** {@code d = a op b}; detail {@link MDetail.FloatBinary}. */
    FBIN("fbin"),
    /** {@code d = op a}; detail {@link MDetail.FloatUnary}. */
    FUN("fun"),
    /** {@code d (i32) = a cmp b}, wide = f64 operands; detail {@link MDetail.FloatCompare}. */
    FCMP("fcmp"),
    /** Conversions (wide = 64-bit result); detail {@link MDetail.Convert}. */
    FCVT("fcvt"),
    /** {@code d = min/max/copysign(a, b)}; detail {@link MDetail.FloatMinMax}. */
    FMINMAX("fminmax"),
    /**
     * A SIMD instruction through {@code compiler.machine.simd.SimdLowering}; detail {@link MDetail.Simd}. Uses:
     * for memory instructions the memory base and the index first, then the operands in wasm order; defs: the
     * result (if any), then the xmm and the general-purpose temporaries, live across the whole instruction (they
     * conflict with the operands and the result); {@code imm}: the memory offset.
     */
    SIMD("simd"),
    /**
     * The start of a landing block (exception handling), entered from the exception dispatch with rsp, rbp and the
     * callee-saved registers as at the call that threw and rax = the delivered values (16 bytes each): defs = the
     * delivered values it keeps; detail {@link MDetail.Landing}. The vmctx (and rsp) are restored first.
     */
    LANDING("landing"),
    /**
     * {@code throw} (the payload as uses) or {@code throw_ref} (the exnref): calls the throw stub, which does not
     * return here; clobbers what a call clobbers (values a landing block needs are kept across it); detail
     * {@link MDetail.Throw}. Ends its block.
     */
    THROW("throw");

    /** Mnemonic of the form when its detail does not name the operation. */
    public final String mnemonic;

    MOp(String mnemonic) {
        this.mnemonic = mnemonic;
    }
}
