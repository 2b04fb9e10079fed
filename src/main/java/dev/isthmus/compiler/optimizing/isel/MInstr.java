package dev.isthmus.compiler.optimizing.isel;

import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;

import java.util.Locale;

/**
 * One x86-64 machine instruction over virtual registers (register numbers below {@link MachineFunction#FIRST_VIRTUAL}
 * are the physical registers by encoding). Three-address forms ({@code d = a op b}) leave the two-address
 * constraint to the emitter, which uses {@code op d, b} when the allocator gave d and a the same register (the
 * allocator is hinted to) and inserts the move otherwise.
 *
 * <p>{@link #defs} and {@link #uses} list every register the instruction writes and reads, uniformly for the
 * allocator; {@link #op} names the form and {@link #detail} (typed per form, see {@link MOp}) the rest, so the
 * instruction describes itself: {@link #toString()} prints it as one listing line.
 */
public final class MInstr {
    public final MOp op;
    /** True for 64-bit operations, false for 32-bit ones. */
    public final boolean wide;
    public final int[] defs;
    public final int[] uses;
    /** The immediate operand, displacement or vmctx offset of the forms that have one (see {@link MOp}), else 0. */
    public final long imm;
    /** The form's typed detail (see {@link MOp}), or null for the forms without one. */
    public final MDetail detail;
    public final int wasmOffset;

    public MInstr(MOp op, boolean wide, int[] defs, int[] uses, long imm, MDetail detail, int wasmOffset) {
        this.op = op;
        this.wide = wide;
        this.defs = defs;
        this.uses = uses;
        this.imm = imm;
        this.detail = detail;
        this.wasmOffset = wasmOffset;
        if (!fits(op, detail)) throw new IllegalArgumentException(op + " with detail " + detail);
    }

    /** A parallel move: {@code defs[k]} from {@code sources[k]}; the uses are the register sources. */
    public static MInstr parallelMove(int[] defs, MDetail.Source[] sources, int wasmOffset) {
        if (defs.length != sources.length) throw new IllegalArgumentException("pmov of unequal lengths");
        MDetail.ParallelMove pm = new MDetail.ParallelMove(sources);
        return new MInstr(MOp.PMOV, true, defs, pm.registers(), 0, pm, wasmOffset);
    }

    /** This instruction reading {@code newUses} instead (same length and meaning; not for parallel moves). */
    public MInstr withUses(int[] newUses) {
        if (op == MOp.PMOV) throw new IllegalStateException("pmov uses follow its sources");
        return new MInstr(op, wide, defs, newUses, imm, detail, wasmOffset);
    }

    private static boolean fits(MOp op, MDetail d) {
        return switch (op) {
            case MOV -> d instanceof MDetail.Move;
            case ALU, ALUI -> d instanceof MDetail.Alu;
            case SHIFT, SHIFTI -> d instanceof MDetail.Shift;
            case SETCC, CMOV -> d instanceof MDetail.Condition;
            case MOVSX -> d instanceof MDetail.SignExtend;
            case DIVREM -> d instanceof MDetail.DivRem;
            case BULK -> d instanceof MDetail.Bulk;
            case CALL -> d instanceof MDetail.Call;
            case TAILCALL -> d instanceof MDetail.Call && !(d instanceof MDetail.BuiltinCall);
            case SLOT_LOAD, SLOT_STORE -> d instanceof MDetail.StackArea;
            case PMOV -> d instanceof MDetail.ParallelMove;
            case JMP -> d instanceof MDetail.Jump;
            case JCC -> d instanceof MDetail.Branch;
            case SWITCH -> d instanceof MDetail.Switch;
            case TRAP -> d instanceof MDetail.Trap;
            case LOAD -> d instanceof MDetail.LoadKind;
            case STORE -> d instanceof MDetail.StoreSize;
            case BITOP -> d instanceof MDetail.Bits;
            case FBIN -> d instanceof MDetail.FloatBinary;
            case FUN -> d instanceof MDetail.FloatUnary;
            case FCMP -> d instanceof MDetail.FloatCompare;
            case FCVT -> d instanceof MDetail.Convert;
            case FMINMAX -> d instanceof MDetail.FloatMinMax;
            case SIMD -> d instanceof MDetail.Simd;
            case LANDING -> d instanceof MDetail.Landing;
            case THROW -> d instanceof MDetail.Throw;
            case MOVI, ADD3, IMUL, IMULI, CMP, CMPI, TEST, RET, VMLOAD, VMADDR, GGET, GSET, FCONST, FUEL, TABLE_GET,
                 TABLE_SET, TABLE_SIZE, BOUNDS -> d == null;
        };
    }

    // ---------------------------------------------------------------- typed views of the detail

    public MDetail.Alu alu() {
        return (MDetail.Alu) detail;
    }

    public MDetail.Shift shift() {
        return (MDetail.Shift) detail;
    }

    /** The condition of a SETCC, CMOV or JCC. */
    public Cond cond() {
        return detail instanceof MDetail.Branch b ? b.cond() : ((MDetail.Condition) detail).cond();
    }

    public MDetail.Call call() {
        return (MDetail.Call) detail;
    }

    public MDetail.ParallelMove parallelMove() {
        return (MDetail.ParallelMove) detail;
    }

    /** The blocks a JMP, JCC (taken first) or SWITCH jumps to; none for every other instruction. */
    public int[] targets() {
        return switch (detail) {
            case MDetail.Jump j -> new int[] {j.target()};
            case MDetail.Branch b -> new int[] {b.taken(), b.notTaken()};
            case MDetail.Switch s -> s.targets().clone();
            case null, default -> new int[0];
        };
    }

    // ---------------------------------------------------------------- listing

    /** The name of register {@code r}: a physical register by name, a virtual one as {@code vN} (N = r - 32). */
    public static String registerName(int r) {
        if (r >= MachineFunction.FIRST_VIRTUAL) return "v" + (r - MachineFunction.FIRST_VIRTUAL);
        if (r >= MachineFunction.XMM0) return "xmm" + (r - MachineFunction.XMM0);
        return Gpr.of(r).name().toLowerCase(Locale.ROOT);
    }

    private String intType() {
        return wide ? "i64" : "i32";
    }

    private String floatType() {
        return wide ? "f64" : "f32";
    }

    private String width() {
        return wide ? "64" : "32";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private String use(int k) {
        return registerName(uses[k]);
    }

    private static String block(int b) {
        return "block" + b;
    }

    /** One listing line: {@code defs = operation operands}, e.g. {@code v12 = add.i32 v10, v11}. */
    @Override
    public String toString() {
        String body = switch (op) {
            case MOV -> (detail == MDetail.Move.ZERO_EXTEND ? "zext.i32 "
                    : detail == MDetail.Move.V128 ? "mov.128 " : "mov." + width() + " ") + use(0);
            case MOVI -> "movi." + intType() + " " + imm;
            case ALU -> lower(alu().op()) + "." + intType() + " " + use(0) + ", " + use(1);
            case ALUI -> lower(alu().op()) + "." + intType() + " " + use(0) + ", " + imm;
            case ADD3 -> "add3." + intType() + " " + use(0) + ", " + use(1) + ", " + imm;
            case IMUL -> "imul." + intType() + " " + use(0) + ", " + use(1);
            case IMULI -> "imul." + intType() + " " + use(0) + ", " + imm;
            case SHIFT -> lower(shift().op()) + "." + intType() + " " + use(0) + ", " + use(1);
            case SHIFTI -> lower(shift().op()) + "." + intType() + " " + use(0) + ", " + imm;
            case CMP -> "cmp." + intType() + " " + use(0) + ", " + use(1);
            case CMPI -> "cmp." + intType() + " " + use(0) + ", " + imm;
            case TEST -> "test." + intType() + " " + use(0);
            case SETCC -> "set." + lower(cond());
            case CMOV -> "cmov." + lower(cond()) + "." + width() + " " + use(0) + ", " + use(1);
            case MOVSX -> "sext" + ((MDetail.SignExtend) detail).fromBits() + "." + intType() + " " + use(0);
            case DIVREM -> lower((MDetail.DivRem) detail) + "." + intType() + " " + use(0) + ", " + use(1);
            case BULK -> "memory." + lower((MDetail.Bulk) detail) + " " + use(0) + ", " + use(1) + ", " + use(2)
                    + (imm == 0 ? "" : " (memories " + ((int) imm & MDetail.Bulk.INDEX_MASK)
                    + ((imm & MDetail.Bulk.DST64) != 0 ? " i64" : "") + ", "
                    + ((int) (imm >>> 32) & MDetail.Bulk.INDEX_MASK) + ((imm & MDetail.Bulk.SRC64) != 0 ? " i64" : "")
                    + ")");
            case CALL -> callText() + (imm == 0 ? "" : " (stack results " + imm + ")");
            case TAILCALL -> "tail_" + callText() + (imm == 0 ? "" : " (slots " + (int) imm + ", staged "
                    + (imm >>> 32) + ")");
            case SLOT_LOAD -> "slot_load." + width() + " " + lower((MDetail.StackArea) detail) + " " + imm;
            case SLOT_STORE -> "slot_store." + width() + " " + lower((MDetail.StackArea) detail) + " " + imm + ", "
                    + use(0);
            case PMOV -> pmovText();
            case JMP -> "jmp " + block(((MDetail.Jump) detail).target());
            case JCC -> {
                MDetail.Branch b = (MDetail.Branch) detail;
                yield "jcc." + lower(b.cond()) + " " + block(b.taken()) + ", " + block(b.notTaken());
            }
            case SWITCH -> {
                int[] t = ((MDetail.Switch) detail).targets();
                StringBuilder sb = new StringBuilder("switch ").append(use(0)).append(" [");
                for (int k = 0; k < t.length - 1; k++) sb.append(k == 0 ? "" : ", ").append(block(t[k]));
                sb.append("], default ").append(block(t[t.length - 1]));
                yield (((MDetail.Switch) detail).inRange() ? sb.append(" (index in range)") : sb).toString();
            }
            case RET -> "ret" + list(uses, " ");
            case TRAP -> "trap " + lower(((MDetail.Trap) detail).kind());
            case LOAD -> "load." + (((MDetail.LoadKind) detail).isFloat() ? floatType() : intType() + "."
                    + ((MDetail.LoadKind) detail).suffix) + " [" + use(0) + " + " + use(1) + " + " + imm + "]";
            case STORE -> "store." + ((MDetail.StoreSize) detail).bytes * 8 + " [" + use(0) + " + " + use(1) + " + "
                    + imm + "], " + use(2);
            case BOUNDS -> "bounds " + use(0) + " + " + (imm & 0xFFFF_FFFFL) + " <= "
                    + (uses.length == 2 ? use(1) : "[vmctx + " + (imm >>> 32) + "]");
            case VMLOAD -> "vmload [vmctx + " + imm + "]";
            case VMADDR -> "vmaddr vmctx + " + imm;
            case TABLE_GET -> "table_get [[vmctx + " + imm + "]], " + use(0);
            case TABLE_SET -> "table_set [[vmctx + " + imm + "]], " + use(0) + ", " + use(1);
            case TABLE_SIZE -> "table_size [[vmctx + " + imm + "]]";
            case GGET -> "global_get." + width() + " [[vmctx + " + imm + "]]";
            case GSET -> "global_set." + width() + " [[vmctx + " + imm + "]], " + use(0);
            case FUEL -> ((imm & 1) != 0 ? "fuel_check " : "fuel ") + (imm >>> 1);
            case BITOP -> lower(((MDetail.Bits) detail).op()) + "." + intType() + " " + use(0);
            case FCONST -> "fconst." + floatType() + " " + floatText();
            case FBIN -> "f" + lower((MDetail.FloatBinary) detail) + "." + floatType() + " " + use(0) + ", " + use(1);
            case FUN -> "f" + lower((MDetail.FloatUnary) detail) + "." + floatType() + " " + use(0);
            case FCMP -> "fcmp." + lower((MDetail.FloatCompare) detail) + "." + floatType() + " " + use(0) + ", "
                    + use(1);
            case FCVT -> convertText() + " " + use(0);
            case FMINMAX -> "f" + lower((MDetail.FloatMinMax) detail) + "." + floatType() + " " + use(0) + ", "
                    + use(1);
            case SIMD -> simdText();
            case LANDING -> "landing" + java.util.Arrays.toString(((MDetail.Landing) detail).index());
            case THROW -> ((MDetail.Throw) detail).tag() < 0 ? "throw_ref " + use(0)
                    : "throw tag " + ((MDetail.Throw) detail).tag() + list(uses, " ");
        };
        if (op == MOp.SIMD) {
            MDetail.Simd sd = (MDetail.Simd) detail;
            return sd.hasResult() ? registerName(defs[0]) + " = " + body : body;
        }
        if (op == MOp.CALL || defs.length == 0) return body;
        if (op == MOp.BULK) return body + " (clobbers" + list(defs, " ") + ")";
        return list(defs, "").substring(1) + " = " + body;
    }

    /** {@code " a, b, c"} (with {@code lead} before the first), or "" for none. */
    private static String list(int[] registers, String lead) {
        if (registers.length == 0) return "";
        StringBuilder sb = new StringBuilder(lead.isEmpty() ? " " : lead);
        for (int k = 0; k < registers.length; k++) sb.append(k == 0 ? "" : ", ").append(registerName(registers[k]));
        return sb.toString();
    }

    private String callText() {
        int args = uses.length;
        String callee = switch (call()) {
            case MDetail.DirectCall d -> "call f" + d.function() + (d.irregular() ? " (irregular exit)" : "");
            case MDetail.ImportCall c -> "call import f" + c.function();
            case MDetail.BuiltinCall c -> "call builtin " + c.name();
            case MDetail.IndirectCall c -> {
                args--;
                yield "call_indirect type " + c.typeIndex() + " table " + c.table() + " [" + use(args) + "]";
            }
            case MDetail.RefCall c -> {
                args--;
                yield "call_ref type " + c.typeIndex() + " [" + use(args) + "]";
            }
        };
        StringBuilder sb = new StringBuilder(callee).append(" (");
        for (int k = 0; k < args; k++) sb.append(k == 0 ? "" : ", ").append(use(k));
        sb.append(')');
        if (defs.length > 0) sb.append(" ->").append(list(defs, " "));
        return sb.toString();
    }

    /**
     * {@code simd i32x4.add v1, v2}, {@code simd i32x4.extract_lane 2 v1}, {@code simd v128.load [v0 + v1 + 16]},
     * then {@code ; temps v5, v6} when the sequence needs temporaries.
     */
    private String simdText() {
        MDetail.Simd sd = (MDetail.Simd) detail;
        StringBuilder sb = new StringBuilder("simd ").append(sd.op().text());
        dev.isthmus.binary.Immediate k = sd.op().immediate();
        if (k == dev.isthmus.binary.Immediate.LANE || k == dev.isthmus.binary.Immediate.MEMARG_LANE) {
            sb.append(" lane ").append(sd.lane());
        }
        if (sd.bytes() != null) sb.append(" 0x").append(java.util.HexFormat.of().formatHex(sd.bytes()));
        int first = 0;
        String sep = " ";
        if (sd.memory()) {
            sb.append(" [").append(use(0)).append(" + ").append(use(1)).append(" + ").append(imm).append(']');
            first = 2;
            sep = ", ";
        }
        int next = first;
        int sources = uses.length - first + Integer.bitCount(sd.absent());
        for (int j = 0; j < sources; j++) {
            sb.append(sep).append(sd.isAbsent(j) ? "const" : use(next++));
            sep = ", ";
        }
        int temps = sd.xmmTemps() + sd.gprTemps();
        if (temps > 0) {
            sb.append(" ; temps");
            for (int t = 0; t < temps; t++) sb.append(t == 0 ? " " : ", ").append(registerName(defs[sd.firstTemp() + t]));
        }
        return sb.toString();
    }

    private String pmovText() {
        MDetail.ParallelMove pm = parallelMove();
        StringBuilder sb = new StringBuilder("pmov");
        for (int k = 0; k < pm.sources().length; k++) {
            sb.append(k == 0 ? " " : ", ");
            if (pm.isConstant(k)) sb.append(pm.constant(k));
            else sb.append(registerName(pm.register(k)));
        }
        return sb.toString();
    }

    private String floatText() {
        if (wide) {
            double d = Double.longBitsToDouble(imm);
            return Double.isNaN(d) ? "nan:0x" + Long.toHexString(imm) : Double.toString(d);
        }
        float f = Float.intBitsToFloat((int) imm);
        return Float.isNaN(f) ? "nan:0x" + Integer.toHexString((int) imm) : Float.toString(f);
    }

    private String convertText() {
        MDetail.Convert c = (MDetail.Convert) detail;
        String from = c.wideSource() ? "64" : "32";
        return switch (c.kind()) {
            case PROMOTE -> "promote.f64.f32";
            case DEMOTE -> "demote.f32.f64";
            case CONVERT_S -> "convert_s." + floatType() + ".i" + from;
            case CONVERT_U32 -> "convert_u." + floatType() + ".i32";
            case REINTERPRET -> "reinterpret." + width();
            case TRUNC_S -> "trunc_s." + intType() + ".f" + from;
            case TRUNC_U -> "trunc_u." + intType() + ".f" + from;
            case TRUNC_SAT_S -> "trunc_sat_s." + intType() + ".f" + from;
            case TRUNC_SAT_U -> "trunc_sat_u." + intType() + ".f" + from;
            case CONVERT_U64 -> "convert_u." + floatType() + ".i64";
        };
    }
}
