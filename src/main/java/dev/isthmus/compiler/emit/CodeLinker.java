package dev.isthmus.compiler.emit;

import java.io.ByteArrayOutputStream;

/**
 * Lays pieces of machine code out in one blob and patches the rel32 calls between functions. Each function is
 * placed so that its body (after the prologue) starts 16-byte aligned, keeping the alignment of its constant pool.
 */
public final class CodeLinker {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Appends {@code prologue + body} and returns the offset of the function's entry (its prologue). */
    public int appendFunction(byte[] prologue, byte[] body) {
        int pad = Math.floorMod(-(out.size() + prologue.length), 16);
        for (int i = 0; i < pad; i++) out.write(0xCC);
        int entry = out.size();
        out.writeBytes(prologue);
        out.writeBytes(body);
        return entry;
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
