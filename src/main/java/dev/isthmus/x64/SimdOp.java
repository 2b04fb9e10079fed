package dev.isthmus.x64;

import static dev.isthmus.x64.IsaExtension.AVX;
import static dev.isthmus.x64.IsaExtension.AVX2;
import static dev.isthmus.x64.IsaExtension.SSE;
import static dev.isthmus.x64.IsaExtension.SSE2;
import static dev.isthmus.x64.IsaExtension.SSE3;
import static dev.isthmus.x64.IsaExtension.SSE4_1;
import static dev.isthmus.x64.IsaExtension.SSE4_2;
import static dev.isthmus.x64.IsaExtension.SSSE3;
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
 * The 128-bit SIMD instruction forms (SSE2 .. SSE4.2 and their AVX/AVX2 VEX.128 encodings), one row per form:
 * operand form, mandatory prefix (= VEX.pp), opcode map (= VEX.mmmmm), opcode, ModRM.reg extension, memory operand
 * width, REX.W/VEX.W, and the extension each encoding needs. The legacy encoding and the VEX encoding share prefix,
 * map and opcode except for the blends with a variable mask (their VEX forms live in the 0F3A map with the mask
 * register in imm8[7:4]) and the VEX-only rows ({@code v...}: broadcasts).
 *
 * <p>The mnemonic is the constant's name up to the first underscore, lower-cased (the suffix only tells forms of
 * one mnemonic apart: {@code _ST} store, {@code _I} immediate shift count, {@code _G} general-purpose register,
 * {@code _M} memory, {@code _R} register); the VEX mnemonic prepends {@code v}.
 */
public enum SimdOp {
    // ---------------------------------------------------------------- moves
    MOVDQA(XX, 0x66, 0x0F, 0x6F, SSE2, 128, Flags.swap(0x66, 0x7F)),
    MOVDQA_ST(MX, 0x66, 0x0F, 0x7F, SSE2, 128),
    MOVDQU(XX, 0xF3, 0x0F, 0x6F, SSE2, 128, Flags.swap(0xF3, 0x7F)),
    MOVDQU_ST(MX, 0xF3, 0x0F, 0x7F, SSE2, 128),
    MOVAPS(XX, 0, 0x0F, 0x28, SSE, 128, Flags.swap(0, 0x29)),
    MOVAPS_ST(MX, 0, 0x0F, 0x29, SSE, 128),
    MOVUPS(XX, 0, 0x0F, 0x10, SSE, 128, Flags.swap(0, 0x11)),
    MOVUPS_ST(MX, 0, 0x0F, 0x11, SSE, 128),
    MOVAPD(XX, 0x66, 0x0F, 0x28, SSE2, 128, Flags.swap(0x66, 0x29)),
    MOVAPD_ST(MX, 0x66, 0x0F, 0x29, SSE2, 128),
    MOVUPD(XX, 0x66, 0x0F, 0x10, SSE2, 128, Flags.swap(0x66, 0x11)),
    MOVUPD_ST(MX, 0x66, 0x0F, 0x11, SSE2, 128),
    /** {@code movss xmm, m32} (zeroes the upper lanes). */
    MOVSS_M(XX, 0xF3, 0x0F, 0x10, SSE, 32, Flags.MEM_ONLY),
    MOVSS_ST(MX, 0xF3, 0x0F, 0x11, SSE, 32),
    /** {@code movss xmm, xmm} / {@code vmovss xmm, xmm, xmm} (merges the low lane). */
    MOVSS_R(XXX, 0xF3, 0x0F, 0x10, SSE, 0, Flags.swap(0xF3, 0x11)),
    MOVSD_M(XX, 0xF2, 0x0F, 0x10, SSE2, 64, Flags.MEM_ONLY),
    MOVSD_ST(MX, 0xF2, 0x0F, 0x11, SSE2, 64),
    MOVSD_R(XXX, 0xF2, 0x0F, 0x10, SSE2, 0, Flags.swap(0xF2, 0x11)),
    /** {@code movd xmm, r32/m32}. */
    MOVD(XG, 0x66, 0x0F, 0x6E, SSE2, 32),
    /** {@code movd r32/m32, xmm}. */
    MOVD_ST(GX, 0x66, 0x0F, 0x7E, SSE2, 32),
    /** {@code movq xmm, r64} (the memory form is {@link #MOVQ}). */
    MOVQ_G(XG, 0x66, 0x0F, 0x6E, SSE2, 0, Flags.W1),
    /** {@code movq r64, xmm} (the memory form is {@link #MOVQ_ST}). */
    MOVQ_GST(GX, 0x66, 0x0F, 0x7E, SSE2, 0, Flags.W1),
    /** {@code movq xmm, xmm/m64}: zero-extends the low 64 bits. */
    MOVQ(XX, 0xF3, 0x0F, 0x7E, SSE2, 64, Flags.swap(0x66, 0xD6)),
    MOVQ_ST(MX, 0x66, 0x0F, 0xD6, SSE2, 64),
    MOVDDUP(XX, 0xF2, 0x0F, 0x12, SSE3, 64),
    MOVSLDUP(XX, 0xF3, 0x0F, 0x12, SSE3, 128),
    MOVSHDUP(XX, 0xF3, 0x0F, 0x16, SSE3, 128),
    MOVHLPS(XXX, 0, 0x0F, 0x12, SSE, 0),
    MOVLHPS(XXX, 0, 0x0F, 0x16, SSE, 0),

    // ---------------------------------------------------------------- packed integer arithmetic
    PADDB(XXX, 0x66, 0x0F, 0xFC, SSE2, 128),
    PADDW(XXX, 0x66, 0x0F, 0xFD, SSE2, 128),
    PADDD(XXX, 0x66, 0x0F, 0xFE, SSE2, 128),
    PADDQ(XXX, 0x66, 0x0F, 0xD4, SSE2, 128),
    PSUBB(XXX, 0x66, 0x0F, 0xF8, SSE2, 128),
    PSUBW(XXX, 0x66, 0x0F, 0xF9, SSE2, 128),
    PSUBD(XXX, 0x66, 0x0F, 0xFA, SSE2, 128),
    PSUBQ(XXX, 0x66, 0x0F, 0xFB, SSE2, 128),
    PADDSB(XXX, 0x66, 0x0F, 0xEC, SSE2, 128),
    PADDSW(XXX, 0x66, 0x0F, 0xED, SSE2, 128),
    PADDUSB(XXX, 0x66, 0x0F, 0xDC, SSE2, 128),
    PADDUSW(XXX, 0x66, 0x0F, 0xDD, SSE2, 128),
    PSUBSB(XXX, 0x66, 0x0F, 0xE8, SSE2, 128),
    PSUBSW(XXX, 0x66, 0x0F, 0xE9, SSE2, 128),
    PSUBUSB(XXX, 0x66, 0x0F, 0xD8, SSE2, 128),
    PSUBUSW(XXX, 0x66, 0x0F, 0xD9, SSE2, 128),
    PMULLW(XXX, 0x66, 0x0F, 0xD5, SSE2, 128),
    PMULHW(XXX, 0x66, 0x0F, 0xE5, SSE2, 128),
    PMULHUW(XXX, 0x66, 0x0F, 0xE4, SSE2, 128),
    PMULUDQ(XXX, 0x66, 0x0F, 0xF4, SSE2, 128),
    PMADDWD(XXX, 0x66, 0x0F, 0xF5, SSE2, 128),
    PAVGB(XXX, 0x66, 0x0F, 0xE0, SSE2, 128),
    PAVGW(XXX, 0x66, 0x0F, 0xE3, SSE2, 128),
    PMINSW(XXX, 0x66, 0x0F, 0xEA, SSE2, 128),
    PMINUB(XXX, 0x66, 0x0F, 0xDA, SSE2, 128),
    PMAXSW(XXX, 0x66, 0x0F, 0xEE, SSE2, 128),
    PMAXUB(XXX, 0x66, 0x0F, 0xDE, SSE2, 128),
    PMULLD(XXX, 0x66, 0x0F38, 0x40, SSE4_1, 128),
    PMULDQ(XXX, 0x66, 0x0F38, 0x28, SSE4_1, 128),
    PMULHRSW(XXX, 0x66, 0x0F38, 0x0B, SSSE3, 128),
    PMADDUBSW(XXX, 0x66, 0x0F38, 0x04, SSSE3, 128),
    PABSB(XX, 0x66, 0x0F38, 0x1C, SSSE3, 128),
    PABSW(XX, 0x66, 0x0F38, 0x1D, SSSE3, 128),
    PABSD(XX, 0x66, 0x0F38, 0x1E, SSSE3, 128),
    PMINSB(XXX, 0x66, 0x0F38, 0x38, SSE4_1, 128),
    PMINSD(XXX, 0x66, 0x0F38, 0x39, SSE4_1, 128),
    PMINUW(XXX, 0x66, 0x0F38, 0x3A, SSE4_1, 128),
    PMINUD(XXX, 0x66, 0x0F38, 0x3B, SSE4_1, 128),
    PMAXSB(XXX, 0x66, 0x0F38, 0x3C, SSE4_1, 128),
    PMAXSD(XXX, 0x66, 0x0F38, 0x3D, SSE4_1, 128),
    PMAXUW(XXX, 0x66, 0x0F38, 0x3E, SSE4_1, 128),
    PMAXUD(XXX, 0x66, 0x0F38, 0x3F, SSE4_1, 128),
    PSIGNB(XXX, 0x66, 0x0F38, 0x08, SSSE3, 128),
    PSIGNW(XXX, 0x66, 0x0F38, 0x09, SSSE3, 128),
    PSIGND(XXX, 0x66, 0x0F38, 0x0A, SSSE3, 128),

    // ---------------------------------------------------------------- logic and compares
    PAND(XXX, 0x66, 0x0F, 0xDB, SSE2, 128),
    PANDN(XXX, 0x66, 0x0F, 0xDF, SSE2, 128),
    POR(XXX, 0x66, 0x0F, 0xEB, SSE2, 128),
    PXOR(XXX, 0x66, 0x0F, 0xEF, SSE2, 128),
    PCMPEQB(XXX, 0x66, 0x0F, 0x74, SSE2, 128),
    PCMPEQW(XXX, 0x66, 0x0F, 0x75, SSE2, 128),
    PCMPEQD(XXX, 0x66, 0x0F, 0x76, SSE2, 128),
    PCMPEQQ(XXX, 0x66, 0x0F38, 0x29, SSE4_1, 128),
    PCMPGTB(XXX, 0x66, 0x0F, 0x64, SSE2, 128),
    PCMPGTW(XXX, 0x66, 0x0F, 0x65, SSE2, 128),
    PCMPGTD(XXX, 0x66, 0x0F, 0x66, SSE2, 128),
    PCMPGTQ(XXX, 0x66, 0x0F38, 0x37, SSE4_2, 128),
    PTEST(XX, 0x66, 0x0F38, 0x17, SSE4_1, 128),

    // ---------------------------------------------------------------- shifts
    PSLLW(XXX, 0x66, 0x0F, 0xF1, SSE2, 128),
    PSLLD(XXX, 0x66, 0x0F, 0xF2, SSE2, 128),
    PSLLQ(XXX, 0x66, 0x0F, 0xF3, SSE2, 128),
    PSRLW(XXX, 0x66, 0x0F, 0xD1, SSE2, 128),
    PSRLD(XXX, 0x66, 0x0F, 0xD2, SSE2, 128),
    PSRLQ(XXX, 0x66, 0x0F, 0xD3, SSE2, 128),
    PSRAW(XXX, 0x66, 0x0F, 0xE1, SSE2, 128),
    PSRAD(XXX, 0x66, 0x0F, 0xE2, SSE2, 128),
    PSRLW_I(SHIFT, 0x71, 2),
    PSRAW_I(SHIFT, 0x71, 4),
    PSLLW_I(SHIFT, 0x71, 6),
    PSRLD_I(SHIFT, 0x72, 2),
    PSRAD_I(SHIFT, 0x72, 4),
    PSLLD_I(SHIFT, 0x72, 6),
    PSRLQ_I(SHIFT, 0x73, 2),
    PSRLDQ(SHIFT, 0x73, 3),
    PSLLQ_I(SHIFT, 0x73, 6),
    PSLLDQ(SHIFT, 0x73, 7),

    // ---------------------------------------------------------------- shuffles, unpacks, packs, blends
    PSHUFB(XXX, 0x66, 0x0F38, 0x00, SSSE3, 128),
    PSHUFD(XXI, 0x66, 0x0F, 0x70, SSE2, 128),
    PSHUFLW(XXI, 0xF2, 0x0F, 0x70, SSE2, 128),
    PSHUFHW(XXI, 0xF3, 0x0F, 0x70, SSE2, 128),
    SHUFPS(XXXI, 0, 0x0F, 0xC6, SSE, 128),
    SHUFPD(XXXI, 0x66, 0x0F, 0xC6, SSE2, 128),
    PALIGNR(XXXI, 0x66, 0x0F3A, 0x0F, SSSE3, 128),
    PUNPCKLBW(XXX, 0x66, 0x0F, 0x60, SSE2, 128),
    PUNPCKLWD(XXX, 0x66, 0x0F, 0x61, SSE2, 128),
    PUNPCKLDQ(XXX, 0x66, 0x0F, 0x62, SSE2, 128),
    PUNPCKLQDQ(XXX, 0x66, 0x0F, 0x6C, SSE2, 128),
    PUNPCKHBW(XXX, 0x66, 0x0F, 0x68, SSE2, 128),
    PUNPCKHWD(XXX, 0x66, 0x0F, 0x69, SSE2, 128),
    PUNPCKHDQ(XXX, 0x66, 0x0F, 0x6A, SSE2, 128),
    PUNPCKHQDQ(XXX, 0x66, 0x0F, 0x6D, SSE2, 128),
    UNPCKLPS(XXX, 0, 0x0F, 0x14, SSE, 128),
    UNPCKHPS(XXX, 0, 0x0F, 0x15, SSE, 128),
    UNPCKLPD(XXX, 0x66, 0x0F, 0x14, SSE2, 128),
    UNPCKHPD(XXX, 0x66, 0x0F, 0x15, SSE2, 128),
    PACKSSWB(XXX, 0x66, 0x0F, 0x63, SSE2, 128),
    PACKUSWB(XXX, 0x66, 0x0F, 0x67, SSE2, 128),
    PACKSSDW(XXX, 0x66, 0x0F, 0x6B, SSE2, 128),
    PACKUSDW(XXX, 0x66, 0x0F38, 0x2B, SSE4_1, 128),
    PBLENDVB(BLENDV, 0x10, 0x4C),
    BLENDVPS(BLENDV, 0x14, 0x4A),
    BLENDVPD(BLENDV, 0x15, 0x4B),
    PBLENDW(XXXI, 0x66, 0x0F3A, 0x0E, SSE4_1, 128),
    BLENDPS(XXXI, 0x66, 0x0F3A, 0x0C, SSE4_1, 128),
    BLENDPD(XXXI, 0x66, 0x0F3A, 0x0D, SSE4_1, 128),

    // ---------------------------------------------------------------- lane inserts, extracts, masks, extends
    PINSRB(XXGI, 0x66, 0x0F3A, 0x20, SSE4_1, 8),
    PINSRW(XXGI, 0x66, 0x0F, 0xC4, SSE2, 16),
    PINSRD(XXGI, 0x66, 0x0F3A, 0x22, SSE4_1, 32),
    PINSRQ(XXGI, 0x66, 0x0F3A, 0x22, SSE4_1, 64, Flags.W1),
    PEXTRB(GXI, 0x66, 0x0F3A, 0x14, SSE4_1, 8),
    /** {@code pextrw r32, xmm, imm8} (0F C5, the form GNU as picks for a register). */
    PEXTRW(GXRI, 0x66, 0x0F, 0xC5, SSE2, 0),
    /** {@code pextrw m16, xmm, imm8} (0F3A 15, SSE4.1: the form with a memory destination). */
    PEXTRW_M(GXI, 0x66, 0x0F3A, 0x15, SSE4_1, 16, Flags.MEM_ONLY),
    PEXTRD(GXI, 0x66, 0x0F3A, 0x16, SSE4_1, 32),
    PEXTRQ(GXI, 0x66, 0x0F3A, 0x16, SSE4_1, 64, Flags.W1),
    INSERTPS(XXXI, 0x66, 0x0F3A, 0x21, SSE4_1, 32),
    EXTRACTPS(GXI, 0x66, 0x0F3A, 0x17, SSE4_1, 32),
    MOVMSKPS(GXR, 0, 0x0F, 0x50, SSE, 0),
    MOVMSKPD(GXR, 0x66, 0x0F, 0x50, SSE2, 0),
    PMOVMSKB(GXR, 0x66, 0x0F, 0xD7, SSE2, 0),
    PMOVSXBW(XX, 0x66, 0x0F38, 0x20, SSE4_1, 64),
    PMOVSXBD(XX, 0x66, 0x0F38, 0x21, SSE4_1, 32),
    PMOVSXBQ(XX, 0x66, 0x0F38, 0x22, SSE4_1, 16),
    PMOVSXWD(XX, 0x66, 0x0F38, 0x23, SSE4_1, 64),
    PMOVSXWQ(XX, 0x66, 0x0F38, 0x24, SSE4_1, 32),
    PMOVSXDQ(XX, 0x66, 0x0F38, 0x25, SSE4_1, 64),
    PMOVZXBW(XX, 0x66, 0x0F38, 0x30, SSE4_1, 64),
    PMOVZXBD(XX, 0x66, 0x0F38, 0x31, SSE4_1, 32),
    PMOVZXBQ(XX, 0x66, 0x0F38, 0x32, SSE4_1, 16),
    PMOVZXWD(XX, 0x66, 0x0F38, 0x33, SSE4_1, 64),
    PMOVZXWQ(XX, 0x66, 0x0F38, 0x34, SSE4_1, 32),
    PMOVZXDQ(XX, 0x66, 0x0F38, 0x35, SSE4_1, 64),

    // ---------------------------------------------------------------- packed float
    ADDPS(XXX, 0, 0x0F, 0x58, SSE, 128),
    ADDPD(XXX, 0x66, 0x0F, 0x58, SSE2, 128),
    SUBPS(XXX, 0, 0x0F, 0x5C, SSE, 128),
    SUBPD(XXX, 0x66, 0x0F, 0x5C, SSE2, 128),
    MULPS(XXX, 0, 0x0F, 0x59, SSE, 128),
    MULPD(XXX, 0x66, 0x0F, 0x59, SSE2, 128),
    DIVPS(XXX, 0, 0x0F, 0x5E, SSE, 128),
    DIVPD(XXX, 0x66, 0x0F, 0x5E, SSE2, 128),
    MINPS(XXX, 0, 0x0F, 0x5D, SSE, 128),
    MINPD(XXX, 0x66, 0x0F, 0x5D, SSE2, 128),
    MAXPS(XXX, 0, 0x0F, 0x5F, SSE, 128),
    MAXPD(XXX, 0x66, 0x0F, 0x5F, SSE2, 128),
    SQRTPS(XX, 0, 0x0F, 0x51, SSE, 128),
    SQRTPD(XX, 0x66, 0x0F, 0x51, SSE2, 128),
    ANDPS(XXX, 0, 0x0F, 0x54, SSE, 128),
    ANDPD(XXX, 0x66, 0x0F, 0x54, SSE2, 128),
    ANDNPS(XXX, 0, 0x0F, 0x55, SSE, 128),
    ANDNPD(XXX, 0x66, 0x0F, 0x55, SSE2, 128),
    ORPS(XXX, 0, 0x0F, 0x56, SSE, 128),
    ORPD(XXX, 0x66, 0x0F, 0x56, SSE2, 128),
    XORPS(XXX, 0, 0x0F, 0x57, SSE, 128),
    XORPD(XXX, 0x66, 0x0F, 0x57, SSE2, 128),
    /** Predicate in imm8: 0..7 for the SSE form, 0..31 for the VEX form. */
    CMPPS(XXXI, 0, 0x0F, 0xC2, SSE, 128),
    CMPPD(XXXI, 0x66, 0x0F, 0xC2, SSE2, 128),
    ROUNDPS(XXI, 0x66, 0x0F3A, 0x08, SSE4_1, 128),
    ROUNDPD(XXI, 0x66, 0x0F3A, 0x09, SSE4_1, 128),
    ROUNDSS(XXXI, 0x66, 0x0F3A, 0x0A, SSE4_1, 32),
    ROUNDSD(XXXI, 0x66, 0x0F3A, 0x0B, SSE4_1, 64),
    CVTDQ2PS(XX, 0, 0x0F, 0x5B, SSE2, 128),
    CVTTPS2DQ(XX, 0xF3, 0x0F, 0x5B, SSE2, 128),
    CVTPS2DQ(XX, 0x66, 0x0F, 0x5B, SSE2, 128),
    CVTDQ2PD(XX, 0xF3, 0x0F, 0xE6, SSE2, 64),
    CVTTPD2DQ(XX, 0x66, 0x0F, 0xE6, SSE2, 128),
    CVTPD2PS(XX, 0x66, 0x0F, 0x5A, SSE2, 128),
    CVTPS2PD(XX, 0, 0x0F, 0x5A, SSE2, 64),

    // ---------------------------------------------------------------- VEX only
    VPBROADCASTB(XX, 0x66, 0x0F38, 0x78, AVX2, 8, Flags.VEX_ONLY),
    VPBROADCASTW(XX, 0x66, 0x0F38, 0x79, AVX2, 16, Flags.VEX_ONLY),
    VPBROADCASTD(XX, 0x66, 0x0F38, 0x58, AVX2, 32, Flags.VEX_ONLY),
    VPBROADCASTQ(XX, 0x66, 0x0F38, 0x59, AVX2, 64, Flags.VEX_ONLY),
    /** {@code vbroadcastss xmm, m32} (AVX). */
    VBROADCASTSS(XX, 0x66, 0x0F38, 0x18, AVX, 32, Flags.VEX_ONLY | Flags.MEM_ONLY),
    /** {@code vbroadcastss xmm, xmm} (AVX2). */
    VBROADCASTSS_R(XX, 0x66, 0x0F38, 0x18, AVX2, 0, Flags.VEX_ONLY);

    /**
     * The operand forms, in Intel order. "x" = xmm, "g" = general-purpose register (r32, or r64 with W1), "/m" = or
     * memory when the row has a memory width. The legacy (SSE) form is destructive: its first source is the
     * destination.
     */
    public enum Form {
        /** {@code x, x/m}; VEX: same (VEX.vvvv unused). */
        XX,
        /** {@code x, x/m}; VEX: {@code x, x, x/m} (first source in VEX.vvvv). */
        XXX,
        /** {@code x, x/m, imm8}; VEX: same. */
        XXI,
        /** {@code x, x/m, imm8}; VEX: {@code x, x, x/m, imm8}. */
        XXXI,
        /** {@code x, x/m} with the mask implicitly xmm0; VEX: {@code x, x, x/m, x} (mask in imm8[7:4]). */
        BLENDV,
        /** {@code x, imm8} (ModRM.reg = extension, rm = x); VEX: {@code x, x, imm8} (destination in VEX.vvvv). */
        SHIFT,
        /** {@code m, x}: a store (ModRM.reg = source). */
        MX,
        /** {@code x, g/m}. */
        XG,
        /** {@code g/m, x} (ModRM.reg = the xmm source). */
        GX,
        /** {@code g, x} (ModRM.reg = the general-purpose destination, register only). */
        GXR,
        /** {@code g, x, imm8} (ModRM.reg = the general-purpose destination, register only). */
        GXRI,
        /** {@code x, g/m, imm8}; VEX: {@code x, x, g/m, imm8}. */
        XXGI,
        /** {@code g/m, x, imm8} (ModRM.reg = the xmm source). */
        GXI
    }

    static final class Flags {
        static final int W1 = 1;
        static final int MEM_ONLY = 2;
        static final int VEX_ONLY = 4;
        private static final int SWAP = 8;

        /**
         * The register-to-register move also has a store opcode {@code prefix opcode} (ModRM.reg = source): the VEX
         * form uses it when only the source is xmm8..xmm15, which then fits the two-byte prefix (as GNU as does).
         */
        static int swap(int prefix, int opcode) {
            return SWAP | prefix << 8 | opcode << 16;
        }

        private Flags() {
        }
    }

    private final Form form;
    final Opcode legacy;
    final Opcode vex;
    private final IsaExtension legacyIsa;
    private final IsaExtension vexIsa;
    private final int memoryBits;
    private final boolean registerAllowed;
    private final boolean w;
    /** The store opcode of a register move, used by the VEX form to reach the two-byte prefix; or null. */
    final Opcode vexSwapped;

    SimdOp(Form form, int prefix, int map, int opcode, IsaExtension isa, int memoryBits) {
        this(form, prefix, map, opcode, isa, memoryBits, 0);
    }

    SimdOp(Form form, int prefix, int map, int opcode, IsaExtension isa, int memoryBits, int flags) {
        this(form, prefix, map, opcode, Opcode.REG, isa, memoryBits, flags, map, opcode);
    }

    /**
     * {@link Form#SHIFT}: the shifts by an immediate count, {@code 66 0F op /second ib}; {@link Form#BLENDV}: the
     * SSE4.1 variable blends, {@code 66 0F38 op} with xmm0 as the mask, VEX {@code 66 0F3A second /is4}.
     */
    SimdOp(Form form, int opcode, int second) {
        this(form, 0x66, form == SHIFT ? 0x0F : 0x0F38, opcode, form == SHIFT ? second : Opcode.REG,
                form == SHIFT ? SSE2 : SSE4_1, form == SHIFT ? 0 : 128, 0,
                form == SHIFT ? 0x0F : 0x0F3A, form == SHIFT ? opcode : second);
    }

    SimdOp(Form form, int prefix, int map, int opcode, int extension, IsaExtension isa, int memoryBits, int flags,
           int vexMap, int vexOpcode) {
        this.form = form;
        String base = name().contains("_") ? name().substring(0, name().indexOf('_')) : name();
        String mnemonic = base.toLowerCase();
        boolean vexOnly = (flags & Flags.VEX_ONLY) != 0;
        this.legacy = vexOnly ? null : new Opcode(mnemonic, prefix, map, opcode, extension, 0);
        this.vex = new Opcode(vexOnly ? mnemonic : "v" + mnemonic, prefix, vexMap, vexOpcode, extension, 0);
        this.legacyIsa = vexOnly ? null : isa;
        this.vexIsa = vexOnly ? isa : AVX;
        this.memoryBits = memoryBits;
        this.registerAllowed = (flags & Flags.MEM_ONLY) == 0;
        this.w = (flags & Flags.W1) != 0;
        this.vexSwapped = (flags & Flags.SWAP) == 0 ? null
                : new Opcode(vex.mnemonic(), flags >> 8 & 0xFF, 0x0F, flags >> 16 & 0xFF, Opcode.REG, 0);
    }

    /** The operand form. */
    public Form form() {
        return form;
    }

    /** Whether there is a legacy (SSE, non-VEX) encoding. */
    public boolean hasLegacy() {
        return legacy != null;
    }

    /** The legacy (SSE) mnemonic, e.g. {@code paddb}; null for VEX-only rows. */
    public String mnemonic() {
        return legacy == null ? null : legacy.mnemonic();
    }

    /** The VEX mnemonic, e.g. {@code vpaddb}. */
    public String vexMnemonic() {
        return vex.mnemonic();
    }

    /** The extension the legacy encoding needs (null for VEX-only rows). */
    public IsaExtension legacyExtension() {
        return legacyIsa;
    }

    /** The extension the VEX encoding needs: AVX, or AVX2 for the integer broadcasts. */
    public IsaExtension vexExtension() {
        return vexIsa;
    }

    /** The extension needed by the chosen encoding. */
    public IsaExtension extension(boolean vexEncoding) {
        return vexEncoding ? vexIsa : legacyIsa;
    }

    /** The width in bits of the memory operand (8..128), or 0 when the form takes no memory operand. */
    public int memoryBits() {
        return memoryBits;
    }

    /** Whether the x/g/m operand may be a register. */
    public boolean registerAllowed() {
        return registerAllowed;
    }

    /** Whether the encoding sets REX.W / VEX.W (64-bit general-purpose operand). */
    public boolean w() {
        return w;
    }
}
