package dev.isthmus.x64;

import static dev.isthmus.x64.OperandSize.DWORD;
import static dev.isthmus.x64.OperandSize.QWORD;
import static dev.isthmus.x64.SimdOp.Form.BLENDV;
import static dev.isthmus.x64.SimdOp.Form.GX;
import static dev.isthmus.x64.SimdOp.Form.GXI;
import static dev.isthmus.x64.SimdOp.Form.GXR;
import static dev.isthmus.x64.SimdOp.Form.GXRI;
import static dev.isthmus.x64.SimdOp.Form.MX;
import static dev.isthmus.x64.SimdOp.Form.SHIFT;
import static dev.isthmus.x64.SimdOp.Form.XG;
import static dev.isthmus.x64.SimdOp.Form.XX;
import static dev.isthmus.x64.SimdOp.Form.XXGI;
import static dev.isthmus.x64.SimdOp.Form.XXI;
import static dev.isthmus.x64.SimdOp.Form.XXX;
import static dev.isthmus.x64.SimdOp.Form.XXXI;

/**
 * The 128-bit SIMD entry points of the {@link Assembler}: {@code simd(op, ...)} emits the legacy SSE encoding of a
 * {@link SimdOp} row (destructive: the destination is the first source), {@code vex(op, ...)} its VEX (AVX) encoding
 * with a separate first source. Operands are in Intel order; which overloads a row accepts follows from its
 * {@link SimdOp.Form} (a mismatch is an {@link IllegalArgumentException}). General-purpose operands are 32-bit, or
 * 64-bit for the rows with {@link SimdOp#w()}. Immediates are 8-bit (-128..255).
 */
abstract class SimdInstructions extends IntegerInstructions {

    // ---------------------------------------------------------------- legacy (SSE) encodings

    /** {@code op dst, src}: forms XX, XXX (dst is also the first source) and BLENDV (mask implicitly xmm0). */
    public void simd(SimdOp op, Xmm dst, Xmm src) {
        form(op, XX, XXX, BLENDV);
        legacy(op, dst, src, null, 0, 0);
    }

    /** {@code op dst, [mem]}: forms XX, XXX, BLENDV and XG. */
    public void simd(SimdOp op, Xmm dst, Mem src) {
        form(op, XX, XXX, BLENDV, XG);
        legacy(op, dst, null, src, 0, 0);
    }

    /** {@code op dst, src, imm8}: forms XXI and XXXI. */
    public void simd(SimdOp op, Xmm dst, Xmm src, int imm) {
        form(op, XXI, XXXI);
        legacy(op, dst, src, null, 1, imm8(imm));
    }

    /** {@code op dst, [mem], imm8}: forms XXI, XXXI and XXGI. */
    public void simd(SimdOp op, Xmm dst, Mem src, int imm) {
        form(op, XXI, XXXI, XXGI);
        legacy(op, dst, null, src, 1, imm8(imm));
    }

    /** {@code op dst, imm8}: the shifts by an immediate count (form SHIFT). */
    public void simd(SimdOp op, Xmm dst, int imm) {
        form(op, SHIFT);
        legacy(op, null, dst, null, 1, imm8(imm));
    }

    /** {@code op [mem], src}: forms MX and GX. */
    public void simd(SimdOp op, Mem dst, Xmm src) {
        form(op, MX, GX);
        legacy(op, src, null, dst, 0, 0);
    }

    /** {@code op dst, gpr}: form XG. */
    public void simd(SimdOp op, Xmm dst, Gpr src) {
        form(op, XG);
        legacy(op, dst, gpr(src), null, 0, 0);
    }

    /** {@code op dst, gpr, imm8}: form XXGI. */
    public void simd(SimdOp op, Xmm dst, Gpr src, int imm) {
        form(op, XXGI);
        legacy(op, dst, gpr(src), null, 1, imm8(imm));
    }

    /** {@code op gpr, src}: forms GX and GXR. */
    public void simd(SimdOp op, Gpr dst, Xmm src) {
        form(op, GX, GXR);
        if (op.form() == GX) legacy(op, src, gpr(dst), null, 0, 0);
        else legacy(op, gpr(dst), src, null, 0, 0);
    }

    /** {@code op gpr, src, imm8}: forms GXI and GXRI. */
    public void simd(SimdOp op, Gpr dst, Xmm src, int imm) {
        form(op, GXI, GXRI);
        if (op.form() == GXI) legacy(op, src, gpr(dst), null, 1, imm8(imm));
        else legacy(op, gpr(dst), src, null, 1, imm8(imm));
    }

    /** {@code op [mem], src, imm8}: form GXI. */
    public void simd(SimdOp op, Mem dst, Xmm src, int imm) {
        form(op, GXI);
        legacy(op, src, null, dst, 1, imm8(imm));
    }

    // ---------------------------------------------------------------- VEX (AVX) encodings

    /** {@code vop dst, src}: form XX. */
    public void vex(SimdOp op, Xmm dst, Xmm src) {
        form(op, XX);
        vexEncode(op, dst, null, src, null, 0, 0);
    }

    /** {@code vop dst, [mem]}: forms XX and XG. */
    public void vex(SimdOp op, Xmm dst, Mem src) {
        form(op, XX, XG);
        vexEncode(op, dst, null, null, src, 0, 0);
    }

    /** {@code vop dst, src1, src2}: form XXX. */
    public void vex(SimdOp op, Xmm dst, Xmm src1, Xmm src2) {
        form(op, XXX);
        vexEncode(op, dst, src1, src2, null, 0, 0);
    }

    /** {@code vop dst, src1, [mem]}: form XXX. */
    public void vex(SimdOp op, Xmm dst, Xmm src1, Mem src2) {
        form(op, XXX);
        vexEncode(op, dst, src1, null, src2, 0, 0);
    }

    /** {@code vop dst, src, imm8}: forms XXI and SHIFT (the shift's destination goes into VEX.vvvv). */
    public void vex(SimdOp op, Xmm dst, Xmm src, int imm) {
        form(op, XXI, SHIFT);
        if (op.form() == SHIFT) vexEncode(op, null, dst, src, null, 1, imm8(imm));
        else vexEncode(op, dst, null, src, null, 1, imm8(imm));
    }

    /** {@code vop dst, [mem], imm8}: form XXI. */
    public void vex(SimdOp op, Xmm dst, Mem src, int imm) {
        form(op, XXI);
        vexEncode(op, dst, null, null, src, 1, imm8(imm));
    }

    /** {@code vop dst, src1, src2, imm8}: form XXXI. */
    public void vex(SimdOp op, Xmm dst, Xmm src1, Xmm src2, int imm) {
        form(op, XXXI);
        vexEncode(op, dst, src1, src2, null, 1, imm8(imm));
    }

    /** {@code vop dst, src1, [mem], imm8}: forms XXXI and XXGI. */
    public void vex(SimdOp op, Xmm dst, Xmm src1, Mem src2, int imm) {
        form(op, XXXI, XXGI);
        vexEncode(op, dst, src1, null, src2, 1, imm8(imm));
    }

    /** {@code vop dst, src1, gpr, imm8}: form XXGI. */
    public void vex(SimdOp op, Xmm dst, Xmm src1, Gpr src2, int imm) {
        form(op, XXGI);
        vexEncode(op, dst, src1, gpr(src2), null, 1, imm8(imm));
    }

    /** {@code vop dst, src1, src2, mask}: form BLENDV (mask register in imm8[7:4]). */
    public void vex(SimdOp op, Xmm dst, Xmm src1, Xmm src2, Xmm mask) {
        form(op, BLENDV);
        vexEncode(op, dst, src1, src2, null, 1, mask.encoding() << 4);
    }

    /** {@code vop dst, src1, [mem], mask}: form BLENDV. */
    public void vex(SimdOp op, Xmm dst, Xmm src1, Mem src2, Xmm mask) {
        form(op, BLENDV);
        vexEncode(op, dst, src1, null, src2, 1, mask.encoding() << 4);
    }

    /** {@code vop [mem], src}: forms MX and GX. */
    public void vex(SimdOp op, Mem dst, Xmm src) {
        form(op, MX, GX);
        vexEncode(op, src, null, null, dst, 0, 0);
    }

    /** {@code vop dst, gpr}: form XG. */
    public void vex(SimdOp op, Xmm dst, Gpr src) {
        form(op, XG);
        vexEncode(op, dst, null, gpr(src), null, 0, 0);
    }

    /** {@code vop gpr, src}: forms GX and GXR. */
    public void vex(SimdOp op, Gpr dst, Xmm src) {
        form(op, GX, GXR);
        if (op.form() == GX) vexEncode(op, src, null, gpr(dst), null, 0, 0);
        else vexEncode(op, gpr(dst), null, src, null, 0, 0);
    }

    /** {@code vop gpr, src, imm8}: forms GXI and GXRI. */
    public void vex(SimdOp op, Gpr dst, Xmm src, int imm) {
        form(op, GXI, GXRI);
        if (op.form() == GXI) vexEncode(op, src, null, gpr(dst), null, 1, imm8(imm));
        else vexEncode(op, gpr(dst), null, src, null, 1, imm8(imm));
    }

    /** {@code vop [mem], src, imm8}: form GXI. */
    public void vex(SimdOp op, Mem dst, Xmm src, int imm) {
        form(op, GXI);
        vexEncode(op, src, null, null, dst, 1, imm8(imm));
    }

    // ---------------------------------------------------------------- the two emitters

    private void legacy(SimdOp op, Register reg, Register rm, Mem mem, int immBytes, long imm) {
        if (!op.hasLegacy()) throw new IllegalArgumentException(op.vexMnemonic() + " has only a VEX encoding");
        operandKind(op, mem);
        OperandSize size = op.w() ? QWORD : DWORD;
        if (mem != null) encoder.memoryForm(op.legacy, size, reg, mem, immBytes, imm);
        else encoder.registerForm(op.legacy, size, reg, rm, immBytes, imm);
    }

    private void vexEncode(SimdOp op, Register reg, Register vvvv, Register rm, Mem mem, int immBytes, long imm) {
        operandKind(op, mem);
        if (op.vexSwapped != null && rm != null && rm.isExtended() && !reg.isExtended()) {
            encoder.vexForm(op.vexSwapped, op.w(), rm, vvvv, reg, null, immBytes, imm);
        } else {
            encoder.vexForm(op.vex, op.w(), reg, vvvv, rm, mem, immBytes, imm);
        }
    }

    // ---------------------------------------------------------------- operand checks

    private static void form(SimdOp op, SimdOp.Form... allowed) {
        for (SimdOp.Form f : allowed) if (op.form() == f) return;
        throw new IllegalArgumentException(op.vexMnemonic() + " (form " + op.form() + ") does not take these operands");
    }

    private static void operandKind(SimdOp op, Mem mem) {
        if (mem != null && op.memoryBits() == 0) {
            throw new IllegalArgumentException(op.vexMnemonic() + " has no memory operand form");
        }
        if (mem == null && !op.registerAllowed()) {
            throw new IllegalArgumentException(op.vexMnemonic() + " has only a memory operand form");
        }
    }

    private static Gpr gpr(Gpr reg) {
        if (reg.isHighByte()) throw new IllegalArgumentException(reg + " is only usable as a byte register");
        return reg;
    }

    private static int imm8(int imm) {
        if (imm < -128 || imm > 255) throw new IllegalArgumentException("imm8 out of range: " + imm);
        return imm & 0xFF;
    }
}
