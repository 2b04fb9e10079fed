package dev.isthmus.compiler.optimizing.isel;

import dev.isthmus.binary.ModuleDecoder;
import dev.isthmus.compiler.optimizing.passes.Simplifier;
import dev.isthmus.compiler.optimizing.ir.IrFunction;
import dev.isthmus.compiler.optimizing.ssa.SsaBuilder;
import dev.isthmus.model.WasmModule;
import dev.isthmus.runtime.abi.VmContextLayout;
import dev.isthmus.runtime.abi.TrapCode;
import dev.isthmus.text.Wat;
import dev.isthmus.validate.Validator;
import dev.isthmus.x64.AluOp;
import dev.isthmus.x64.BitOp;
import dev.isthmus.x64.Cond;
import dev.isthmus.x64.ShiftOp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link MInstr#toString()} and {@link MachineFunction#toString()}: one listing line per instruction. */
class MInstrPrinterTest {
    private static final int V = MachineFunction.FIRST_VIRTUAL;
    private static final int RAX = 0, RCX = 1, RDX = 2, RSI = 6, RDI = 7, XMM0 = MachineFunction.XMM0;

    private static int[] r(int... registers) {
        return registers;
    }

    private static MInstr i(MOp op, boolean wide, int[] defs, int[] uses, long imm, MDetail detail) {
        return new MInstr(op, wide, defs, uses, imm, detail, -1);
    }

    @Test
    void integerInstructions() {
        assertEquals("v12 = add.i32 v10, v11",
                i(MOp.ALU, false, r(V + 12), r(V + 10, V + 11), 0, new MDetail.Alu(AluOp.ADD, true)).toString());
        assertEquals("v3 = sub.i64 v1, 7",
                i(MOp.ALUI, true, r(V + 3), r(V + 1), 7, new MDetail.Alu(AluOp.SUB, false)).toString());
        assertEquals("v4 = shl.i32 v2, rcx",
                i(MOp.SHIFT, false, r(V + 4), r(V + 2, RCX), 0, new MDetail.Shift(ShiftOp.SHL)).toString());
        assertEquals("v0 = mov.32 rdi", i(MOp.MOV, false, r(V), r(RDI), 0, MDetail.Move.COPY).toString());
        assertEquals("rax = zext.i32 v5", i(MOp.MOV, false, r(RAX), r(V + 5), 0, MDetail.Move.ZERO_EXTEND).toString());
        assertEquals("v9 = movi.i64 -1", i(MOp.MOVI, true, r(V + 9), r(), -1, null).toString());
        assertEquals("cmp.i32 v1, 100", i(MOp.CMPI, false, r(), r(V + 1), 100, null).toString());
        assertEquals("v6 = set.le", i(MOp.SETCC, false, r(V + 6), r(), 0, new MDetail.Condition(Cond.LE)).toString());
        assertEquals("rax, rdx = rem_u.i64 rax, v8",
                i(MOp.DIVREM, true, r(RAX, RDX), r(RAX, V + 8), 0, MDetail.DivRem.REM_U).toString());
        assertEquals("v2 = sext8.i64 v1", i(MOp.MOVSX, true, r(V + 2), r(V + 1), 0, new MDetail.SignExtend(8)).toString());
        assertEquals("v2 = popcnt.i32 v1", i(MOp.BITOP, false, r(V + 2), r(V + 1), 0, new MDetail.Bits(BitOp.POPCNT)).toString());
    }

    @Test
    void simdInstructions() {
        assertEquals("v3 = simd i32x4.add v1, v2", i(MOp.SIMD, false, r(V + 3), r(V + 1, V + 2), 0,
                new MDetail.Simd(dev.isthmus.binary.Opcode.I32X4_ADD, 0, null, false, true, 0, 0)).toString());
        assertEquals("v4 = simd v128.bitselect v1, v2, v3 ; temps v5", i(MOp.SIMD, false, r(V + 4, V + 5),
                r(V + 1, V + 2, V + 3), 0, new MDetail.Simd(dev.isthmus.binary.Opcode.V128_BITSELECT, 0, null, false,
                        true, 1, 0)).toString());
        assertEquals("v2 = simd i32x4.extract_lane lane 3 v1", i(MOp.SIMD, false, r(V + 2), r(V + 1), 0,
                new MDetail.Simd(dev.isthmus.binary.Opcode.I32X4_EXTRACT_LANE, 3, null, false, true, 0, 0)).toString());
        assertEquals("simd v128.store8_lane lane 15 [v0 + v1 + 16], v2", i(MOp.SIMD, false, r(), r(V, V + 1, V + 2),
                16, new MDetail.Simd(dev.isthmus.binary.Opcode.V128_STORE8_LANE, 15, null, true, false, 0, 0)).toString());
        assertEquals("v1 = simd v128.const 0x000102030405060708090a0b0c0d0e0f", i(MOp.SIMD, false, r(V + 1), r(), 0,
                new MDetail.Simd(dev.isthmus.binary.Opcode.V128_CONST, 0,
                        new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, false, true, 0, 0)).toString());
        assertEquals("v1 = mov.128 xmm0", i(MOp.MOV, false, r(V + 1), r(XMM0), 0, MDetail.Move.V128).toString());
    }

    @Test
    void floatAndMemoryInstructions() {
        assertEquals("v3 = fdiv.f64 v1, v2",
                i(MOp.FBIN, true, r(V + 3), r(V + 1, V + 2), 0, MDetail.FloatBinary.DIV).toString());
        assertEquals("v3 = ffloor.f32 v1", i(MOp.FUN, false, r(V + 3), r(V + 1), 0, MDetail.FloatUnary.rounding(1)).toString());
        assertEquals("v3 = fcmp.lt.f64 v1, v2",
                i(MOp.FCMP, true, r(V + 3), r(V + 1, V + 2), 0, MDetail.FloatCompare.LT).toString());
        assertEquals("v3 = trunc_s.i32.f64 v1", i(MOp.FCVT, false, r(V + 3), r(V + 1), 0,
                new MDetail.Convert(MDetail.ConvertKind.TRUNC_S, true)).toString());
        assertEquals("xmm0 = fconst.f64 1.5",
                i(MOp.FCONST, true, r(XMM0), r(), Double.doubleToRawLongBits(1.5), null).toString());
        assertEquals("v5 = load.i64.16s [v1 + v2 + 8]",
                i(MOp.LOAD, true, r(V + 5), r(V + 1, V + 2), 8, MDetail.LoadKind.S16).toString());
        assertEquals("store.8 [v1 + v2 + 0], v3",
                i(MOp.STORE, false, r(), r(V + 1, V + 2, V + 3), 0, MDetail.StoreSize.BYTE).toString());
        assertEquals("v7 = global_get.64 [[vmctx + 48]]", i(MOp.GGET, true, r(V + 7), r(), 48, null).toString());
    }

    @Test
    void controlAndCalls() {
        assertEquals("jcc.l block3, block5",
                i(MOp.JCC, false, r(), r(), 0, new MDetail.Branch(Cond.L, 3, 5)).toString());
        assertEquals("jmp block2", i(MOp.JMP, false, r(), r(), 0, new MDetail.Jump(2)).toString());
        assertEquals("switch v4 [block1, block2], default block3",
                i(MOp.SWITCH, false, r(), r(V + 4), 0, new MDetail.Switch(new int[] {1, 2, 3})).toString());
        assertEquals("call f2 (rdi, rsi) -> rax",
                i(MOp.CALL, false, r(RAX), r(RDI, RSI), 0, new MDetail.DirectCall(2)).toString());
        assertEquals("call_indirect type 1 table 0 [v9] (rdi)",
                i(MOp.CALL, false, r(), r(RDI, V + 9), 0, new MDetail.IndirectCall(1, 4, 0, 64)).toString());
        assertEquals("ret rax", i(MOp.RET, false, r(), r(RAX), 0, null).toString());
        assertEquals("trap integer_overflow",
                i(MOp.TRAP, false, r(), r(), 0, new MDetail.Trap(TrapCode.INTEGER_OVERFLOW)).toString());
        MInstr pmov = MInstr.parallelMove(r(V + 4, V + 5), new MDetail.Source[] {
                new MDetail.Register(V + 9), new MDetail.Constant(0)}, -1);
        assertEquals("v4, v5 = pmov v9, 0", pmov.toString());
        assertEquals(1, pmov.uses.length); // only register sources are uses
    }

    @Test
    void detailMustFitTheOperation() {
        assertThrows(IllegalArgumentException.class,
                () -> i(MOp.ALU, false, r(V), r(V, V), 0, new MDetail.Shift(ShiftOp.SHL)));
    }

    @Test
    void functionListing() {
        WasmModule m = ModuleDecoder.decode(Wat.toBinary("""
                (module (func (param i32 i32) (result i32)
                  (if (result i32) (i32.lt_s (local.get 0) (local.get 1))
                    (then (i32.add (local.get 0) (local.get 1)))
                    (else (i32.const 7)))))
                """));
        Validator.validate(m);
        IrFunction f = SsaBuilder.build(m, 0);
        Simplifier.run(f);
        String listing = InstructionSelector.select(f, VmContextLayout.of(m), m).toString();
        assertEquals("""
                block0: ; successors block2 block3
                    v0 = mov.32 rdi
                    v1 = mov.32 rsi
                    cmp.i32 v0, v1
                    jcc.l block2, block3
                block1:
                    rax = mov.32 v5
                    ret rax
                block2: ; successors block4
                    v6 = add.i32 v0, v1
                    v5 = pmov v6
                    jmp block4
                block3: ; successors block4
                    v5 = pmov 7
                    jmp block4
                block4: ; successors block1
                    jmp block1
                """, listing);
    }
}
