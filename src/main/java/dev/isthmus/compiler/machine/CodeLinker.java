package dev.isthmus.compiler.machine;

import dev.isthmus.options.CodeAlignment;

import java.io.ByteArrayOutputStream;

/**
 * Lays pieces of machine code out in one blob and patches the rel32 calls between functions.
 *
 * <p>A function is assembled as one piece whose start must be aligned to {@link #blockAlignment} (its constants
 * and loop heads are aligned relative to that start) and whose entry is {@link #leadBytes} into it:
 * <pre>
 *   ─┬─ piece start ≡ entryResidue - lead  (mod max(functionAlignment, blockAlignment))
 *    │  lead (int3)          lead = functionPadding mod blockAlignment
 *   ─┼─ entry ≡ functionPadding (mod functionAlignment)
 *    │  prologue, body, trap sites, jump tables
 *    │  constants            16-byte aligned relative to the piece start, hence absolutely
 * </pre>
 * Gaps between pieces are filled with int3.
 */
public final class CodeLinker {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * The system property that, set to a multiple of 32 below 4096 while a module is compiled eagerly, puts that many
     * int3 bytes before its first function: every function then sits at another offset in its pages and cache sets;
     * with a multiple of 64 its alignment stays the same, with an odd multiple of 32 every function and loop head is
     * 32 bytes off its usual 64-byte phase (loop heads stay 32-aligned). A measurement switch: the paired benchmarks
     * ({@code bench/.../PairedCost}) average over such layouts, since moving a kernel's hot loop by 64 bytes alone
     * changed its time by up to 4% here, and its 64-byte phase by 12% (docs/performance.md).
     */
    public static final String OFFSET_PROPERTY = "isthmus.layout.codeOffset";

    public CodeLinker() {
    }

    /** A linker whose code starts with {@code offset} bytes of int3 (a multiple of 32; see {@link #OFFSET_PROPERTY}). */
    public CodeLinker(int offset) {
        if (offset < 0 || offset % 32 != 0) throw new IllegalArgumentException("code offset " + offset);
        for (int i = 0; i < offset; i++) out.write(0xCC);
    }

    /** The offset {@link #OFFSET_PROPERTY} asks for (0 when unset). */
    public static int offsetProperty() {
        int offset = Integer.getInteger(OFFSET_PROPERTY, 0);
        if (offset < 0 || offset >= 4096 || offset % 32 != 0) {
            throw new IllegalArgumentException(OFFSET_PROPERTY + " must be a multiple of 32 below 4096: " + offset);
        }
        return offset;
    }

    /** The alignment of a function piece's start: 16 (constants), or the loop alignment when larger. */
    public static int blockAlignment(CodeAlignment alignment) {
        return Math.max(16, alignment.loopAlignment());
    }

    /** Bytes of padding at the start of a function piece before its entry. */
    public static int leadBytes(CodeAlignment alignment) {
        return alignment.functionPadding() % blockAlignment(alignment);
    }

    /**
     * Appends a function piece assembled with {@link #leadBytes} of padding before its entry (at {@code entry}),
     * placed so the entry falls at {@code k * functionAlignment + functionPadding}; returns the piece's offset.
     */
    public int appendFunction(byte[] code, int entry, CodeAlignment alignment) {
        int block = blockAlignment(alignment);
        if (entry != leadBytes(alignment)) throw new IllegalArgumentException("entry " + entry + " != lead");
        int modulus = Math.max(alignment.functionAlignment(), block);
        int residue = Math.floorMod(alignment.functionPadding() - entry, modulus); // a multiple of block
        int pad = Math.floorMod(residue - out.size(), modulus);
        for (int i = 0; i < pad; i++) out.write(0xCC);
        int at = out.size();
        out.writeBytes(code);
        return at;
    }

    /** Appends {@code code} 16-byte aligned and returns its offset. */
    public int append(byte[] code) {
        while (out.size() % 16 != 0) out.write(0xCC);
        int at = out.size();
        out.writeBytes(code);
        return at;
    }

    /** The blob with {@code rel32 field at sites[i] = targets[i] - (sites[i] + 4)} patched. */
    public byte[] link(int[] sites, int[] targets, int count) {
        if (out.size() == 0) out.write(0xCC); // never empty: a module without functions still maps as code
        byte[] code = out.toByteArray();
        for (int i = 0; i < count; i++) {
            int rel = targets[i] - (sites[i] + 4);
            int s = sites[i];
            code[s] = (byte) rel;
            code[s + 1] = (byte) (rel >> 8);
            code[s + 2] = (byte) (rel >> 16);
            code[s + 3] = (byte) (rel >> 24);
        }
        return code;
    }
}
