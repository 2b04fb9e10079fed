package dev.isthmus.x64;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.explore.Disassembler;
import dev.isthmus.zydis.ZydisSupport;
import org.junit.jupiter.api.AfterAll;

import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.x64.CaseList.GPRS;
import static dev.isthmus.x64.CaseList.XMMS;
import static dev.isthmus.x64.CaseList.highByteConflict;
import static dev.isthmus.x64.CaseList.registers;
import static dev.isthmus.x64.IntelSyntax.address;
import static dev.isthmus.x64.IntelSyntax.mem;
import static dev.isthmus.x64.IntelSyntax.reg;

/**
 * The assembler against Zydis (Jazzer target, see {@code dev.isthmus.fuzz.jazzer}): the fuzz input picks a few
 * instructions, emitted one after another and decoded back; each must decode as one instruction spanning exactly
 * its bytes and print the text derived from the intended operands (as {@link RoundTripTest}, whose expected-text
 * rules it shares), or be rejected by the assembler exactly when the ISA cannot encode it. The instructions are
 * <ul>
 *   <li>a {@link SimdOp} in its legacy or VEX encoding with arbitrary registers and immediate, or with an arbitrary
 *       memory operand (any base, index, scale and displacement, absolute, or RIP-relative);</li>
 *   <li>an integer {@code mov}/{@code lea}/{@code movsxd}/{@code xchg} with an arbitrary memory operand and register
 *       at any size;</li>
 *   <li>any case of the round-trip test's integer list (every integer form with its operand sets).</li>
 * </ul>
 */
class AssemblerFuzzTargetTest {
    private static final long BASE_ADDRESS = 0x7F00_0000_0000L;
    private static final SimdOp[] SIMD = SimdOp.values();
    private static final OperandSize[] SIZES = OperandSize.values();
    private static List<CaseList.Case> integerCases;
    private static Disassembler zydis;

    @AfterAll
    static void close() {
        if (zydis != null) zydis.close();
        zydis = null;
    }

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        if (zydis == null) zydis = ZydisSupport.openOrSkip();
        if (integerCases == null) {
            CaseList list = new CaseList();
            IntegerForms.addAll(list);
            integerCases = List.copyOf(list.cases);
        }
        CaseList list = new CaseList();
        int count = data.consumeInt(1, 4);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            switch (data.consumeInt(0, 3)) {
                case 0, 1 -> simd(list, data);
                case 2 -> integerMemory(list, data);
                default -> list.cases.add(integerCases.get(data.consumeInt(0, integerCases.size() - 1)));
            }
        }
        Assembler asm = new Assembler();
        List<CaseList.Case> emitted = new ArrayList<>();
        List<Integer> bounds = new ArrayList<>();
        for (CaseList.Case c : list.cases) {
            if (c.rejected()) {
                Assembler scratch = new Assembler();
                try {
                    c.emit().accept(scratch);
                } catch (IllegalArgumentException expected) {
                    continue;
                }
                throw new AssertionError("accepted an unencodable combination: " + scratch.position() + " bytes");
            }
            bounds.add(asm.position());
            c.emit().accept(asm);
            emitted.add(c);
        }
        bounds.add(asm.position());
        byte[] code = asm.finish();
        for (int i = 0; i < emitted.size(); i++) {
            int start = bounds.get(i), end = bounds.get(i + 1);
            Disassembler.Decoded d = zydis.decodeOne(code, start, BASE_ADDRESS);
            String expected = emitted.get(i).expected().apply(BASE_ADDRESS + end);
            if (d.length() != end - start || !IntelSyntax.normalize(d.text()).equals(IntelSyntax.normalize(expected))) {
                throw new AssertionError(String.format("expected %s, Zydis decoded %s (length %d of %d bytes: %s)",
                        expected, d.text(), d.length(), end - start, hex(code, start, end)));
            }
        }
    }

    private static void simd(CaseList list, FuzzedDataProvider data) {
        SimdOp op = data.pickValue(SIMD);
        boolean vex = !op.hasLegacy() || data.consumeBoolean();
        boolean memory = op.memoryBits() > 0 && (!op.registerAllowed() || data.consumeBoolean());
        Xmm a = xmm(data), b = xmm(data), c = xmm(data), d = xmm(data);
        int v = data.consumeInt(0, 255);
        if (memory) {
            SimdForms.memoryCase(list, op, vex, memory(data), a, c, d, v);
        } else {
            SimdForms.registerCase(list, op, vex, a, b, c, d, gpr(data), gpr(data), v);
        }
    }

    private static void integerMemory(CaseList list, FuzzedDataProvider data) {
        OperandSize s = data.pickValue(SIZES);
        Gpr[] regs = registers(s);
        Gpr r = regs[data.consumeInt(0, regs.length - 1)];
        Mem m = memory(data);
        int form = data.consumeInt(0, 4);
        if (form == 3) {  // lea and movsxd have no byte form
            if (s == OperandSize.BYTE) return;
            list.add(a -> a.lea(s, r, m), next -> "lea " + reg(r, s) + ", " + address(m, next));
            return;
        }
        if (form == 4) {
            if (r.isHighByte()) return;
            list.add(a -> a.movsxd(r, m), next -> "movsxd " + reg(r, OperandSize.QWORD) + ", " + mem(OperandSize.DWORD, m, next));
            return;
        }
        if (highByteConflict(s, m, r)) {
            switch (form) {
                case 0 -> list.rejected(a -> a.mov(s, r, m));
                case 1 -> list.rejected(a -> a.mov(s, m, r));
                default -> list.rejected(a -> a.xchg(s, m, r));
            }
            return;
        }
        switch (form) {
            case 0 -> list.add(a -> a.mov(s, r, m), next -> "mov " + reg(r, s) + ", " + mem(s, m, next));
            case 1 -> list.add(a -> a.mov(s, m, r), next -> "mov " + mem(s, m, next) + ", " + reg(r, s));
            default -> list.add(a -> a.xchg(s, m, r), next -> "xchg " + mem(s, m, next) + ", " + reg(r, s));
        }
    }

    /** Any memory operand: base + index * scale + displacement (either part optional), absolute, or RIP-relative. */
    private static Mem memory(FuzzedDataProvider data) {
        int disp = switch (data.consumeInt(0, 3)) {
            case 0 -> 0;
            case 1 -> data.consumeByte();
            case 2 -> data.consumeInt(-0x200, 0x200);
            default -> data.consumeInt();
        };
        return switch (data.consumeInt(0, 5)) {
            case 0 -> Mem.of(gpr(data), disp);
            case 1, 2 -> Mem.of(gpr(data), index(data), 1 << data.consumeInt(0, 3), disp);
            case 3 -> Mem.indexed(index(data), 1 << data.consumeInt(0, 3), disp);
            case 4 -> Mem.absolute(disp);
            default -> Mem.rip(disp);
        };
    }

    private static Gpr index(FuzzedDataProvider data) {
        Gpr g = gpr(data);
        return g == Gpr.RSP ? Gpr.RBP : g;
    }

    private static Gpr gpr(FuzzedDataProvider data) {
        return GPRS[data.consumeInt(0, 15)];
    }

    private static Xmm xmm(FuzzedDataProvider data) {
        return XMMS[data.consumeInt(0, 15)];
    }

    private static String hex(byte[] code, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) sb.append(String.format("%02x ", code[i] & 0xFF));
        return sb.toString().trim();
    }
}
