package dev.isthmus.x64;

import dev.isthmus.explore.Disassembler;
import dev.isthmus.zydis.ZydisSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.isthmus.x64.Gpr.R12;
import static dev.isthmus.x64.Gpr.R9;
import static dev.isthmus.x64.Gpr.RAX;
import static dev.isthmus.x64.Gpr.RCX;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Labels and RIP-relative references, checked through the absolute targets Zydis computes from the runtime
 * address: short/near, forward/backward, the rel8 boundaries, and constant-pool references (including operands
 * followed by an immediate, where the displacement is relative to the end of the whole instruction).
 */
class LabelTest {
    private static final long ADDRESS = 0x40_0000L;
    private static Disassembler zydis;

    @BeforeAll
    static void open() {
        zydis = ZydisSupport.openOrSkip();
    }

    @AfterAll
    static void close() {
        if (zydis != null) zydis.close();
    }

    private static String target(Label label) {
        return "0x" + Long.toHexString(ADDRESS + label.position());
    }

    /** Decodes the instruction at {@code offset}, asserting its length and normalised text. */
    private static void assertInstruction(byte[] code, int offset, int length, String text) {
        Disassembler.Decoded d = zydis.decodeOne(code, offset, ADDRESS);
        assertEquals(IntelSyntax.normalize(text), IntelSyntax.normalize(d.text()), "at offset " + offset);
        assertEquals(length, d.length(), "length of " + d.text());
    }

    @Test
    void backwardBranchesUseRel8WhenTheyReachAndRel32Otherwise() {
        Assembler a = new Assembler();
        Label top = a.newLabel();
        a.bind(top);
        a.nop(126);
        int shortJump = a.position();
        a.jmp(top);                        // displacement -128: the last one that fits rel8
        int nearJump = a.position();
        a.jmp(top);                        // displacement -130: rel32
        int shortJcc = a.position();
        Label mid = a.newLabel();
        a.bind(mid);
        a.jcc(Cond.NE, mid);               // jump to itself: -2
        int call = a.position();
        a.call(top);
        byte[] code = a.finish();
        assertInstruction(code, shortJump, 2, "jmp " + target(top));
        assertInstruction(code, nearJump, 5, "jmp " + target(top));
        assertInstruction(code, shortJcc, 2, "jnz " + target(mid));
        assertInstruction(code, call, 5, "call " + target(top));
    }

    @Test
    void forwardBranchesAreNearUnlessTheCallerAsksForShort() {
        Assembler a = new Assembler();
        Label end = a.newLabel();
        int[] starts = new int[16];
        for (Cond c : Cond.values()) {
            starts[c.code()] = a.position();
            a.jcc(c, end);
        }
        int jmp = a.position();
        a.jmp(end);
        int call = a.position();
        a.call(end);
        int shortJmp = a.position();
        a.jmpShort(end);
        int shortJcc = a.position();
        a.jccShort(Cond.LE, end);
        a.nop(123);                        // shortJcc's displacement: exactly +123
        a.bind(end);
        a.ret();
        byte[] code = a.finish();
        for (Cond c : Cond.values()) {
            assertInstruction(code, starts[c.code()], 6, "j" + IntelSyntax.cc(c) + " " + target(end));
        }
        assertInstruction(code, jmp, 5, "jmp " + target(end));
        assertInstruction(code, call, 5, "call " + target(end));
        assertInstruction(code, shortJmp, 2, "jmp " + target(end));
        assertInstruction(code, shortJcc, 2, "jle " + target(end));
    }

    @Test
    void shortForwardBranchAtTheBoundary() {
        Assembler ok = new Assembler();
        Label l = ok.newLabel();
        ok.jmpShort(l);
        ok.nop(127);
        ok.bind(l);
        byte[] code = ok.finish();
        assertInstruction(code, 0, 2, "jmp " + target(l));

        Assembler tooFar = new Assembler();
        Label far = tooFar.newLabel();
        tooFar.jccShort(Cond.E, far);
        tooFar.nop(128);
        assertThrows(IllegalStateException.class, () -> tooFar.bind(far));

        Assembler backward = new Assembler();
        Label top = backward.newLabel();
        backward.bind(top);
        backward.nop(126);
        backward.jccShort(Cond.B, top);                                             // displacement -128: fits
        assertThrows(IllegalStateException.class, () -> backward.jmpShort(top));   // -130: rejected
        assertEquals(128, backward.position(), "nothing emitted for a rejected short branch");
        assertInstruction(backward.finish(), 126, 2, "jb " + target(top));
    }

    @Test
    void ripRelativeReferencesAccountForTrailingImmediates() {
        Assembler a = new Assembler();
        Label data = a.newLabel();
        Label back = a.newLabel();
        a.bind(back);
        int[] at = new int[8];
        at[0] = a.position();
        a.cmp(QWORD, Mem.rip(data), 0x12345);            // imm32 after disp32
        at[1] = a.position();
        a.cmp(DWORD, Mem.rip(data), 1);                  // imm8 after disp32
        at[2] = a.position();
        a.mov(DWORD, Mem.rip(data), 0x7FFFFFFF);
        at[3] = a.position();
        a.roundsd(Xmm.XMM3, Mem.rip(data), 1);
        at[4] = a.position();
        a.imul(QWORD, R9, Mem.rip(data), 1000);
        at[5] = a.position();
        a.shift(ShiftOp.SHL, QWORD, Mem.rip(data), 5);
        at[6] = a.position();
        a.lea(QWORD, RCX, Mem.rip(back));                // backward code label
        at[7] = a.position();
        a.lea(QWORD, R12, Mem.rip(data));                // forward, no immediate
        a.align(16);
        a.bind(data);
        a.emitBytes(new byte[16]);
        byte[] code = a.finish();
        String t = target(data);
        assertInstruction(code, at[0], 11, "cmp qword ptr [" + t + "], 0x12345");
        assertInstruction(code, at[1], 7, "cmp dword ptr [" + t + "], 0x1");
        assertInstruction(code, at[2], 10, "mov dword ptr [" + t + "], 0x7fffffff");
        assertInstruction(code, at[3], 10, "roundsd xmm3, qword ptr [" + t + "], 0x1");
        assertInstruction(code, at[4], 11, "imul r9, qword ptr [" + t + "], 0x3e8");
        assertInstruction(code, at[5], 8, "shl qword ptr [" + t + "], 0x5");
        assertInstruction(code, at[6], 7, "lea rcx, [" + target(back) + "]");
        assertInstruction(code, at[7], 7, "lea r12, [" + t + "]");
    }

    @Test
    void constantPoolIsAlignedAfterTheCodeAndReferencedRipRelative() {
        Assembler a = new Assembler();
        Label one = a.constant64(Double.doubleToRawLongBits(1.0));
        Label half = a.constant32(Float.floatToRawIntBits(0.5f));
        Label signMask = a.constant128(0x7FFF_FFFF_FFFF_FFFFL, 0x7FFF_FFFF_FFFF_FFFFL);
        assertSame(one, a.constant64(Double.doubleToRawLongBits(1.0)), "equal constants share a slot");
        int[] at = new int[4];
        at[0] = a.position();
        a.movsd(Xmm.XMM0, Mem.rip(one));
        at[1] = a.position();
        a.movss(Xmm.XMM9, Mem.rip(half));
        at[2] = a.position();
        a.sse(SseOp.ANDPD, Xmm.XMM15, Mem.rip(signMask));
        at[3] = a.position();
        a.mov(QWORD, RAX, Mem.rip(one));
        a.ret();
        int codeEnd = a.position();
        byte[] code = a.finish();

        assertEquals(0, signMask.position() % 16);
        assertEquals(0, one.position() % 8);
        assertEquals(0, half.position() % 4);
        assertEquals(true, signMask.position() >= codeEnd && one.position() >= codeEnd && half.position() >= codeEnd);
        for (int i = codeEnd; i < signMask.position(); i++) assertEquals((byte) 0xCC, code[i], "padding is int3");
        ByteBuffer bytes = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.0, bytes.getDouble(one.position()));
        assertEquals(0.5f, bytes.getFloat(half.position()));
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, bytes.getLong(signMask.position()));
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, bytes.getLong(signMask.position() + 8));

        assertInstruction(code, at[0], 8, "movsd xmm0, qword ptr [" + target(one) + "]");
        assertInstruction(code, at[1], 9, "movss xmm9, dword ptr [" + target(half) + "]");
        assertInstruction(code, at[2], 9, "andpd xmm15, xmmword ptr [" + target(signMask) + "]");
        assertInstruction(code, at[3], 7, "mov rax, qword ptr [" + target(one) + "]");
    }

    @Test
    void jumpTableEntriesAreOffsetsFromTheTableStart() {
        Assembler a = new Assembler();
        Label table = a.newLabel();
        Label before = a.newLabel();
        Label after = a.newLabel();
        a.bind(before);
        a.ret();
        a.align(4);
        a.bind(table);
        a.emitLabelOffset32(before, table);   // backward: resolved at once
        a.emitLabelOffset32(after, table);    // forward: patched on bind
        a.nop(5);
        a.bind(after);
        a.ret();
        byte[] code = a.finish();
        ByteBuffer bytes = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(before.position() - table.position(), bytes.getInt(table.position()));
        assertEquals(after.position() - table.position(), bytes.getInt(table.position() + 4));
        assertEquals(13, after.position() - table.position());
    }

    @Test
    void labelMisuseIsRejected() {
        Assembler a = new Assembler();
        Label l = a.newLabel();
        assertThrows(IllegalStateException.class, l::position);
        a.bind(l);
        assertThrows(IllegalStateException.class, () -> a.bind(l));
        a.finish();
        assertThrows(IllegalStateException.class, a::finish);
    }

    @Test
    void alignPadsWithDecodableNops() {
        for (int start = 0; start < 16; start++) {
            Assembler a = new Assembler();
            a.nop(start);
            a.align(16);
            assertEquals(start == 0 ? 0 : 16, a.position());
            byte[] code = a.finish();
            for (int at = 0; at < code.length; ) {
                Disassembler.Decoded d = zydis.decodeOne(code, at, ADDRESS);
                assertEquals(true, d.text().startsWith("nop"), d.text());
                at += d.length();
            }
        }
    }
}
