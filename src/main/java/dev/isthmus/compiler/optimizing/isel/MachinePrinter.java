package dev.isthmus.compiler.optimizing.isel;

import dev.isthmus.compiler.optimizing.ir.IrOp;
import dev.isthmus.runtime.abi.TrapKind;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.BitOp;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.ShiftOp;

/**
 * Text form of a {@link MachineFunction}, for tests and debugging: one line per {@link MInstr}, e.g.
 * {@code alu.32 add v34 = v32, v33}. Operation name with {@code .32}/{@code .64} for its width, the detail named
 * where {@code aux} has a known meaning (ALU, shift, condition, bit op, division kind, trap kind), then
 * {@code defs = uses}, then {@code imm}, {@code aux} or {@code extra} when they carry something. Registers print as
 * {@code rax}…{@code r15}, {@code xmm0}…{@code xmm15}, virtual ones as {@code v32}….
 */
public final class MachinePrinter {
    private MachinePrinter() {}

    private static final String[] OPS = {
        "mov", "movi", "alu", "alui", "imul", "imuli", "shift", "shifti", "cmp", "cmpi", "test", "setcc", "cmov",
        "movsx", "divrem", "call", "pmov", "jmp", "jcc", "switch", "ret", "trap", "load", "store", "vmload", "gget",
        "gset", "bitop", "fconst", "fbin", "fun", "fcmp", "fcvt", "fminmax"};

    private static final String[] GPR = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};

    private static final String[] FBIN = {"add", "sub", "mul", "div"};
    private static final String[] FUN = {"sqrt", "neg", "abs", "round"};
    private static final String[] FCMP = {"eq", "ne", "lt", "gt", "le", "ge"};
    private static final String[] FCVT = {
        "promote", "demote", "convert_s", "convert_u32", "reinterpret", "trunc_s"};
    private static final String[] FMINMAX = {"min", "max", "copysign"};
    private static final String[] CALL = {"direct", "import", "indirect"};

    /** The whole function: each block's label and successors, then its instructions. */
    public static String print(MachineFunction m) {
        StringBuilder s = new StringBuilder();
        for (int b = 0; b < m.blocks.size(); b++) {
            s.append('b').append(b).append(':');
            int[] succ = b < m.successors.size() ? m.successors.get(b) : null;
            if (succ != null && succ.length > 0) {
                s.append("  ; succs");
                for (int t : succ) s.append(" b").append(t);
            }
            s.append('\n');
            for (MInstr i : m.blocks.get(b)) s.append("  ").append(print(i)).append('\n');
        }
        return s.toString();
    }

    /** One instruction as a listing line (without indentation or line end). */
    public static String print(MInstr i) {
        StringBuilder s = new StringBuilder();
        s.append(i.op >= 0 && i.op < OPS.length ? OPS[i.op] : "op" + i.op).append(i.wide ? ".64" : ".32");
        String detail = detail(i);
        if (detail != null) s.append(' ').append(detail);
        boolean pmov = i.op == MInstr.PMOV;
        if (i.defs.length > 0) {
            s.append(' ');
            registers(s, i.defs);
            s.append(" =");
        }
        for (int k = 0; k < i.uses.length; k++) {
            s.append(k == 0 ? " " : ", ");
            if (pmov && i.uses[k] < 0 && i.extra != null && k < i.extra.length) s.append('#').append(i.extra[k]);
            else s.append(register(i.uses[k]));
        }
        if (showsImm(i)) s.append(" imm=").append(i.imm);
        if (detail == null && i.aux != 0) s.append(" aux=").append(i.aux);
        if (i.extra != null && !pmov) {
            boolean targets = i.op == MInstr.JMP || i.op == MInstr.JCC || i.op == MInstr.SWITCH;
            s.append(targets ? " ->" : " extra=");
            for (int k = 0; k < i.extra.length; k++) {
                s.append(k == 0 ? (targets ? " " : "") : ", ");
                s.append(targets ? "b" : "").append(i.extra[k]);
            }
        }
        return s.toString();
    }

    /** The register's name: physical by encoding, else {@code v<number>}. */
    public static String register(int r) {
        if (r < 0) return "-";
        if (r < MachineFunction.XMM0) return GPR[r];
        if (r < MachineFunction.FIRST_VIRTUAL) return "xmm" + (r - MachineFunction.XMM0);
        return "v" + r;
    }

    private static void registers(StringBuilder s, int[] rs) {
        for (int k = 0; k < rs.length; k++) s.append(k == 0 ? "" : ", ").append(register(rs[k]));
    }

    private static boolean showsImm(MInstr i) {
        return switch (i.op) {
            case MInstr.MOVI, MInstr.ALUI, MInstr.IMULI, MInstr.SHIFTI, MInstr.CMPI, MInstr.FCONST, MInstr.CALL,
                 MInstr.LOAD, MInstr.STORE, MInstr.VMLOAD, MInstr.GGET, MInstr.GSET -> true;
            case MInstr.TRAP -> false; // named in the detail
            default -> i.imm != 0;
        };
    }

    /** The meaning of {@code aux} (and of {@code imm} for traps), or null when it has none to name. */
    private static String detail(MInstr i) {
        int a = i.aux;
        return switch (i.op) {
            case MInstr.ALU, MInstr.ALUI -> name(AluOp.values(), a);
            case MInstr.SHIFT, MInstr.SHIFTI -> name(ShiftOp.values(), a);
            case MInstr.SETCC, MInstr.CMOV, MInstr.JCC -> name(Cond.values(), a);
            case MInstr.BITOP -> name(BitOp.values(), a);
            case MInstr.DIVREM -> name(IrOp.values(), a);
            case MInstr.TRAP -> i.imm >= 0 && i.imm < TrapKind.values().length
                    ? TrapKind.values()[(int) i.imm].name().toLowerCase() : "kind" + i.imm;
            case MInstr.FBIN -> name(FBIN, a);
            case MInstr.FUN -> name(FUN, a);
            case MInstr.FCMP -> name(FCMP, a);
            case MInstr.FCVT -> name(FCVT, a);
            case MInstr.FMINMAX -> name(FMINMAX, a);
            case MInstr.CALL -> name(CALL, a);
            case MInstr.MOVSX -> "from" + a;
            case MInstr.LOAD -> name(IrOp.LOAD_KINDS, a);
            case MInstr.STORE -> "bytes" + a;
            default -> null;
        };
    }

    private static String name(Enum<?>[] values, int ordinal) {
        return ordinal >= 0 && ordinal < values.length ? values[ordinal].name().toLowerCase() : "aux" + ordinal;
    }

    private static String name(String[] names, int index) {
        return index >= 0 && index < names.length ? names[index] : "aux" + index;
    }
}
