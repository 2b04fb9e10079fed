package dev.isthmus.x64;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The instruction instances of the round-trip test, and the operand sets they are drawn from. Each case is one
 * assembler call and the text Zydis must print for it, derived from the intended operands; a case can instead expect
 * the assembler to reject the operands (e.g. {@code ah} together with a REX prefix).
 */
final class CaseList {
    /** One instance: what to emit, and the expected text given the address of the next instruction. */
    record Case(Consumer<Assembler> emit, LongFunction<String> expected, boolean rejected) {
    }

    static final Gpr[] GPRS = Gpr.ordinary();
    static final Gpr[] BYTE_GPRS = Gpr.values();
    static final Xmm[] XMMS = Xmm.values();
    static final OperandSize[] SIZES = OperandSize.values();
    static final OperandSize[] SIZES_16_64 = {OperandSize.WORD, OperandSize.DWORD, OperandSize.QWORD};
    static final List<Mem> MEMS = memoryShapes();

    final List<Case> cases = new ArrayList<>();

    void add(Consumer<Assembler> emit, LongFunction<String> expected) {
        cases.add(new Case(emit, expected, false));
    }

    void add(Consumer<Assembler> emit, String expected) {
        cases.add(new Case(emit, next -> expected, false));
    }

    void rejected(Consumer<Assembler> emit) {
        cases.add(new Case(emit, null, true));
    }

    /** The registers usable at {@code size} (at BYTE: the sixteen plus ah..bh). */
    static Gpr[] registers(OperandSize size) {
        return size == OperandSize.BYTE ? BYTE_GPRS : GPRS;
    }

    /**
     * Whether the ISA forbids these byte registers (and memory operand) in one instruction: ah..bh cannot be
     * encoded when any other operand needs a REX prefix (r8..r15 anywhere, or spl/bpl/sil/dil).
     */
    static boolean highByteConflict(OperandSize size, Mem mem, Gpr... regs) {
        boolean high = false;
        boolean rex = mem != null && (isExtended(mem.base()) || isExtended(mem.index()));
        for (Gpr r : regs) {
            if (r.isHighByte()) {
                high = true;
            } else {
                rex |= r.encoding() >= 8 || size == OperandSize.BYTE && r.encoding() >= 4;
            }
        }
        return high && rex;
    }

    private static boolean isExtended(Gpr r) {
        return r != null && r.encoding() >= 8;
    }

    /**
     * Every ModRM/SIB shape: each base with displacements at the 0/disp8/disp32 boundaries; each base with each
     * index and scale; index without base; absolute; RIP-relative.
     */
    private static List<Mem> memoryShapes() {
        List<Mem> mems = new ArrayList<>();
        int[] disps = {0, 1, 0x7F, -0x80, 0x80, -0x81, 0x7FFF_FFFF, Integer.MIN_VALUE};
        for (Gpr base : GPRS) for (int d : disps) mems.add(Mem.of(base, d));
        int[] indexDisps = {0, 0x7F, -0x80, 0x80, 0x1234_5678, -0x1234_5678};
        int k = 0;
        for (Gpr base : GPRS) {
            for (Gpr index : GPRS) {
                if (index == Gpr.RSP) continue;
                for (int scale = 1; scale <= 8; scale <<= 1) mems.add(Mem.of(base, index, scale, indexDisps[k++ % indexDisps.length]));
            }
        }
        for (Gpr index : GPRS) {
            if (index == Gpr.RSP) continue;
            for (int scale = 1; scale <= 8; scale <<= 1) mems.add(Mem.indexed(index, scale, indexDisps[k++ % indexDisps.length]));
        }
        for (int d : new int[]{0, 0x1234, -1, 0x7FFF_FFFF, Integer.MIN_VALUE}) mems.add(Mem.absolute(d));
        for (int d : new int[]{0, 0x10, -0x10, 0x1234_5678, -0x1234_5678}) mems.add(Mem.rip(d));
        return List.copyOf(mems);
    }

    /** Immediates at every boundary that matters for {@code size} (imm8 sign-extension, full width, sign bit). */
    static long[] immediates(OperandSize size) {
        return switch (size) {
            case BYTE -> new long[]{0, 1, 0x7F, 0x80, 0xFF, -1, -0x80};
            case WORD -> new long[]{0, 1, 0x7F, 0x80, -0x80, -0x81, 0x7FFF, 0xFFFF, -0x8000};
            case DWORD -> new long[]{0, 1, 0x7F, 0x80, -0x80, -0x81, 0x7FFF_FFFF, 0xFFFF_FFFFL, Integer.MIN_VALUE};
            case QWORD -> new long[]{0, 1, 0x7F, 0x80, -0x80, -0x81, 0x7FFF_FFFF, Integer.MIN_VALUE, -1};
        };
    }
}
