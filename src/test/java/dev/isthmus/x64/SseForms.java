package dev.isthmus.x64;

import static dev.isthmus.x64.CaseList.GPRS;
import static dev.isthmus.x64.CaseList.MEMS;
import static dev.isthmus.x64.CaseList.XMMS;
import static dev.isthmus.x64.IntelSyntax.imm;
import static dev.isthmus.x64.IntelSyntax.mem;
import static dev.isthmus.x64.IntelSyntax.reg;
import static dev.isthmus.x64.IntelSyntax.xmm;
import static dev.isthmus.x64.OperandSize.BYTE;
import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;

/** Round-trip cases for the SSE scalar-float forms. */
final class SseForms {
    private static final OperandSize[] DWORD_QWORD = {DWORD, QWORD};
    private static final int[] ROUNDING_MODES = {0, 1, 2, 3, 8, 9, 10, 11};

    private SseForms() {
    }

    /** The memory operand width Zydis prints for a source of this operation (from its name: ss, sd, or 128-bit). */
    static String sourceWidth(String mnemonic) {
        if (mnemonic.startsWith("cvtss2")) return "dword";
        if (mnemonic.startsWith("cvtsd2")) return "qword";
        if (mnemonic.endsWith("ss")) return "dword";
        if (mnemonic.endsWith("sd")) return "qword";
        return "xmmword";
    }

    static void addAll(CaseList list) {
        for (SseOp op : SseOp.values()) {
            String mn = op.mnemonic();
            for (Xmm d : XMMS) for (Xmm s : XMMS) list.add(a -> a.sse(op, d, s), mn + " " + xmm(d) + ", " + xmm(s));
            int k = op.ordinal();
            for (Mem m : MEMS) {
                Xmm d = XMMS[k++ % 16];
                list.add(a -> a.sse(op, d, m), next -> mn + " " + xmm(d) + ", " + mem(sourceWidth(mn), m, next));
            }
        }
        int k = 0;
        for (Mem m : MEMS) {
            Xmm s = XMMS[k++ % 16];
            list.add(a -> a.movss(m, s), next -> "movss " + mem("dword", m, next) + ", " + xmm(s));
            list.add(a -> a.movsd(m, s), next -> "movsd " + mem("qword", m, next) + ", " + xmm(s));
            list.add(a -> a.movaps(m, s), next -> "movaps " + mem("xmmword", m, next) + ", " + xmm(s));
        }
        for (OperandSize size : DWORD_QWORD) {
            String mov = size == DWORD ? "movd" : "movq";
            for (Xmm x : XMMS) {
                for (Gpr g : GPRS) {
                    list.add(a -> a.movGprToXmm(size, x, g), mov + " " + xmm(x) + ", " + reg(g, size));
                    list.add(a -> a.movXmmToGpr(size, g, x), mov + " " + reg(g, size) + ", " + xmm(x));
                    list.add(a -> a.cvtsi2ss(x, size, g), "cvtsi2ss " + xmm(x) + ", " + reg(g, size));
                    list.add(a -> a.cvtsi2sd(x, size, g), "cvtsi2sd " + xmm(x) + ", " + reg(g, size));
                    list.add(a -> a.cvttss2si(size, g, x), "cvttss2si " + reg(g, size) + ", " + xmm(x));
                    list.add(a -> a.cvttsd2si(size, g, x), "cvttsd2si " + reg(g, size) + ", " + xmm(x));
                }
            }
            for (Mem m : MEMS) {
                Xmm x = XMMS[k % 16];
                Gpr g = GPRS[k++ % 16];
                list.add(a -> a.cvtsi2ss(x, size, m), next -> "cvtsi2ss " + xmm(x) + ", " + mem(size, m, next));
                list.add(a -> a.cvtsi2sd(x, size, m), next -> "cvtsi2sd " + xmm(x) + ", " + mem(size, m, next));
                list.add(a -> a.cvttss2si(size, g, m), next -> "cvttss2si " + reg(g, size) + ", " + mem("dword", m, next));
                list.add(a -> a.cvttsd2si(size, g, m), next -> "cvttsd2si " + reg(g, size) + ", " + mem("qword", m, next));
            }
        }
        for (Xmm d : XMMS) {
            for (Xmm s : XMMS) {
                int mode = ROUNDING_MODES[(d.ordinal() + s.ordinal()) % ROUNDING_MODES.length];
                list.add(a -> a.roundss(d, s, mode), "roundss " + xmm(d) + ", " + xmm(s) + ", " + imm(mode, BYTE));
                list.add(a -> a.roundsd(d, s, mode), "roundsd " + xmm(d) + ", " + xmm(s) + ", " + imm(mode, BYTE));
            }
        }
        for (Mem m : MEMS) {
            Xmm d = XMMS[k % 16];
            int mode = ROUNDING_MODES[k++ % ROUNDING_MODES.length];
            list.add(a -> a.roundss(d, m, mode), next -> "roundss " + xmm(d) + ", " + mem("dword", m, next) + ", " + imm(mode, BYTE));
            list.add(a -> a.roundsd(d, m, mode), next -> "roundsd " + xmm(d) + ", " + mem("qword", m, next) + ", " + imm(mode, BYTE));
        }
    }
}
