package dev.isthmus.x64;

/** The sixteen SSE registers {@code xmm0..xmm15}. */
public enum Xmm implements Register {
    XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7,
    XMM8, XMM9, XMM10, XMM11, XMM12, XMM13, XMM14, XMM15;

    @Override
    public int encoding() {
        return ordinal();
    }

    /** The register with this encoding 0..15. */
    public static Xmm of(int encoding) {
        return values()[encoding];
    }

    /** The Intel name, e.g. {@code "xmm9"}. */
    public String intelName() {
        return name().toLowerCase();
    }
}
