package dev.isthmus.compiler.baseline;

import dev.isthmus.binary.InstructionReader;
import dev.isthmus.binary.Opcode;
import dev.isthmus.model.ValType;
import dev.isthmus.runtime.abi.Builtin;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.Gpr;
import dev.isthmus.x64.Mem;
import dev.isthmus.x64.ShiftOp;
import dev.isthmus.x64.SseOp;

import static dev.isthmus.model.ValType.F32;
import static dev.isthmus.model.ValType.F64;
import static dev.isthmus.model.ValType.I32;
import static dev.isthmus.model.ValType.I64;
import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static dev.isthmus.x64.OperandSize.WORD;

/** The table from numeric, memory, table and reference instructions to their lowerings. */
final class Instructions {
    private Instructions() {}

    private static final long[] NONE = {};

    /** Lowers {@code op}; false if it is not one of these instructions. */
    static boolean numericOrMemory(Opcode op, InstructionReader r, Codegen g, IntegerLowering ints,
                                   FloatLowering floats, ConversionLowering conv, MemoryLowering mem,
                                   CallLowering calls, int localUpdatedNext) {
        switch (op) {
            case I32_LOAD -> mem.load(r.memory(), I32, DWORD, false, r.memOffset());
            case I64_LOAD -> mem.load(r.memory(), I64, QWORD, false, r.memOffset());
            case F32_LOAD -> mem.load(r.memory(), F32, DWORD, false, r.memOffset());
            case F64_LOAD -> mem.load(r.memory(), F64, QWORD, false, r.memOffset());
            case I32_LOAD8_S -> mem.load(r.memory(), I32, BYTE, true, r.memOffset());
            case I32_LOAD8_U -> mem.load(r.memory(), I32, BYTE, false, r.memOffset());
            case I32_LOAD16_S -> mem.load(r.memory(), I32, WORD, true, r.memOffset());
            case I32_LOAD16_U -> mem.load(r.memory(), I32, WORD, false, r.memOffset());
            case I64_LOAD8_S -> mem.load(r.memory(), I64, BYTE, true, r.memOffset());
            case I64_LOAD8_U -> mem.load(r.memory(), I64, BYTE, false, r.memOffset());
            case I64_LOAD16_S -> mem.load(r.memory(), I64, WORD, true, r.memOffset());
            case I64_LOAD16_U -> mem.load(r.memory(), I64, WORD, false, r.memOffset());
            case I64_LOAD32_S -> mem.load(r.memory(), I64, DWORD, true, r.memOffset());
            case I64_LOAD32_U -> mem.load(r.memory(), I64, DWORD, false, r.memOffset());
            case I32_STORE -> mem.store(r.memory(), I32, DWORD, r.memOffset());
            case I64_STORE -> mem.store(r.memory(), I64, QWORD, r.memOffset());
            case F32_STORE -> mem.store(r.memory(), F32, DWORD, r.memOffset());
            case F64_STORE -> mem.store(r.memory(), F64, QWORD, r.memOffset());
            case I32_STORE8, I64_STORE8 -> mem.store(r.memory(), I64, BYTE, r.memOffset());
            case I32_STORE16, I64_STORE16 -> mem.store(r.memory(), I64, WORD, r.memOffset());
            case I64_STORE32 -> mem.store(r.memory(), I64, DWORD, r.memOffset());
            case MEMORY_SIZE -> mem.memorySize(r.memory());
            case MEMORY_GROW -> {
                ValType at = g.memory64[r.memory()] ? I64 : I32;
                if (r.memory() == 0) calls.builtin(Builtin.MEMORY_GROW, NONE, 1, false, at);
                else calls.builtin(Builtin.MEMORY_GROW_N, new long[] {r.memory()}, 1, false, at);
            }
            case MEMORY_FILL -> mem.bulk(false, r.memory(), r.memory());
            case MEMORY_COPY -> mem.bulk(true, r.index(), r.index2());
            case MEMORY_INIT -> {
                if (r.memory() == 0) calls.builtin(Builtin.MEMORY_INIT, new long[] {r.index()}, 3, true, null);
                else calls.builtin(Builtin.MEMORY_INIT_N, new long[] {r.memory(), r.index()}, 3, true, null);
            }
            case DATA_DROP -> calls.builtin(Builtin.DATA_DROP, new long[] {r.index()}, 0, false, null);
            case TABLE_GROW -> calls.builtin(Builtin.TABLE_GROW, new long[] {r.index()}, 2, false,
                    g.table64[r.index()] ? I64 : I32);
            case TABLE_FILL -> calls.builtin(Builtin.TABLE_FILL, new long[] {r.index()}, 3, true, null);
            case TABLE_COPY -> calls.builtin(Builtin.TABLE_COPY, new long[] {r.index(), r.index2()}, 3, true, null);
            case TABLE_INIT -> calls.builtin(Builtin.TABLE_INIT, new long[] {r.index2(), r.index()}, 3, true, null);
            case ELEM_DROP -> calls.builtin(Builtin.ELEM_DROP, new long[] {r.index()}, 0, false, null);
            case TABLE_SIZE -> mem.tableSize(r.index());
            case REF_NULL -> g.pushConst(r.refType(), 0);
            case REF_IS_NULL -> ints.eqz(I64);
            case REF_AS_NON_NULL -> {
                Val ref = g.pop();
                Gpr d = g.ownGpr(ref);
                g.a.test(QWORD, d, d);
                g.a.jcc(Cond.E, g.trap(TrapCode.NULL_REFERENCE));
                g.pushReg(ref.type().asNonNull(), d);
            }
            case REF_FUNC -> {
                Gpr d = g.allocGpr();
                g.a.lea(QWORD, d, Mem.of(Gpr.R15, (int) g.vm.funcRef(r.index())));
                g.pushReg(ValType.FUNCREF, d);
            }

            case I32_EQZ -> ints.eqz(I32);
            case I64_EQZ -> ints.eqz(I64);
            case I32_EQ -> ints.compare(I32, Cond.E);
            case I32_NE -> ints.compare(I32, Cond.NE);
            case I32_LT_S -> ints.compare(I32, Cond.L);
            case I32_LT_U -> ints.compare(I32, Cond.B);
            case I32_GT_S -> ints.compare(I32, Cond.G);
            case I32_GT_U -> ints.compare(I32, Cond.A);
            case I32_LE_S -> ints.compare(I32, Cond.LE);
            case I32_LE_U -> ints.compare(I32, Cond.BE);
            case I32_GE_S -> ints.compare(I32, Cond.GE);
            case I32_GE_U -> ints.compare(I32, Cond.AE);
            case I64_EQ -> ints.compare(I64, Cond.E);
            case I64_NE -> ints.compare(I64, Cond.NE);
            case I64_LT_S -> ints.compare(I64, Cond.L);
            case I64_LT_U -> ints.compare(I64, Cond.B);
            case I64_GT_S -> ints.compare(I64, Cond.G);
            case I64_GT_U -> ints.compare(I64, Cond.A);
            case I64_LE_S -> ints.compare(I64, Cond.LE);
            case I64_LE_U -> ints.compare(I64, Cond.BE);
            case I64_GE_S -> ints.compare(I64, Cond.GE);
            case I64_GE_U -> ints.compare(I64, Cond.AE);
            case F32_EQ -> floats.compare(F32, "eq");
            case F32_NE -> floats.compare(F32, "ne");
            case F32_LT -> floats.compare(F32, "lt");
            case F32_GT -> floats.compare(F32, "gt");
            case F32_LE -> floats.compare(F32, "le");
            case F32_GE -> floats.compare(F32, "ge");
            case F64_EQ -> floats.compare(F64, "eq");
            case F64_NE -> floats.compare(F64, "ne");
            case F64_LT -> floats.compare(F64, "lt");
            case F64_GT -> floats.compare(F64, "gt");
            case F64_LE -> floats.compare(F64, "le");
            case F64_GE -> floats.compare(F64, "ge");

            case I32_CLZ -> ints.clz(I32);
            case I32_CTZ -> ints.ctz(I32);
            case I32_POPCNT -> ints.popcnt(I32);
            case I64_CLZ -> ints.clz(I64);
            case I64_CTZ -> ints.ctz(I64);
            case I64_POPCNT -> ints.popcnt(I64);
            case I32_ADD -> ints.alu(AluOp.ADD, I32, localUpdatedNext);
            case I32_SUB -> ints.alu(AluOp.SUB, I32, localUpdatedNext);
            case I32_AND -> ints.alu(AluOp.AND, I32, localUpdatedNext);
            case I32_OR -> ints.alu(AluOp.OR, I32, localUpdatedNext);
            case I32_XOR -> ints.alu(AluOp.XOR, I32, localUpdatedNext);
            case I64_ADD -> ints.alu(AluOp.ADD, I64, localUpdatedNext);
            case I64_SUB -> ints.alu(AluOp.SUB, I64, localUpdatedNext);
            case I64_AND -> ints.alu(AluOp.AND, I64, localUpdatedNext);
            case I64_OR -> ints.alu(AluOp.OR, I64, localUpdatedNext);
            case I64_XOR -> ints.alu(AluOp.XOR, I64, localUpdatedNext);
            case I32_MUL -> ints.mul(I32, localUpdatedNext);
            case I64_MUL -> ints.mul(I64, localUpdatedNext);
            case I32_DIV_S -> ints.divide(I32, true, false);
            case I32_DIV_U -> ints.divide(I32, false, false);
            case I32_REM_S -> ints.divide(I32, true, true);
            case I32_REM_U -> ints.divide(I32, false, true);
            case I64_DIV_S -> ints.divide(I64, true, false);
            case I64_DIV_U -> ints.divide(I64, false, false);
            case I64_REM_S -> ints.divide(I64, true, true);
            case I64_REM_U -> ints.divide(I64, false, true);
            case I32_SHL -> ints.shift(ShiftOp.SHL, I32);
            case I32_SHR_S -> ints.shift(ShiftOp.SAR, I32);
            case I32_SHR_U -> ints.shift(ShiftOp.SHR, I32);
            case I32_ROTL -> ints.shift(ShiftOp.ROL, I32);
            case I32_ROTR -> ints.shift(ShiftOp.ROR, I32);
            case I64_SHL -> ints.shift(ShiftOp.SHL, I64);
            case I64_SHR_S -> ints.shift(ShiftOp.SAR, I64);
            case I64_SHR_U -> ints.shift(ShiftOp.SHR, I64);
            case I64_ROTL -> ints.shift(ShiftOp.ROL, I64);
            case I64_ROTR -> ints.shift(ShiftOp.ROR, I64);

            case F32_ABS -> floats.sign(F32, false);
            case F32_NEG -> floats.sign(F32, true);
            case F64_ABS -> floats.sign(F64, false);
            case F64_NEG -> floats.sign(F64, true);
            case F32_CEIL -> floats.round(F32, 2);
            case F32_FLOOR -> floats.round(F32, 1);
            case F32_TRUNC -> floats.round(F32, 3);
            case F32_NEAREST -> floats.round(F32, 0);
            case F64_CEIL -> floats.round(F64, 2);
            case F64_FLOOR -> floats.round(F64, 1);
            case F64_TRUNC -> floats.round(F64, 3);
            case F64_NEAREST -> floats.round(F64, 0);
            case F32_SQRT -> floats.sqrt(F32);
            case F64_SQRT -> floats.sqrt(F64);
            case F32_ADD -> floats.binary(SseOp.ADDSS, F32, localUpdatedNext);
            case F32_SUB -> floats.binary(SseOp.SUBSS, F32, localUpdatedNext);
            case F32_MUL -> floats.binary(SseOp.MULSS, F32, localUpdatedNext);
            case F32_DIV -> floats.binary(SseOp.DIVSS, F32, localUpdatedNext);
            case F64_ADD -> floats.binary(SseOp.ADDSD, F64, localUpdatedNext);
            case F64_SUB -> floats.binary(SseOp.SUBSD, F64, localUpdatedNext);
            case F64_MUL -> floats.binary(SseOp.MULSD, F64, localUpdatedNext);
            case F64_DIV -> floats.binary(SseOp.DIVSD, F64, localUpdatedNext);
            case F32_MIN -> floats.minMax(F32, false);
            case F32_MAX -> floats.minMax(F32, true);
            case F64_MIN -> floats.minMax(F64, false);
            case F64_MAX -> floats.minMax(F64, true);
            case F32_COPYSIGN -> floats.copysign(F32);
            case F64_COPYSIGN -> floats.copysign(F64);

            case I32_WRAP_I64 -> ints.extend(I32, DWORD, false);
            case I64_EXTEND_I32_S -> ints.extend(I64, DWORD, true);
            case I64_EXTEND_I32_U -> ints.extend(I64, DWORD, false);
            case I32_EXTEND8_S -> ints.extend(I32, BYTE, true);
            case I32_EXTEND16_S -> ints.extend(I32, WORD, true);
            case I64_EXTEND8_S -> ints.extend(I64, BYTE, true);
            case I64_EXTEND16_S -> ints.extend(I64, WORD, true);
            case I64_EXTEND32_S -> ints.extend(I64, DWORD, true);
            case I32_TRUNC_F32_S -> conv.truncate(F32, I32, true, false);
            case I32_TRUNC_F32_U -> conv.truncate(F32, I32, false, false);
            case I32_TRUNC_F64_S -> conv.truncate(F64, I32, true, false);
            case I32_TRUNC_F64_U -> conv.truncate(F64, I32, false, false);
            case I64_TRUNC_F32_S -> conv.truncate(F32, I64, true, false);
            case I64_TRUNC_F32_U -> conv.truncate(F32, I64, false, false);
            case I64_TRUNC_F64_S -> conv.truncate(F64, I64, true, false);
            case I64_TRUNC_F64_U -> conv.truncate(F64, I64, false, false);
            case I32_TRUNC_SAT_F32_S -> conv.truncate(F32, I32, true, true);
            case I32_TRUNC_SAT_F32_U -> conv.truncate(F32, I32, false, true);
            case I32_TRUNC_SAT_F64_S -> conv.truncate(F64, I32, true, true);
            case I32_TRUNC_SAT_F64_U -> conv.truncate(F64, I32, false, true);
            case I64_TRUNC_SAT_F32_S -> conv.truncate(F32, I64, true, true);
            case I64_TRUNC_SAT_F32_U -> conv.truncate(F32, I64, false, true);
            case I64_TRUNC_SAT_F64_S -> conv.truncate(F64, I64, true, true);
            case I64_TRUNC_SAT_F64_U -> conv.truncate(F64, I64, false, true);
            case F32_CONVERT_I32_S -> conv.convert(I32, F32, true);
            case F32_CONVERT_I32_U -> conv.convert(I32, F32, false);
            case F32_CONVERT_I64_S -> conv.convert(I64, F32, true);
            case F32_CONVERT_I64_U -> conv.convert(I64, F32, false);
            case F64_CONVERT_I32_S -> conv.convert(I32, F64, true);
            case F64_CONVERT_I32_U -> conv.convert(I32, F64, false);
            case F64_CONVERT_I64_S -> conv.convert(I64, F64, true);
            case F64_CONVERT_I64_U -> conv.convert(I64, F64, false);
            case F32_DEMOTE_F64 -> conv.demote();
            case F64_PROMOTE_F32 -> conv.promote();
            case I32_REINTERPRET_F32 -> conv.reinterpret(I32);
            case I64_REINTERPRET_F64 -> conv.reinterpret(I64);
            case F32_REINTERPRET_I32 -> conv.reinterpret(F32);
            case F64_REINTERPRET_I64 -> conv.reinterpret(F64);
            default -> {
                return false;
            }
        }
        return true;
    }
}
