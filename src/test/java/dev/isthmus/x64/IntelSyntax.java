package dev.isthmus.x64;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the Intel-syntax text Zydis prints for an intended instruction, from the operands alone (never from our
 * encoding), and the one normalisation applied to both sides before comparing.
 */
final class IntelSyntax {
    private static final String[] CONDITION_SUFFIXES = {
            "o", "no", "b", "nb", "z", "nz", "be", "nbe", "s", "ns", "p", "np", "l", "nl", "le", "nle"};
    private static final Pattern HEX = Pattern.compile("0x0*([0-9a-fA-F]+)");
    private static final Pattern XCHG = Pattern.compile("^((?:lock )?xchg) ([^,]+), ([^,]+)$");

    private IntelSyntax() {
    }

    /** The register name at an access width, e.g. {@code r9w}. */
    static String reg(Gpr reg, OperandSize size) {
        return reg.nameAt(size);
    }

    /** {@code xmm0..xmm15}. */
    static String xmm(Xmm reg) {
        return reg.intelName();
    }

    /** Zydis's condition suffix ({@code z}, {@code nbe}, ...) as in {@code jnbe}, {@code setz}, {@code cmovnl}. */
    static String cc(Cond cond) {
        return CONDITION_SUFFIXES[cond.code()];
    }

    /** An immediate printed as Zydis does: unsigned hex of the value at the operand width. */
    static String imm(long value, OperandSize size) {
        long masked = size == OperandSize.QWORD ? value : value & ((1L << size.bits()) - 1);
        return "0x" + Long.toHexString(masked);
    }

    /** {@code <size> ptr [..]}; {@code nextInstruction} is the address RIP-relative operands are relative to. */
    static String mem(String pointerName, Mem mem, long nextInstruction) {
        return pointerName + " ptr " + address(mem, nextInstruction);
    }

    /** {@code <size> ptr [..]} for an integer access width. */
    static String mem(OperandSize size, Mem mem, long nextInstruction) {
        return mem(size.pointerName(), mem, nextInstruction);
    }

    /** The bracketed address alone (as printed for {@code lea}). */
    static String address(Mem mem, long nextInstruction) {
        if (mem.isRipRelative()) {
            long target = mem.target() != null ? mem.target().position() : nextInstruction + mem.displacement();
            return "[0x" + Long.toHexString(target) + "]";
        }
        if (mem.base() == null && mem.index() == null) return "[0x" + Long.toHexString(mem.displacement()) + "]";
        StringBuilder sb = new StringBuilder("[");
        if (mem.base() != null) sb.append(mem.base().nameAt(OperandSize.QWORD));
        if (mem.index() != null) {
            if (mem.base() != null) sb.append('+');
            sb.append(mem.index().nameAt(OperandSize.QWORD)).append('*').append(mem.scale());
        }
        long disp = mem.displacement();
        if (disp != 0) sb.append(disp < 0 ? "-0x" : "+0x").append(Long.toHexString(Math.abs(disp)));
        return sb.append(']').toString();
    }

    /**
     * The normalisation applied to Zydis's text and to ours: lower case, single spaces, hex literals without leading
     * zeros ({@code 0x08} = {@code 0x8}), and {@code xchg} operands in a fixed order (xchg is symmetric and its
     * accumulator form prints the accumulator last).
     */
    static String normalize(String text) {
        String s = text.trim().replaceAll("\\s+", " ");
        Matcher m = HEX.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, "0x" + m.group(1).toLowerCase());
        m.appendTail(sb);
        s = sb.toString().toLowerCase();
        Matcher x = XCHG.matcher(s);
        if (x.matches() && x.group(2).compareTo(x.group(3)) > 0) s = x.group(1) + " " + x.group(3) + ", " + x.group(2);
        return s;
    }
}
