package dev.isthmus.x64;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static dev.isthmus.x64.Gpr.*;
import static dev.isthmus.x64.OperandSize.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Operand rules the assembler enforces, and the small value types' own behaviour. */
class AssemblerRulesTest {

    @Test
    void highByteRegistersCannotMeetRex() {
        Assembler a = new Assembler();
        assertThrows(IllegalArgumentException.class, () -> a.mov(BYTE, AH, RSI));       // sil needs REX
        assertThrows(IllegalArgumentException.class, () -> a.mov(BYTE, R8, BH));        // r8b needs REX
        assertThrows(IllegalArgumentException.class, () -> a.mov(BYTE, Mem.of(R9), CH)); // REX.B for r9
        assertThrows(IllegalArgumentException.class, () -> a.movzx(QWORD, RAX, BYTE, AH)); // REX.W
        assertThrows(IllegalArgumentException.class, () -> a.mov(DWORD, AH, RBX));      // ah is byte-only
        assertThrows(IllegalArgumentException.class, () -> Mem.of(AH));
        assertEquals(0, a.position(), "nothing emitted for rejected operands");
    }

    @Test
    void bytesRegistersFourToSevenForceRex() {
        Assembler a = new Assembler();
        a.mov(BYTE, RAX, RBX);   // mov al, bl: no REX
        a.mov(BYTE, RSI, RDI);   // mov sil, dil: REX 40
        assertArrayEquals(HexFormat.of().parseHex("88d8" + "4088fe"), a.finish());
    }

    @Test
    void memoryOperandRules() {
        assertThrows(IllegalArgumentException.class, () -> Mem.of(RAX, RSP, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Mem.indexed(RSP, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Mem.of(RAX, RCX, 3, 0));
        assertEquals("[rbp+r12*8-0x10]", Mem.of(RBP, R12, 8, -16).toString());
        assertEquals(Mem.of(RAX, 8).displacement() + 4, Mem.of(RAX, 8).plus(4).displacement());
    }

    @Test
    void immediatesMustFitTheOperandSize() {
        Assembler a = new Assembler();
        assertThrows(IllegalArgumentException.class, () -> a.mov(BYTE, RAX, 0x100));
        assertThrows(IllegalArgumentException.class, () -> a.mov(WORD, RAX, -0x8001));
        assertThrows(IllegalArgumentException.class, () -> a.add(DWORD, RAX, 0x1_0000_0000L));
        assertThrows(IllegalArgumentException.class, () -> a.add(QWORD, RAX, 0x8000_0000L));
        assertThrows(IllegalArgumentException.class, () -> a.mov(QWORD, Mem.of(RAX), 0xFFFF_FFFFL));
        assertThrows(IllegalArgumentException.class, () -> a.shift(ShiftOp.SHL, DWORD, RAX, 256));
        assertThrows(IllegalArgumentException.class, () -> a.roundsd(Xmm.XMM0, Xmm.XMM1, 16));
        assertEquals(0, a.position());
    }

    @Test
    void operandSizesOutsideAnInstructionsFormsAreRejected() {
        Assembler a = new Assembler();
        assertThrows(IllegalArgumentException.class, () -> a.bswap(WORD, RAX));
        assertThrows(IllegalArgumentException.class, () -> a.imul(BYTE, RAX, RBX));
        assertThrows(IllegalArgumentException.class, () -> a.cmov(Cond.E, BYTE, RAX, RBX));
        assertThrows(IllegalArgumentException.class, () -> a.movzx(DWORD, RAX, DWORD, RBX));
        assertThrows(IllegalArgumentException.class, () -> a.movzx(WORD, RAX, WORD, RBX));
        assertThrows(IllegalArgumentException.class, () -> a.bitOp(BitOp.POPCNT, BYTE, RAX, RBX));
        assertThrows(IllegalArgumentException.class, () -> a.movGprToXmm(WORD, Xmm.XMM0, RAX));
        assertEquals(0, a.position());
    }

    @Test
    void conditionNegationPairs() {
        for (Cond c : Cond.values()) {
            assertEquals(c, c.negate().negate());
            assertEquals(c.code() ^ 1, c.negate().code());
        }
        assertEquals(Cond.NE, Cond.E.negate());
        assertEquals(Cond.GE, Cond.L.negate());
        assertEquals(Cond.BE, Cond.A.negate());
        assertEquals(Cond.NP, Cond.P.negate());
    }

    @Test
    void registerNames() {
        assertEquals("r9w", R9.nameAt(WORD));
        assertEquals("r15b", R15.nameAt(BYTE));
        assertEquals("spl", RSP.nameAt(BYTE));
        assertEquals("edi", RDI.nameAt(DWORD));
        assertEquals("ah", AH.nameAt(BYTE));
        assertEquals(16, Gpr.ordinary().length);
        for (Gpr g : Gpr.ordinary()) assertEquals(g, Gpr.of(g.encoding()));
    }

    @Test
    void nopLengthsAreExact() {
        for (int n = 0; n <= 40; n++) {
            Assembler a = new Assembler();
            a.nop(n);
            assertEquals(n, a.finish().length);
        }
    }

    @Test
    void simdOperandsOutsideAFormsShapeAreRejected() {
        Assembler a = new Assembler();
        assertThrows(IllegalArgumentException.class, () -> a.simd(SimdOp.VPBROADCASTB, Xmm.XMM0, Xmm.XMM1)); // VEX only
        assertThrows(IllegalArgumentException.class, () -> a.vex(SimdOp.PADDB, Xmm.XMM0, Xmm.XMM1));          // needs 3
        assertThrows(IllegalArgumentException.class, () -> a.simd(SimdOp.MOVHLPS, Xmm.XMM0, Mem.of(RAX)));    // reg only
        assertThrows(IllegalArgumentException.class, () -> a.vex(SimdOp.VBROADCASTSS, Xmm.XMM0, Xmm.XMM1));   // mem only
        assertThrows(IllegalArgumentException.class, () -> a.simd(SimdOp.PSHUFD, Xmm.XMM0, Xmm.XMM1, 256));   // imm8
        assertThrows(IllegalArgumentException.class, () -> a.simd(SimdOp.PEXTRB, AH, Xmm.XMM1, 0));           // ah
        assertEquals(0, a.position(), "nothing emitted for rejected operands");
    }

    @Test
    void vexPrefixIsTwoBytesOnlyWhenNoXBOrWAndMap0F() {
        Assembler a = new Assembler();
        a.vex(SimdOp.PADDB, Xmm.XMM9, Xmm.XMM10, Xmm.XMM3);       // R and vvvv high: C5
        a.vex(SimdOp.PADDB, Xmm.XMM1, Xmm.XMM2, Xmm.XMM11);       // B: C4
        a.vex(SimdOp.PADDB, Xmm.XMM1, Xmm.XMM2, Mem.of(RAX, R9, 1, 0)); // X: C4
        a.vex(SimdOp.PSHUFB, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3);       // map 0F38: C4
        a.vex(SimdOp.MOVQ_G, Xmm.XMM1, RAX);                      // W: C4
        a.vex(SimdOp.MOVDQA, Xmm.XMM1, Xmm.XMM9);                 // only the source high: store form, C5
        assertArrayEquals(HexFormat.of().parseHex("c529fccb" + "c4c169fccb" + "c4a169fc0c08" + "c4e2690 0cb".replace(" ", "")
                + "c4e1f96ec8" + "c5797fc9"), a.finish());
    }
}
